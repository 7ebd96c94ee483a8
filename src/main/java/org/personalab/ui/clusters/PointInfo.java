package org.personalab.ui.clusters;

import org.personalab.data.Responses;

/**
 * Who a point of the scatter is: what the hover label shows and what a click opens in the dataset browser.
 *
 * @param row     dataset row
 * @param split   the split the person is in in the split set shown, or null
 */
public record PointInfo(long datasetId, String datasetName, int row, String id, String sex, int age,
        String country, int cluster, String split) {

    public static PointInfo of(ClusterPicture p, int row) {
        Responses r = p.data().responses();
        return new PointInfo(p.dataset().id(), p.dataset().name(), row, r.id(row), r.sex(row).label(), r.age(row),
                r.country(row), p.labels()[row], p.split() == null ? null : p.split().splitOf(row));
    }

    /** One line: "P17 · Female · 34 · USA · cluster 3 · test". */
    public String describe() {
        return id + " · " + sex + " · " + (age > 0 ? Integer.toString(age) : "age unknown") + " · "
                + (country == null || country.isBlank() ? "country unknown" : country) + " · cluster " + cluster
                + (split == null ? "" : " · " + split);
    }
}
