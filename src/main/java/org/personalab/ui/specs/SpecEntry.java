package org.personalab.ui.specs;

/**
 * One line of the spec list: a person's spec from one source, at its newest version.
 *
 * @param respondentId  workspace respondent id
 * @param personId      the person's id in the dataset ("#" + respondent id when the dataset is not known)
 * @param agentName     the persona's name in the newest version ("(unreadable)" when it does not parse)
 * @param source        how the first version was written (engine label, e.g. the template engine)
 * @param model         the model or rule set of the first version, or null
 * @param rootSpecId    id of the first version
 * @param latestSpecId  id of the newest version
 * @param versions      versions from the first to the newest
 */
public record SpecEntry(long respondentId, String personId, String agentName, String source, String model,
        long rootSpecId, long latestSpecId, int versions) {

    /** The same spec after a new version {@code specId} was saved. */
    public SpecEntry withNewVersion(long specId, String name) {
        return new SpecEntry(respondentId, personId, name == null ? agentName : name, source, model, rootSpecId,
                specId, versions + 1);
    }

    /** Source and model in one short phrase. */
    public String sourceLabel() {
        return model == null || model.isBlank() ? source : source + " · " + model;
    }
}
