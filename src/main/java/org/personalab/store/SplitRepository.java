package org.personalab.store;

import java.util.List;
import java.util.Optional;
import org.personalab.cluster.SplitMembers;
import org.personalab.cluster.SplitSetInfo;
import org.personalab.task.TaskContext;

/** Named, frozen split sets (train/test/...) and the split of each person in them. */
public interface SplitRepository {

    /** Inserts the split set row; returns it with its id. */
    SplitSetInfo insert(SplitSetInfo info);

    /** Inserts the people of a split set, each in one split (the primary key refuses a person twice). */
    void insertMembers(long splitSetId, SplitMembers members, TaskContext context);

    Optional<SplitSetInfo> find(String name);

    Optional<SplitSetInfo> get(long id);

    /** All split sets, oldest first. */
    List<SplitSetInfo> list();

    /** Members ordered by respondent id. */
    SplitMembers members(long splitSetId);

    void delete(long splitSetId);
}
