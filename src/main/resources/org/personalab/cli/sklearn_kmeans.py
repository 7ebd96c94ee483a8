"""Reference for `personalab bench cluster`: scikit-learn's KMeans on the same feature matrix.

usage: sklearn_kmeans.py FEATURES.npy K N_INIT TOL MAX_ITER SEED
Loads the float32 matrix written by PersonaLab, times only KMeans.fit (Lloyd, k-means++ init) and prints one JSON
line: seconds, inertia, iterations, cluster sizes, threads, versions.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans

try:
    from threadpoolctl import threadpool_info
except ImportError:  # pragma: no cover
    threadpool_info = None


def main():
    path, k, n_init, tol, max_iter, seed = sys.argv[1:7]
    x = np.load(path)
    km = KMeans(n_clusters=int(k), n_init=int(n_init), tol=float(tol), max_iter=int(max_iter),
                random_state=int(seed), algorithm="lloyd", init="k-means++")
    t0 = time.perf_counter()
    km.fit(x)
    secs = time.perf_counter() - t0
    sizes = np.bincount(km.labels_, minlength=int(k))
    # inertia recomputed in float64 from labels and centres, as PersonaLab reports it
    diff = x.astype(np.float64) - km.cluster_centers_.astype(np.float64)[km.labels_]
    inertia64 = float(np.einsum("ij,ij->", diff, diff))
    threads = None
    if threadpool_info is not None:
        threads = [{"api": p.get("user_api"), "lib": p.get("internal_api"), "threads": p.get("num_threads")}
                   for p in threadpool_info()]
    print(json.dumps({"seconds": secs, "inertia": float(km.inertia_), "inertia64": inertia64,
                      "iterations": int(km.n_iter_), "rows": int(x.shape[0]), "cols": int(x.shape[1]),
                      "dtype": str(x.dtype), "min_size": int(sizes.min()), "max_size": int(sizes.max()),
                      "sklearn": sklearn.__version__, "numpy": np.__version__, "threadpools": threads}))


if __name__ == "__main__":
    main()
