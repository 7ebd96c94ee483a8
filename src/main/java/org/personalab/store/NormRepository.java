package org.personalab.store;

import java.util.List;
import org.personalab.profile.NormSet;

/** Cohort norm sets. */
public interface NormRepository {

    /** Stores a norm set computed from {@code referenceDatasetId}; returns it with its id. */
    NormSet insert(NormSet norms, long referenceDatasetId, double scoringRule, long runId);

    NormSet load(long id);

    /** Ids and names of the norm sets, newest first. */
    List<NormSet> listHeaders();
}
