package org.personalab.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A scriptable OpenAI-compatible server that writes agent specs: by default it answers each spec prompt with a
 * complete persona built from the prompt itself (age, sex, country, the 5 domain and 30 facet levels copied), so the
 * specs it produces pass the validator. It counts requests per distinct request (user prompt + temperature), which is
 * what a resumed run must never send twice once answered.
 */
public final class FakeSpecLlm extends Dispatcher {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Tokens the server reports for each answer. */
    public static final int PROMPT_TOKENS = 1000;
    public static final int COMPLETION_TOKENS = 500;
    private static final Pattern DOMAIN = Pattern.compile(
            "\\*\\*(Openness|Conscientiousness|Extraversion|Agreeableness|Neuroticism)\\*\\*: (Very Low|Very High|Low|"
                    + "Medium|High)");
    private static final Pattern FACET = Pattern.compile("([A-Z][A-Za-z-]+(?: [A-Z][A-Za-z-]+)?): (Very Low|Very High|"
            + "Low|Medium|High)");

    /** One request as the server saw it. */
    public record Exchange(int n, String key, int forKey, String prompt, double temperature, JsonNode body,
            RecordedRequest raw) {
        public String authorization() {
            return raw.getHeaders().get("Authorization");
        }

        /** The messages sent, in order, as "role: content". */
        public List<JsonNode> messages() {
            return body.path("messages").valueStream().toList();
        }
    }

    public final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    public final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    public final AtomicInteger total = new AtomicInteger();
    public final AtomicInteger inFlight = new AtomicInteger();
    public final AtomicInteger maxInFlight = new AtomicInteger();
    public volatile Function<Exchange, MockResponse> script = ex -> ok(persona(ex.prompt()));
    public volatile long delayMs;

    @Override
    public MockResponse dispatch(RecordedRequest rr) throws InterruptedException {
        JsonNode body;
        try {
            body = JSON.readTree(rr.getBody() == null ? "{}" : rr.getBody().utf8());
        } catch (Exception e) {
            return error(400, "bad json");
        }
        String prompt = "";
        for (JsonNode m : body.path("messages")) {
            if (m.path("role").asText().equals("user")) {
                prompt = m.path("content").asText();
                break;
            }
        }
        double t = body.path("temperature").asDouble(Double.NaN);
        String key = prompt + "\u0000" + t;
        int n = total.incrementAndGet();
        int k = served.computeIfAbsent(key, x -> new AtomicInteger()).incrementAndGet();
        Exchange ex = new Exchange(n, key, k, prompt, t, body, rr);
        exchanges.add(ex);
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            if (delayMs > 0) {
                Thread.sleep(delayMs);
            }
            return script.apply(ex);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Requests served with this user prompt, at any temperature. */
    public int servedFor(String prompt) {
        return served.entrySet().stream().filter(e -> e.getKey().startsWith(prompt + "\u0000"))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /** Requests sent more than once (counted per distinct request, beyond its first). */
    public int duplicates() {
        return served.values().stream().mapToInt(a -> a.get() - 1).sum();
    }

    public static MockResponse ok(String content) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", "chatcmpl-spec");
        o.put("object", "chat.completion");
        ObjectNode c = o.putArray("choices").addObject();
        c.put("index", 0);
        c.putObject("message").put("role", "assistant").put("content", content);
        c.put("finish_reason", "stop");
        o.putObject("usage").put("prompt_tokens", PROMPT_TOKENS).put("completion_tokens", COMPLETION_TOKENS)
                .put("total_tokens", PROMPT_TOKENS + COMPLETION_TOKENS);
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(o.toString())
                .build();
    }

    public static MockResponse error(int code, String message) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":" + JSON.valueToTree(message) + "}}").build();
    }

    /** A complete persona for the person a spec prompt describes, as JSON text. */
    public static String persona(String prompt) {
        return personaNode(prompt).toString();
    }

    /** The persona as a node (tests change it to make invalid answers). */
    public static ObjectNode personaNode(String prompt) {
        String age = field(prompt, "Age", "30");
        String sex = field(prompt, "Sex", "Female");
        String country = field(prompt, "Country", "Canada");
        ObjectNode p = JSON.createObjectNode();
        p.put("name", "Alex Example");
        p.put("age", Integer.parseInt(age));
        p.put("gender", sex);
        p.put("nationality", country);
        p.put("residence", "A town in " + country);
        p.put("education", "Secondary school");
        p.putArray("long_term_goals").add("Keep a steady job");
        ObjectNode occ = p.putObject("occupation");
        occ.put("title", "Clerk").put("organization", "City office").put("description", "Files papers.");
        p.put("style", "Plain and direct.");
        ObjectNode pers = p.putObject("personality");
        pers.putArray("traits").add("Keeps to routines.");
        ObjectNode big = pers.putObject("big_five");
        Matcher d = DOMAIN.matcher(prompt);
        while (d.find()) {
            big.put(d.group(1).toLowerCase(), d.group(2) + ". As the questionnaire says.");
        }
        ObjectNode facets = pers.putObject("facets");
        for (String line : prompt.split("\n")) {
            int i = line.indexOf("Facets: ");
            if (i < 0) {
                continue;
            }
            Matcher f = FACET.matcher(line.substring(i + 8));
            while (f.find()) {
                facets.put(f.group(1).toLowerCase().replaceAll("[^a-z0-9]+", "_"), f.group(2));
            }
        }
        ObjectNode prefs = p.putObject("preferences");
        prefs.putArray("interests").add("Gardening");
        prefs.putArray("likes").add("Quiet evenings");
        prefs.putArray("dislikes").add("Crowds");
        p.putArray("skills").add("Typing");
        p.putArray("beliefs").add("Work hard");
        ObjectNode beh = p.putObject("behaviors");
        beh.putArray("general").add("Arrives early");
        ObjectNode routines = beh.putObject("routines");
        for (String r : new String[] {"morning", "workday", "evening", "weekend"}) {
            routines.putArray(r).add("Something usual");
        }
        p.put("health", "Good");
        ArrayNode rel = p.putArray("relationships");
        rel.addObject().put("name", "Sam").put("description", "A friend");
        p.putArray("other_facts").add("Has a cat");
        return p;
    }

    private static String field(String prompt, String name, String dflt) {
        Matcher m = Pattern.compile("^- " + name + ": (.+)$", Pattern.MULTILINE).matcher(prompt);
        return m.find() ? m.group(1).strip() : dflt;
    }
}
