package org.personalab.spec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.personalab.data.Sex;

/** The small word lists of the template engine: countries, names and cities, and a stable pick from a list. */
final class TemplateLists {

    record Country(String nationality, List<String> cities, List<String> male, List<String> female,
            List<String> surnames) {
    }

    private static final Country ENGLISH = new Country(null, List.of(),
            List.of("James", "Daniel", "Michael", "Ryan", "Thomas", "Samuel", "David", "Marcus"),
            List.of("Emily", "Sarah", "Laura", "Hannah", "Rachel", "Megan", "Olivia", "Grace"),
            List.of("Walker", "Bennett", "Hughes", "Turner", "Brooks", "Foster", "Reid", "Morgan"));

    private static final Map<String, Country> COUNTRIES = Map.ofEntries(
            Map.entry("usa", english("American", "Columbus", "Denver", "Raleigh", "Sacramento", "Milwaukee")),
            Map.entry("united states", english("American", "Columbus", "Denver", "Raleigh", "Sacramento")),
            Map.entry("uk", english("British", "Leeds", "Bristol", "Nottingham", "Glasgow", "Cardiff")),
            Map.entry("united kingdom", english("British", "Leeds", "Bristol", "Nottingham", "Glasgow")),
            Map.entry("canada", english("Canadian", "Ottawa", "Calgary", "Halifax", "Winnipeg", "Victoria")),
            Map.entry("australia", english("Australian", "Brisbane", "Adelaide", "Perth", "Hobart", "Geelong")),
            Map.entry("new zealand", english("New Zealander", "Auckland", "Wellington", "Christchurch")),
            Map.entry("ireland", english("Irish", "Cork", "Galway", "Limerick", "Dublin")),
            Map.entry("singapore", new Country("Singaporean", List.of("Singapore"),
                    List.of("Wei Jie", "Jun Hao", "Arjun", "Hafiz", "Marcus", "Ethan"),
                    List.of("Hui Min", "Li Ting", "Priya", "Nurul", "Rachel", "Shu Fen"),
                    List.of("Tan", "Lim", "Lee", "Ng", "Rahman", "Pillai"))),
            Map.entry("india", new Country("Indian", List.of("Pune", "Jaipur", "Kochi", "Lucknow", "Mysuru"),
                    List.of("Arjun", "Rahul", "Vikram", "Sanjay", "Karthik", "Rohan"),
                    List.of("Priya", "Ananya", "Kavya", "Meera", "Divya", "Sneha"),
                    List.of("Sharma", "Iyer", "Patel", "Nair", "Reddy", "Gupta"))),
            Map.entry("germany", new Country("German", List.of("Leipzig", "Bremen", "Freiburg", "Kassel"),
                    List.of("Lukas", "Jonas", "Felix", "Tobias", "Matthias", "Stefan"),
                    List.of("Anna", "Lena", "Katharina", "Julia", "Sabine", "Miriam"),
                    List.of("Becker", "Wagner", "Hoffmann", "Schulz", "Krause", "Neumann"))),
            Map.entry("netherlands", new Country("Dutch", List.of("Utrecht", "Groningen", "Eindhoven", "Leiden"),
                    List.of("Daan", "Bram", "Jeroen", "Sander", "Ruben", "Thijs"),
                    List.of("Sanne", "Lotte", "Femke", "Anouk", "Eline", "Marloes"),
                    List.of("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Mulder"))),
            Map.entry("finland", new Country("Finnish", List.of("Tampere", "Turku", "Oulu", "Espoo"),
                    List.of("Mikko", "Juha", "Antti", "Ville", "Janne", "Timo"),
                    List.of("Laura", "Anni", "Johanna", "Maria", "Sanna", "Riikka"),
                    List.of("Virtanen", "Korhonen", "Nieminen", "Mäkinen", "Heikkinen", "Laine"))),
            Map.entry("philippines", new Country("Filipino", List.of("Cebu City", "Davao City", "Quezon City"),
                    List.of("Mark", "John Paul", "Carlo", "Paolo", "Miguel", "Rafael"),
                    List.of("Maria", "Kristine", "Angelica", "Joy", "Camille", "Patricia"),
                    List.of("Santos", "Reyes", "Cruz", "Garcia", "Mendoza", "Bautista"))));

    private static Country english(String nationality, String... cities) {
        return new Country(nationality, List.of(cities), ENGLISH.male(), ENGLISH.female(), ENGLISH.surnames());
    }

    /** Neutral list for countries we have no names for: international names, nationality phrased from the data. */
    private static final Country OTHER = new Country(null, List.of(),
            List.of("Adrian", "Daniel", "Leon", "Samuel", "Victor", "Elias"),
            List.of("Anna", "Sara", "Nina", "Maya", "Elena", "Laila"),
            List.of("Novak", "Karimi", "Silva", "Petrov", "Haddad", "Costa"));

    private TemplateLists() {
    }

    static Country country(String name) {
        return COUNTRIES.getOrDefault(name.strip().toLowerCase(Locale.ROOT), OTHER);
    }

    /** "American" for USA; for a country without an entry, a phrase that still names it. */
    static String nationality(String country) {
        String n = country(country).nationality();
        return n != null ? n : "From " + country;
    }

    static String residence(String country, long hash) {
        List<String> cities = country(country).cities();
        return cities.isEmpty() ? country : pick(cities, hash) + ", " + country;
    }

    static List<String> firstNames(String country, Sex sex) {
        Country c = country(country);
        return sex == Sex.FEMALE ? c.female() : c.male();
    }

    /** A stable 64-bit FNV-1a hash of the parts (joined with '|'); the same on every JVM and platform. */
    static long hash(String... parts) {
        long h = 0xcbf29ce484222325L;
        for (byte b : String.join("|", parts).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    static <T> T pick(List<T> list, long hash) {
        return list.get((int) Long.remainderUnsigned(hash, list.size()));
    }
}
