-- PersonaLab workspace schema, version 2: clusterings keep their centroids.
-- centroids: k × d little-endian float32 in the clustering's feature space (the exact columns are listed in
-- clustering.features), so later stages (centroid-representative splits, the clusters panel) use exactly the
-- centroids the clustering found rather than recomputing them.
ALTER TABLE clustering ADD COLUMN centroids BLOB;
CREATE INDEX cluster_member_cluster ON cluster_member (clustering_id, cluster);
CREATE INDEX split_member_split ON split_member (split_set_id, split);
