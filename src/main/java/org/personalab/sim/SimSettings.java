package org.personalab.sim;

import org.personalab.inventory.Inventory;

/**
 * How a questionnaire is administered: which inventory, how the persona is written, what the agent remembers, the
 * item and option orders, how many samples per item, and the item prompt. Stored with every run.
 */
public record SimSettings(Inventory inventory, PersonaRenderer.Mode persona, MemoryPolicy memory, ItemOrder itemOrder,
        OptionOrder optionOrder, int samples, ItemPrompt prompt) {

    public SimSettings {
        if (inventory == null || persona == null || memory == null || itemOrder == null || optionOrder == null
                || prompt == null) {
            throw new IllegalArgumentException("simulation settings are incomplete");
        }
        if (samples < 1 || samples > 100) {
            throw new IllegalArgumentException("samples per item must be 1..100, not " + samples);
        }
    }

    /** IPIP-NEO-120, TinyTroupe persona, no memory, fixed orders, one sample, the standard prompt. */
    public static SimSettings standard() {
        return new SimSettings(Inventory.IPIP_NEO_120, PersonaRenderer.Mode.TINYTROUPE, new MemoryPolicy.None(),
                ItemOrder.FIXED, OptionOrder.FIXED, 1, ItemPrompt.standard());
    }

    public SimSettings withInventory(Inventory i) {
        return new SimSettings(i, persona, memory, itemOrder, optionOrder, samples, prompt);
    }

    public SimSettings withPersona(PersonaRenderer.Mode p) {
        return new SimSettings(inventory, p, memory, itemOrder, optionOrder, samples, prompt);
    }

    public SimSettings withMemory(MemoryPolicy m) {
        return new SimSettings(inventory, persona, m, itemOrder, optionOrder, samples, prompt);
    }

    public SimSettings withItemOrder(ItemOrder o) {
        return new SimSettings(inventory, persona, memory, o, optionOrder, samples, prompt);
    }

    public SimSettings withOptionOrder(OptionOrder o) {
        return new SimSettings(inventory, persona, memory, itemOrder, o, samples, prompt);
    }

    public SimSettings withSamples(int n) {
        return new SimSettings(inventory, persona, memory, itemOrder, optionOrder, n, prompt);
    }

    public SimSettings withPrompt(ItemPrompt p) {
        return new SimSettings(inventory, persona, memory, itemOrder, optionOrder, samples, p);
    }
}
