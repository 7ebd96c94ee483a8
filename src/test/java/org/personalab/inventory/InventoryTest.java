package org.personalab.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.personalab.support.Shared;

class InventoryTest {

    @Test
    void ipip300MatchesJohnsonsItemKeyItemByItem() {
        List<String[]> rows = Shared.csv(Shared.data("ipip_neo_300_item_key.csv"));
        String[] h = rows.get(0);
        assertEquals(301, rows.size());
        for (String[] r : rows.subList(1, rows.size())) {
            int full = Integer.parseInt(r[Shared.col(h, "ipip300_item")]);
            Item item = Inventory.IPIP_NEO_300.item(full);
            assertEquals(full, item.ipip300());
            assertEquals(r[Shared.col(h, "facet")], item.facet().name(), "facet of item " + full);
            assertEquals(r[Shared.col(h, "facet_name")], item.facet().displayName(), "facet name of item " + full);
            assertEquals(r[Shared.col(h, "domain")], item.domain().name(), "domain of item " + full);
            assertEquals(r[Shared.col(h, "domain_name")], item.domain().displayName());
            assertEquals(Integer.parseInt(r[Shared.col(h, "keyed")]), item.keying().sign(), "key of item " + full);
            assertEquals(r[Shared.col(h, "item_text")], item.text(), "text of item " + full);
        }
    }

    @Test
    void ipip120MatchesItsItemListItemByItem() {
        List<String[]> rows = Shared.csv(Shared.data("ipip_neo_120_items.csv"));
        String[] h = rows.get(0);
        assertEquals(121, rows.size());
        for (String[] r : rows.subList(1, rows.size())) {
            int n = Integer.parseInt(r[Shared.col(h, "ipip120_item")]);
            Item item = Inventory.IPIP_NEO_120.item(n);
            assertEquals(n, item.number());
            assertEquals(Integer.parseInt(r[Shared.col(h, "ipip300_item")]), item.ipip300(), "Full# of item " + n);
            assertEquals(r[Shared.col(h, "facet")], item.facet().name(), "facet of item " + n);
            assertEquals(Integer.parseInt(r[Shared.col(h, "keyed")]), item.keying().sign(), "key of item " + n);
            assertEquals(r[Shared.col(h, "item_text")], item.text(), "text of item " + n);
            // MPI's one typo "ofyou" is fixed in our bundled text; everything else is identical
            assertEquals(r[Shared.col(h, "item_text_you_mpi")].replace("ofyou", "of you"), item.secondPerson());
        }
    }

    @Test
    void mpi120KeysAgreeWithOursInTheSameOrder() {
        // palign_mpi_120.csv is what the seed project keyed from (and got off by one); ours must match it 1-based.
        List<String[]> rows = Shared.csv(Shared.data("palign_mpi_120.csv"));
        String[] h = rows.get(0);
        for (int i = 1; i < rows.size(); i++) {
            Item item = Inventory.IPIP_NEO_120.item(i);
            assertEquals(Integer.parseInt(rows.get(i)[Shared.col(h, "key")]), item.keying().sign(), "item " + i);
            assertEquals(rows.get(i)[Shared.col(h, "label_ocean")], item.domain().name(), "item " + i);
        }
    }

    @Test
    void structureOfBothForms() {
        assertEquals(120, Inventory.IPIP_NEO_120.size());
        assertEquals(300, Inventory.IPIP_NEO_300.size());
        for (Facet f : Facet.values()) {
            assertEquals(4, Inventory.IPIP_NEO_120.itemIndices(f).length, f.name());
            assertEquals(10, Inventory.IPIP_NEO_300.itemIndices(f).length, f.name());
        }
        long minus120 = Inventory.IPIP_NEO_120.items().stream().filter(Item::reversed).count();
        long minus300 = Inventory.IPIP_NEO_300.items().stream().filter(Item::reversed).count();
        assertEquals(55, minus120);
        assertEquals(148, minus300);
        // Johnson's numbering interleaves domains: item k belongs to NEOAC[(k-1) % 5]
        for (Item it : Inventory.IPIP_NEO_120.items()) {
            assertEquals(Domain.values()[(it.number() - 1) % 5], it.domain());
        }
        // the 120 items are exactly the 300's items with a short number, same text and key
        for (Item it : Inventory.IPIP_NEO_120.items()) {
            Item full = Inventory.IPIP_NEO_300.item(it.ipip300());
            assertEquals(full.text(), it.text());
            assertEquals(full.facet(), it.facet());
            assertEquals(full.keying(), it.keying());
        }
        assertTrue(Inventory.IPIP_NEO_120.items().stream().noneMatch(i -> i.secondPerson().isEmpty()));
    }
}
