"""Benchmark: CCR + BCC scores for many DMUs, against a plain per-DMU loop and a peer package.

    .venv/bin/python bench/dea.py            # n = 1,000 / 10,000 / 100,000 (plain loop up to 10,000)
    .venv/bin/python bench/dea.py --quick    # n = 1,000 / 5,000, a minute or two
    .venv/bin/python bench/dea.py --command --sizes 100000   # the default command, CCR + BCC
    .venv/bin/python bench/dea.py --api --sizes 1000000 --models crs   # a million, API, slacks on

m = 3 inputs, s = 4 outputs, input orientation, scores only (no second phase),
random (uniform) and clustered (six lognormal clusters) data.  The plain loop
is the textbook method: scipy's HiGHS linprog once per DMU over all n DMUs
(tests/analytics/reference_lp.py).  The peer is Pyfrontier (PuLP + CBC).
Every method's scores are compared with the engine's; the last line printed is
one JSON object with all figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.analytics.reference_lp import envelopment_scores  # noqa: E402

from dangjian.analytics import dea  # noqa: E402

M, S = 3, 4


def make_data(kind: str, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    if kind == "driven":
        # Outputs driven by the inputs (Cobb-Douglas) with noise and inefficiency.
        x = rng.uniform(1, 100, (n, M))
        a = rng.uniform(0.1, 0.5, (S, M))
        noise = rng.normal(0, 0.1, (n, S)) - np.abs(rng.normal(0, 0.3, n))[:, None]
        return x, 10 * np.exp(np.log(x) @ a.T + noise)
    if kind == "random":
        return rng.uniform(1, 100, (n, M)), rng.uniform(1, 100, (n, S))
    centres = rng.uniform(5, 50, size=(6, M + S))
    z = centres[rng.integers(0, 6, size=n)] * rng.lognormal(0.0, 0.15, size=(n, M + S))
    return z[:, :M], z[:, M:]


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def cpu_seconds() -> float:
    """CPU time of this process and its reaped worker processes.

    Other sessions may share the machine; CPU seconds do not depend on how
    much of it they take, wall seconds do.
    """
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def engine(x: np.ndarray, y: np.ndarray, rts: str, workers: int) -> np.ndarray:
    return dea(inputs=x, outputs=y, rts=rts, slacks=False, workers=workers).scores


def peer_scores(x: np.ndarray, y: np.ndarray, rts: str, workers: int) -> np.ndarray:
    from Pyfrontier.frontier_model import EnvelopDEA

    model = EnvelopDEA(frontier=rts.upper(), orient="in", n_jobs=workers)
    model.fit(x, y)
    return np.array([r.score for r in model.results])


def machine() -> dict[str, object]:
    model = platform.processor()
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        for line in lscpu.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return {"cpu": model, "cores": os.cpu_count(), "load_average_1m": os.getloadavg()[0],
            "python": platform.python_version(), "numpy": np.__version__}


def peak_rss_mb() -> dict[str, float]:
    import resource

    return {"self": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "children": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}


def check_sample(x, y, rts, orientation, scores, in_slack, out_slack, count, seed) -> float:
    """Largest difference from the independent two-phase LP on ``count`` sampled DMUs."""
    from tests.analytics.reference_lp import envelopment_two_phase

    rows = np.random.default_rng(seed).choice(len(x), count, replace=False)
    ref, s_in, s_out, _ = envelopment_two_phase(x, y, rts=rts, orientation=orientation, evaluate=rows)
    return float(max(np.abs(scores[rows] - ref).max(), np.abs(in_slack[rows] - s_in).max(),
                     np.abs(out_slack[rows] - s_out).max()))


def run_command(args) -> int:
    """The command a user runs, defaults only (slacks on, every core), on a CSV file."""
    import csv
    import tempfile

    runs = []
    worst = 0.0
    for n in [int(v) for v in (args.sizes or "100000").split(",")]:
        x, y = make_data("driven", n, seed=n)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "units.csv"
            with open(path, "w", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(["id", *[f"x{i + 1}" for i in range(M)], *[f"y{i + 1}" for i in range(S)]])
                for i in range(n):
                    writer.writerow([f"u{i}", *map(repr, x[i].tolist()), *map(repr, y[i].tolist())])
            run = {"kind": "driven", "n": n, "m": M, "s": S}
            for rts in args.models.split(","):
                argv = [sys.executable, "-m", "dangjian.analytics.cli", "dea", str(path),
                        "--inputs", ",".join(f"x{i + 1}" for i in range(M)),
                        "--outputs", ",".join(f"y{i + 1}" for i in range(S)), "--id", "id", "--rts", rts]
                before = os.times()
                start = time.perf_counter()
                done = subprocess.run(argv, capture_output=True, text=True, check=True,
                                      env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
                wall = time.perf_counter() - start
                after = os.times()
                cpu = after.children_user + after.children_system - before.children_user - before.children_system
                rows = json.loads(done.stdout)["results"]
                scores = np.array([r["score"] for r in rows])
                s_in = np.array([[r["slacks"][f"x{i + 1}"] for i in range(M)] for r in rows])
                s_out = np.array([[r["slacks"][f"y{i + 1}"] for i in range(S)] for r in rows])
                diff = check_sample(x, y, rts, "input", scores, s_in, s_out, args.check, seed=n)
                worst = max(worst, diff)
                run |= {f"{rts}_seconds": round(wall, 2), f"{rts}_cpu_seconds": round(cpu, 2),
                        f"{rts}_max_abs_diff": diff, f"{rts}_load_average_1m": round(os.getloadavg()[0], 2)}
                progress = [line for line in done.stderr.splitlines() if "[" in line]
                print(f"command driven {n:>9}  {rts.upper()} {wall:8.2f} s  (CPU {cpu:7.2f} s, "
                      f"load {os.getloadavg()[0]:.1f})  max |diff| vs LP on {args.check} DMUs {diff:.1e}",
                      flush=True)
                for line in progress:
                    print("    " + line)
            run["peak_rss_mb_children"] = peak_rss_mb()["children"]
            runs.append(run)
    last = runs[-1]
    total = sum(last.get(f"{rts}_seconds", 0) for rts in ("crs", "vrs"))
    summary = {"n": last["n"], "ccr_seconds": last.get("crs_seconds"), "bcc_seconds": last.get("vrs_seconds"),
               "ccr_plus_bcc_seconds": round(total, 2),
               "cpu_seconds": round(sum(last.get(f"{r}_cpu_seconds", 0) for r in ("crs", "vrs")), 2),
               "mode": "command (defaults: slacks on, every core)", "max_abs_diff": worst,
               "load": list(os.getloadavg()), "machine": machine(), "runs": runs}
    print(json.dumps(summary))
    return 0 if worst <= 1e-6 else 1


def run_api(args) -> int:
    """dea() with its defaults (slacks on) and every core, timing and peak memory."""
    from dangjian.analytics._parallel import available_cores

    runs = []
    worst = 0.0
    for n in [int(v) for v in (args.sizes or "1000000").split(",")]:
        x, y = make_data("driven", n, seed=n)
        run = {"kind": "driven", "n": n, "m": M, "s": S}
        for rts in args.models.split(","):
            before = os.times()
            start = time.perf_counter()
            result = dea(inputs=x, outputs=y, rts=rts, workers=available_cores(),
                         progress=lambda msg, t0=start: print(f"    [{time.perf_counter() - t0:7.1f} s] {msg}",
                                                              flush=True))
            wall = time.perf_counter() - start
            after = os.times()
            cpu = sum(after[:4]) - sum(before[:4])
            diff = check_sample(x, y, rts, "input", result.scores, result.input_slacks,
                                result.output_slacks, args.check, seed=n) if args.check else None
            worst = max(worst, diff or 0.0)
            run |= {f"{rts}_seconds": round(wall, 2), f"{rts}_cpu_seconds": round(cpu, 2),
                    f"{rts}_reference_set": int(result.reference_set.size), f"{rts}_max_abs_diff": diff,
                    f"{rts}_load_average_1m": round(os.getloadavg()[0], 2)}
            print(f"api     driven {n:>9}  {rts.upper()} {wall:8.2f} s  (CPU {cpu:7.2f} s, "
                  f"load {os.getloadavg()[0]:.1f})  peak RSS {peak_rss_mb()}", flush=True)
            del result
        run["peak_rss_mb"] = peak_rss_mb()
        runs.append(run)
    last = runs[-1]
    summary = {"n": last["n"], "ccr_seconds": last.get("crs_seconds"), "bcc_seconds": last.get("vrs_seconds"),
               "cpu_seconds": round(sum(last.get(f"{r}_cpu_seconds", 0) for r in ("crs", "vrs")), 2),
               "peak_rss_mb": last["peak_rss_mb"], "mode": "api (slacks on, every core)",
               "max_abs_diff": worst, "load": list(os.getloadavg()), "machine": machine(), "runs": runs}
    print(json.dumps(summary))
    return 0 if worst <= 1e-6 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="n = 1,000 and 5,000 only")
    parser.add_argument("--sizes", help="comma-separated sizes (overrides the defaults)")
    parser.add_argument("--kinds", default="random,clustered")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--loop-max", type=int, default=10_000, help="largest n for the plain loop")
    parser.add_argument("--peer-max", type=int, default=1_000, help="largest n for the peer package")
    parser.add_argument("--peer-kinds", default="random", help="data kinds the peer is run on")
    parser.add_argument("--loop-kinds", default="random,clustered",
                        help="data kinds the plain loop is run on at sizes above 1,000")
    parser.add_argument("--command", action="store_true",
                        help="time the default dangjian-analyze command on a CSV (driven data)")
    parser.add_argument("--api", action="store_true", help="time dea() with slacks on (driven data)")
    parser.add_argument("--models", default="crs,vrs", help="with --command/--api: crs, vrs or both")
    parser.add_argument("--check", type=int, default=10,
                        help="with --command/--api: DMUs checked against the two-phase reference LP")
    args = parser.parse_args(argv)
    if args.command:
        return run_command(args)
    if args.api:
        return run_api(args)
    sizes = [1_000, 5_000] if args.quick else [1_000, 10_000, 100_000]
    if args.sizes:
        sizes = [int(v) for v in args.sizes.split(",")]

    runs = []
    scores: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = {}
    kinds = args.kinds.split(",")
    # Engine timings first (minutes in all), then the slow comparisons, so an
    # interrupted run still has the headline figures.
    for kind in kinds:
        for n in sizes:
            x, y = make_data(kind, n, seed=n)
            cpu0 = cpu_seconds()
            ccr, ccr_s = timed(lambda x=x, y=y: engine(x, y, "crs", args.workers))
            cpu1 = cpu_seconds()
            bcc, bcc_s = timed(lambda x=x, y=y: engine(x, y, "vrs", args.workers))
            cpu2 = cpu_seconds()
            scores[(kind, n)] = (ccr, bcc)
            runs.append({"kind": kind, "n": n, "m": M, "s": S,
                         "ccr_seconds": round(ccr_s, 3), "bcc_seconds": round(bcc_s, 3),
                         "ccr_cpu_seconds": round(cpu1 - cpu0, 3),
                         "bcc_cpu_seconds": round(cpu2 - cpu1, 3),
                         "load_average_1m": round(os.getloadavg()[0], 2)})
            print(f"engine  {kind:<10}{n:>8}  CCR {ccr_s:8.2f} s  BCC {bcc_s:8.2f} s  "
                  f"total {ccr_s + bcc_s:8.2f} s  (CPU {cpu2 - cpu0:7.2f} s, "
                  f"load {os.getloadavg()[0]:.1f})", flush=True)
    worst = 0.0
    # Small sizes first: the 10,000-DMU loops take longest.
    for run in sorted(runs, key=lambda r: (r["n"], r["kind"] != "random")):
        kind, n = run["kind"], run["n"]
        loop = n <= args.loop_max and (n <= 1_000 or kind in args.loop_kinds)
        peer = n <= args.peer_max and kind in args.peer_kinds
        if not (loop or peer):
            continue
        x, y = make_data(kind, n, seed=n)
        ccr, bcc = scores[(kind, n)]
        if loop:
            loop_ccr, t1 = timed(lambda x=x, y=y: envelopment_scores(x, y, rts="crs", orientation="input"))
            loop_bcc, t2 = timed(lambda x=x, y=y: envelopment_scores(x, y, rts="vrs", orientation="input"))
            run["loop_seconds"] = round(t1 + t2, 3)
            run["ratio_vs_loop"] = round((t1 + t2) / (run["ccr_seconds"] + run["bcc_seconds"]), 1)
            run["max_abs_diff_loop"] = float(max(np.abs(loop_ccr - ccr).max(),
                                                 np.abs(loop_bcc - bcc).max()))
            print(f"loop    {kind:<10}{n:>8}  {t1 + t2:8.1f} s  ratio {run['ratio_vs_loop']:7.1f}x  "
                  f"max |diff| {run['max_abs_diff_loop']:.2e}", flush=True)
        if peer:
            try:
                peer_ccr, p1 = timed(lambda x=x, y=y: peer_scores(x, y, "crs", args.workers))
                peer_bcc, p2 = timed(lambda x=x, y=y: peer_scores(x, y, "vrs", args.workers))
            except ImportError:
                run["peer"] = None
            else:
                run["peer"] = "pyfrontier"
                run["peer_seconds"] = round(p1 + p2, 3)
                run["max_abs_diff_peer"] = float(max(np.abs(peer_ccr - ccr).max(),
                                                     np.abs(peer_bcc - bcc).max()))
                print(f"peer    {kind:<10}{n:>8}  {p1 + p2:8.1f} s  "
                      f"max |diff| {run['max_abs_diff_peer']:.2e}", flush=True)
        diffs = [run[k] for k in ("max_abs_diff_loop", "max_abs_diff_peer") if k in run]
        if diffs:
            run["max_abs_diff"] = max(diffs)
            worst = max(worst, run["max_abs_diff"])

    largest = max(runs, key=lambda r: (r["n"], r["kind"] == "random"))
    looped = [r for r in runs if "loop_seconds" in r]
    biggest_loop = max(looped, key=lambda r: r["n"]) if looped else {}
    peered = [r for r in runs if r.get("peer")]
    summary = {
        "n": largest["n"],
        "ccr_seconds": largest["ccr_seconds"],
        "bcc_seconds": largest["bcc_seconds"],
        "ccr_plus_bcc_seconds": round(largest["ccr_seconds"] + largest["bcc_seconds"], 3),
        "loop_n": biggest_loop.get("n"),
        "loop_seconds": biggest_loop.get("loop_seconds"),
        "ratio_vs_loop": biggest_loop.get("ratio_vs_loop"),
        "peer": peered[0]["peer"] if peered else None,
        "peer_seconds": peered[0]["peer_seconds"] if peered else None,
        "max_abs_diff": worst,
        "workers": args.workers,
        "machine": machine(),
        "runs": runs,
    }
    print(json.dumps(summary))
    return 0 if worst <= 1e-6 else 1


if __name__ == "__main__":
    sys.exit(main())
