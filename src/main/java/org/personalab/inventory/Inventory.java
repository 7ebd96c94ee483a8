package org.personalab.inventory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An IPIP-NEO inventory: its items in administration order, each with facet and key.
 * Both forms are read from the bundled resource {@code ipip-neo-300.tsv}.
 */
public final class Inventory {

    public static final Inventory IPIP_NEO_120 = load("IPIP-NEO-120", true);
    public static final Inventory IPIP_NEO_300 = load("IPIP-NEO-300", false);

    private final String name;
    private final List<Item> items;
    /** itemIndex[facet.ordinal()] = 0-based item indices of that facet, in item order. */
    private final int[][] facetItems;

    private Inventory(String name, List<Item> items) {
        this.name = name;
        this.items = Collections.unmodifiableList(items);
        List<List<Integer>> byFacet = new ArrayList<>();
        for (int f = 0; f < 30; f++) {
            byFacet.add(new ArrayList<>());
        }
        for (int i = 0; i < items.size(); i++) {
            byFacet.get(items.get(i).facet().ordinal()).add(i);
        }
        facetItems = new int[30][];
        for (int f = 0; f < 30; f++) {
            facetItems[f] = byFacet.get(f).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    public static Inventory byItemCount(int count) {
        return switch (count) {
            case 120 -> IPIP_NEO_120;
            case 300 -> IPIP_NEO_300;
            default -> throw new IllegalArgumentException("no IPIP-NEO inventory with " + count + " items");
        };
    }

    public static Inventory byName(String name) {
        if (IPIP_NEO_120.name.equalsIgnoreCase(name)) {
            return IPIP_NEO_120;
        }
        if (IPIP_NEO_300.name.equalsIgnoreCase(name)) {
            return IPIP_NEO_300;
        }
        throw new IllegalArgumentException("unknown inventory '" + name + "'");
    }

    public String name() {
        return name;
    }

    public int size() {
        return items.size();
    }

    public List<Item> items() {
        return items;
    }

    /** Item by its 1-based number in this inventory. */
    public Item item(int number) {
        return items.get(number - 1);
    }

    /** 0-based indices of the items of a facet. */
    public int[] itemIndices(Facet facet) {
        return facetItems[facet.ordinal()].clone();
    }

    int[][] facetItemIndices() {
        return facetItems;
    }

    private static Inventory load(String name, boolean shortForm) {
        List<Item> items = new ArrayList<>();
        try (InputStream in = Inventory.class.getResourceAsStream("ipip-neo-300.tsv")) {
            if (in == null) {
                throw new IllegalStateException("resource ipip-neo-300.tsv missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] c = line.split("\t", -1);
                int full = Integer.parseInt(c[0]);
                boolean inShort = !c[1].equals("-");
                if (shortForm && !inShort) {
                    continue;
                }
                int number = shortForm ? Integer.parseInt(c[1]) : full;
                items.add(new Item(number, full, Facet.valueOf(c[2]), Keying.of(c[3]), c[4], c[5]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        items.sort((a, b) -> Integer.compare(a.number(), b.number()));
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).number() != i + 1) {
                throw new IllegalStateException(name + ": item numbers are not 1.." + items.size());
            }
        }
        return new Inventory(name, items);
    }

    @Override
    public String toString() {
        return name;
    }
}
