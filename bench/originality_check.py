"""Benchmark of the reflection originality check at installation scale.

Builds --documents synthetic reflections (dangjian.learning.synthetic: sentences
from templates and word banks, 300-700 characters), stores their texts in a
SQLite file (plain sqlite3, the way the check fetches candidate texts) and
their MinHash signatures as bytes, rebuilds the LSH index from those bytes (what
a new process does), then times one check at a time for:

- --queries disguised copies of random stored reflections (synonym
  substitution 发展->开展 ..., plus 认真->仔细 and 切实->确实 the table does not
  know, sentences shuffled, about 20% new sentences inserted, some commas
  half-width), counted as found when the copied reflection is flagged;
- --queries unrelated new reflections from the same generator, counted as false
  positives when anything is flagged.

One check = canonicalise + shingle + MinHash the query, LSH lookup, fetch the
candidates' texts from SQLite, verify by exact shingle containment, and build
the side-by-side passages of the flagged ones.

    .venv/bin/python bench/originality_check.py [--documents 100000] [--queries 500] [--seed 1]

The last line printed is one JSON object: documents, p50_ms, p95_ms, recall,
false_positive_rate (plus build figures).
"""

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from dangjian.learning import originality as engine  # noqa: E402
from dangjian.learning import synthetic  # noqa: E402
from machine import machine, uptime  # noqa: E402  (bench/machine.py)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    canon = engine.Canonicaliser()
    started = time.perf_counter()
    docs = [synthetic.reflection(rng) for _ in range(args.documents)]
    print(f"generated {len(docs)} reflections, mean {statistics.mean(map(len, docs)):.0f} characters", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "reflections.sqlite3")
        db.execute("CREATE TABLE reflection (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        db.executemany("INSERT INTO reflection (id, body) VALUES (?, ?)", enumerate(docs))
        db.commit()

        t0 = time.perf_counter()
        owners: list[int] = []
        blobs: list[bytes] = []
        batch = 5000
        for start in range(0, len(docs), batch):
            canons = [canon.canonical(d) for d in docs[start : start + batch]]
            entries, sets = [], []
            for i, c in enumerate(canons):
                for s, e in engine.windows(c):
                    entries.append(start + i)
                    sets.append(engine.shingle_hashes(c, s, e))
            sigs = engine.minhash_many(sets)
            owners.extend(entries)
            blobs.extend(sig.tobytes() for sig in sigs)
            if (start // batch) % 4 == 0:
                print(f"  signatures {start + len(canons)}/{len(docs)}", flush=True)
        signing_s = time.perf_counter() - t0

        # A new process: the index is rebuilt from the stored signature bytes.
        t0 = time.perf_counter()
        index = engine.LshIndex()
        matrix = np.frombuffer(b"".join(blobs), dtype=np.uint32).reshape(-1, engine.NUM_PERM)
        index.add_many(owners, matrix)
        rebuild_s = time.perf_counter() - t0
        index_mb = (index.keys.nbytes + index.entries.nbytes + index.sigs.nbytes) / 1e6
        print(f"signed in {signing_s:.0f} s; index rebuilt in {rebuild_s:.1f} s ({index_mb:.0f} MB)", flush=True)

        def fetch(keys):
            marks = ",".join("?" * len(keys))
            return dict(db.execute(f"SELECT id, body FROM reflection WHERE id IN ({marks})", list(keys)))

        times: list[float] = []
        candidates: list[int] = []
        found = 0
        for _ in range(args.queries):
            j = rng.randrange(len(docs))
            query = synthetic.disguise(rng, docs[j])
            t0 = time.perf_counter()
            result = engine.check(query, index, fetch, canon)
            times.append(time.perf_counter() - t0)
            candidates.append(result.candidates)
            found += any(m.key == j for m in result.matches)
        flagged = 0
        for _ in range(args.queries):
            query = synthetic.reflection(rng)
            t0 = time.perf_counter()
            result = engine.check(query, index, fetch, canon)
            times.append(time.perf_counter() - t0)
            candidates.append(result.candidates)
            flagged += result.flagged
        db.close()

    ms = sorted(t * 1000 for t in times)
    out = {
        "documents": args.documents,
        "index_entries": len(owners),
        "queries": 2 * args.queries,
        "p50_ms": round(ms[len(ms) // 2], 2),
        "p95_ms": round(ms[int(len(ms) * 0.95)], 2),
        "max_ms": round(ms[-1], 2),
        "recall": round(found / args.queries, 4),
        "false_positive_rate": round(flagged / args.queries, 4),
        "mean_candidates": round(statistics.mean(candidates), 1),
        "signing_s": round(signing_s, 1),
        "index_rebuild_s": round(rebuild_s, 2),
        "index_mb": round(index_mb, 1),
        "total_s": round(time.perf_counter() - started, 1),
        "machine": machine(), "uptime": uptime(),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
