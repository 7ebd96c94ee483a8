package org.personalab.engine.train;

/** A preference pair: prompt + chosen completion and prompt + rejected completion, prompt tokens unlabelled. */
public record DpoExample(Sequence chosen, Sequence rejected) {
}
