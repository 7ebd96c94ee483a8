package org.personalab.cluster;

/** The people of a split set with the split each is in, ordered by respondent id. */
public record SplitMembers(long[] respondentIds, String[] splits) {

    public SplitMembers {
        if (respondentIds.length != splits.length) {
            throw new IllegalArgumentException("member columns differ in length");
        }
    }

    public int size() {
        return respondentIds.length;
    }
}
