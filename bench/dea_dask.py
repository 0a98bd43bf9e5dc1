"""Benchmark: DEA (defaults: slacks on) partitioned over a Dask LocalCluster, with per-partition figures.

    .venv/bin/python bench/dea_dask.py                     # n = 200,000, CCR, one worker per core
    .venv/bin/python bench/dea_dask.py --n 1000000 --rts crs,vrs
    .venv/bin/python bench/dea_dask.py --address tcp://scheduler:8786   # a real cluster

m = 3 inputs, s = 4 outputs driven by the inputs with noise (bench/dea.py's
"driven" data).  Each partition is two tasks: the first pass (score against
the sample's frontier, result kept on the worker) and the finish (re-score
what the completed frontier changes, then the batched second phase).  The
figures per partition (rows, task seconds, rows per task-second) are what
the plan for 5.25 million DMUs in docs/analytics.md is built on.  The last
line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from dangjian.analytics import dea  # noqa: E402
from dea import check_sample, machine, make_data, peak_rss_mb  # noqa: E402


def _worker_cpu() -> float:
    import psutil

    t = psutil.Process().cpu_times()
    return t.user + t.system


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--rts", default="crs")
    parser.add_argument("--address", default="local", help="scheduler address, or 'local'")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="LocalCluster worker processes")
    parser.add_argument("--check", type=int, default=5, help="DMUs checked against the reference LP")
    args = parser.parse_args(argv)

    from distributed import Client, LocalCluster, get_task_stream

    if args.address == "local":
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        cluster = None
        client = Client(args.address)
    x, y = make_data("driven", args.n, seed=args.n)
    runs = []
    worst = 0.0
    try:
        for rts in args.rts.split(","):
            cpu_workers_0 = sum(client.run(_worker_cpu).values())
            cpu_client_0 = sum(os.times()[:2])
            start = time.perf_counter()
            with get_task_stream(client) as stream:
                result = dea(inputs=x, outputs=y, rts=rts, dask=client,
                             progress=lambda msg, t0=start: print(
                                 f"    [{time.perf_counter() - t0:7.1f} s] {msg}", flush=True))
            wall = time.perf_counter() - start
            cpu_workers = sum(client.run(_worker_cpu).values()) - cpu_workers_0
            cpu_client = sum(os.times()[:2]) - cpu_client_0
            tasks: dict[str, list[float]] = {}
            for task in stream.data:
                name = str(task["key"]).split("-")[0].strip("('\"")
                compute = [s for s in task["startstops"] if s["action"] == "compute"]
                tasks.setdefault(name, []).extend(s["stop"] - s["start"] for s in compute)
            first = tasks.get("_first_part", [])
            finish = tasks.get("_finish_part", [])
            parts = len(finish)
            rows_per_part = args.n / max(parts, 1)
            diff = check_sample(x, y, rts, "input", result.scores, result.input_slacks,
                                result.output_slacks, args.check, seed=args.n) if args.check else 0.0
            worst = max(worst, diff)
            # CPU per partition, measured inside the tasks: on a crowded machine
            # task wall seconds mostly measure waiting for a core.
            cpu_parts = [(p["first_pass_ms"] + p["rescore_ms"] + p["second_phase_ms"]) / 1000
                         for p in result.stats["partitions"]]
            run = {
                "rts": rts, "n": args.n, "seconds": round(wall, 2),
                "cpu_seconds_workers": round(cpu_workers, 2), "cpu_seconds_client": round(cpu_client, 2),
                "partitions": parts, "rows_per_partition": round(rows_per_part),
                "first_pass_task_seconds": {"median": round(statistics.median(first), 2),
                                            "max": round(max(first), 2)} if first else None,
                "finish_task_seconds": {"median": round(statistics.median(finish), 2),
                                        "max": round(max(finish), 2)} if finish else None,
                "task_seconds_total": round(sum(sum(v) for v in tasks.values()), 2),
                "partition_cpu_seconds": {"median": round(statistics.median(cpu_parts), 2),
                                          "max": round(max(cpu_parts), 2),
                                          "total": round(sum(cpu_parts), 2)},
                "rows_per_cpu_second": round(args.n / max(sum(cpu_parts), 1e-9)),
                "partition_detail": result.stats["partitions"],
                "rows_per_task_second": round(args.n / max(sum(first) + sum(finish), 1e-9)),
                "reference_set": int(result.reference_set.size),
                "max_abs_diff": diff, "load_average_1m": round(os.getloadavg()[0], 2),
                "peak_rss_mb_client": peak_rss_mb()["self"],
            }
            runs.append(run)
            print(f"dask {rts.upper()} n={args.n:,}: {wall:.1f} s wall, workers' CPU {cpu_workers:.1f} s, "
                  f"client CPU {cpu_client:.1f} s; {parts} partitions of ~{rows_per_part:,.0f} rows; "
                  f"first pass {run['first_pass_task_seconds']} s, finish {run['finish_task_seconds']} s "
                  f"per partition (CPU {run['partition_cpu_seconds']} s); "
                  f"{run['rows_per_cpu_second']:,} rows per CPU-second; "
                  f"max |diff| vs LP {diff:.1e}; load {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    summary = {"n": args.n, "address": args.address, "workers": args.workers,
               "seconds": runs[-1]["seconds"], "max_abs_diff": worst, "load": list(os.getloadavg()),
               "machine": machine(), "runs": runs}
    print(json.dumps(summary))
    return 0 if worst <= 1e-6 else 1


if __name__ == "__main__":
    sys.exit(main())
