"""Benchmark: build the demo organisation at scale into a fresh SQLite database.

Run with the project's Python (not a test):

    .venv/bin/python bench/demo_scale.py [--scale 100000] [--scale 1000000] [--keep]

For each scale: migrate a fresh SQLite database in a temporary directory, then
time `demo_org --scale N --no-features` (the foundation only: feature seeders
vary with the installed apps). The command's progress lines are echoed. The
last line printed is one JSON object with one result per scale: members, orgs,
seconds, database size, the command's peak memory, and the machine.
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        model = re.search(r"Model name:\s*(.+)", out)
        return f"{model.group(1).strip() if model else platform.processor()}, {os.cpu_count()} cores"
    except (OSError, subprocess.CalledProcessError):
        return f"{platform.processor()}, {os.cpu_count()} cores"


def manage(env: dict, *args: str, echo: bool = False) -> str:
    cmd = [sys.executable, "-m", "dangjian.manage", *args, "--skip-checks"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if echo and "Demo-2026" not in line:
            print("   ", line.rstrip(), flush=True)
    if proc.wait() != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{''.join(lines[-30:])}")
    return "".join(lines)


def run(scale: int, *, seed: int, keep: bool) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"demo_scale_{scale}_"))
    db = workdir / "bench.sqlite3"
    env = {**os.environ, "DANGJIAN_VAR_DIR": str(workdir), "DATABASE_URL": f"sqlite:///{db}"}
    manage(env, "migrate", "--no-input", "-v", "0")
    print(f"demo_org --scale {scale:,} (SQLite, {workdir})", flush=True)
    started = time.perf_counter()
    out = manage(env, "demo_org", "--scale", str(scale), "--seed", str(seed), "--no-features", echo=True)
    seconds = time.perf_counter() - started
    done = re.search(r"Foundation done: ([\d,]+) organisations, ([\d,]+) members .*peak memory (\d+) MB", out)
    size = sum(p.stat().st_size for p in workdir.glob("bench.sqlite3*"))
    if not keep:
        for p in workdir.iterdir():
            p.unlink()
        workdir.rmdir()
    return {
        "scale": scale,
        "orgs": int(done.group(1).replace(",", "")),
        "members": int(done.group(2).replace(",", "")),
        "seconds": round(seconds, 1),
        "db_megabytes": round(size / 2**20),
        "peak_rss_megabytes": int(done.group(3)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, action="append", help="members (repeatable); default 100000")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", action="store_true", help="keep the databases (their paths are printed)")
    args = parser.parse_args()
    results = [run(scale, seed=args.seed, keep=args.keep) for scale in args.scale or [100_000]]
    print(json.dumps({"machine": cpu_model(), "python": platform.python_version(), "results": results},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
