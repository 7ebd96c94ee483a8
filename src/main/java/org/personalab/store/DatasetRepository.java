package org.personalab.store;

import java.util.List;
import java.util.Optional;
import org.personalab.data.DatasetInfo;
import org.personalab.data.Responses;
import org.personalab.task.TaskContext;

/** Datasets and their respondents. */
public interface DatasetRepository {

    List<DatasetInfo> list();

    Optional<DatasetInfo> find(String name);

    Optional<DatasetInfo> get(long id);

    /** Inserts the dataset row; returns it with its id. */
    DatasetInfo insert(DatasetInfo info);

    /** Inserts all respondents of a dataset (answers packed two per byte), checking for cancellation. */
    void insertRespondents(long datasetId, Responses responses, TaskContext context);

    /** Reads a dataset's respondents back in row order. */
    Responses loadResponses(DatasetInfo info, TaskContext context);

    /** Workspace respondent ids of a dataset, indexed by row. */
    long[] respondentIds(long datasetId);

    void setNormSet(long datasetId, long normSetId);

    void delete(long datasetId);
}
