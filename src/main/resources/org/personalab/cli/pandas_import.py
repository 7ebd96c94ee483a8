# Reference for `personalab bench import`: the same work done the way a researcher would in pandas.
# Reads Johnson's IPIP120.dat layout with read_fwf, scores 30 facets (0 = missing, a facet needs 3 of 4 items)
# and 5 domains, computes 10/30/70/90th percentiles per sex x age-group cohort, and assigns levels.
# Usage: python3 pandas_import.py FILE FACETS_JSON   (FACETS_JSON: facet name -> list of 1-based item numbers)
import json
import sys
import time

t0 = time.time()
import numpy as np
import pandas as pd

path, facets = sys.argv[1], json.loads(sys.argv[2])
colspecs = [(0, 6), (6, 7), (7, 9), (9, 11), (11, 13), (13, 15), (15, 17), (17, 19), (19, 22), (22, 31)]
colspecs += [(31 + i, 32 + i) for i in range(120)]
names = ["case", "sex", "age", "sec", "min", "hour", "day", "month", "year", "country"]
names += ["I%d" % i for i in range(1, 121)]
df = pd.read_fwf(path, colspecs=colspecs, names=names, header=None)
t_read = time.time()

items = df[["I%d" % i for i in range(1, 121)]].replace(0, np.nan)
scales = []
for facet, nums in facets.items():
    cols = items[["I%d" % n for n in nums]]
    answered = cols.notna().sum(axis=1)
    df[facet] = cols.mean(axis=1).where(answered >= 3)
    scales.append(facet)
for d in "NEOAC":
    fs = [f for f in facets if f[0] == d]
    df[d] = df[fs].mean(axis=1, skipna=False)
    scales.append(d)
t_score = time.time()

age_group = pd.cut(df["age"], [-1, 17, 24, 49, 64, 1000], labels=["Teen", "YoungAdult", "Adult", "OlderAdult", "Senior"])
df["cohort"] = df["sex"].astype(str) + "_" + age_group.astype(str)
for s in scales:
    q = df.groupby("cohort")[s].quantile([0.1, 0.3, 0.7, 0.9]).unstack()
    cuts = q.loc[df["cohort"]].to_numpy()
    v = df[s].to_numpy()[:, None]
    level = (v >= cuts).sum(axis=1).astype(float)
    level[np.isnan(df[s].to_numpy())] = np.nan
    df[s + "_level"] = level
t_levels = time.time()
print(json.dumps({"rows": int(len(df)), "read_s": t_read - t0, "score_s": t_score - t_read,
                  "levels_s": t_levels - t_score, "total_s": t_levels - t0}))
