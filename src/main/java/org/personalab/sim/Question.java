package org.personalab.sim;

import org.personalab.inventory.Item;

/**
 * One item as put to one agent.
 *
 * @param itemIndex 0-based index in the run's inventory
 * @param position 0-based position in this agent's administration order
 * @param sample which sample of the item (0 for the first; several samples ask the same item again)
 * @param order the order the options are shown in (letters map back through it)
 * @param prompt the rendered item prompt (user message)
 */
public record Question(Item item, int itemIndex, int position, int sample, OptionOrder order, String prompt) {
}
