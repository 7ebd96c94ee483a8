package org.personalab.data;

import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;

/** Supported input formats, with the encoding their files use unless told otherwise. */
public enum ImportFormat {
    /** Johnson's IPIP120.dat: fixed width, 151 characters per record, keyed. */
    JOHNSON120("johnson120", Inventory.IPIP_NEO_120, AnswerEncoding.KEYED),
    /** Johnson's IPIP300.dat: fixed width, 333 characters per record, keyed. */
    JOHNSON300("johnson300", Inventory.IPIP_NEO_300, AnswerEncoding.KEYED),
    /** PAlign's PAPI Test-set.json: an array of objects with case, sex, age, country, i1..i300 (keyed). */
    PAPI("papi", Inventory.IPIP_NEO_300, AnswerEncoding.KEYED),
    /** CSV with a header and a column mapping; raw unless --keyed is given. */
    CSV("csv", null, AnswerEncoding.RAW);

    private final String cliName;
    private final Inventory inventory;
    private final AnswerEncoding defaultEncoding;

    ImportFormat(String cliName, Inventory inventory, AnswerEncoding defaultEncoding) {
        this.cliName = cliName;
        this.inventory = inventory;
        this.defaultEncoding = defaultEncoding;
    }

    public String cliName() {
        return cliName;
    }

    /** The inventory this format implies, or null when the file decides (CSV). */
    public Inventory inventory() {
        return inventory;
    }

    public AnswerEncoding defaultEncoding() {
        return defaultEncoding;
    }

    public static ImportFormat parse(String s) {
        for (ImportFormat f : values()) {
            if (f.cliName.equalsIgnoreCase(s) || f.name().equalsIgnoreCase(s)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + s + "' (expected johnson120, johnson300, papi or csv)");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
