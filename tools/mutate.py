"""Mutation testing of the rule and maths modules with cosmic-ray (`make mutate`, not in CI: slow).

Each module is mutated on its own and every mutant is run against that
module's own test files only (MODULES below), cheapest first. For each module
the script prints killed / survived / timed out and the survivors (file, line,
operator, diff); docs/testing.md keeps the last results and explains every
survivor that is equivalent.

    .venv/bin/python tools/mutate.py                 # every module
    .venv/bin/python tools/mutate.py idnumber ahp    # some of them

Cosmic-ray edits the module file in place while a mutant runs and restores it
afterwards: run it on a clean tree and do not edit src/ meanwhile.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutation"
PY = sys.executable

# name: (module file, its own test files), cheapest first.
MODULES = {
    "idnumber": ("src/dangjian/orgs/idnumber.py", ["tests/orgs/test_idnumber_fixtures.py"]),
    "dues_rules": ("src/dangjian/dues/rules.py", ["tests/dues/test_rules.py", "tests/dues/test_regulation_table.py"]),
    "ahp": ("src/dangjian/analytics/ahp.py", ["tests/analytics/test_ahp.py"]),
    "mcdm": ("src/dangjian/analytics/mcdm.py", ["tests/analytics/test_mcdm.py"]),
    "elections": ("src/dangjian/committees/rules.py",
                  ["tests/committees/test_rules.py", "tests/committees/test_regulation_table.py"]),
    "recruitment_rules": ("src/dangjian/recruitment/rules.py",
                          ["tests/recruitment/test_rules.py", "tests/recruitment/test_regulation_table.py"]),
    "meeting_periods": ("src/dangjian/meetings/periods.py", ["tests/meetings/test_periods.py", "tests/meetings/test_rules.py"]),
    "audit_chain": ("src/dangjian/audit/services.py", ["tests/audit"]),
    "scoping": ("src/dangjian/core/scoping.py", ["tests/core/test_scoping.py"]),
    "appeals_metrics": ("src/dangjian/appeals/selectors.py", ["tests/appeals/test_metrics.py"]),
    "meeting_compliance": ("src/dangjian/meetings/selectors.py", ["tests/meetings/test_rules.py", "tests/meetings/test_views.py"]),
    "dea": ("src/dangjian/analytics/dea.py",
            ["tests/analytics/test_dea_published.py", "tests/analytics/test_dea_properties.py"]),
    "dea_engine": ("src/dangjian/analytics/_engine.py",
                   ["tests/analytics/test_dea_published.py", "tests/analytics/test_dea_properties.py",
                    "tests/analytics/test_dea_large.py"]),
}

CONFIG = """[cosmic-ray]
module-path = "{module}"
timeout = {timeout}
excluded-modules = []
test-command = "{py} -m pytest -x -q -n 0 -p no:cacheprovider -p no:randomly {tests}"

[cosmic-ray.distributor]
name = "local"
"""


def run(name: str, timeout: float = 120.0) -> dict:
    module, tests = MODULES[name]
    WORK.mkdir(parents=True, exist_ok=True)
    config, session = WORK / f"{name}.toml", WORK / f"{name}.sqlite"
    config.write_text(CONFIG.format(module=module, timeout=timeout, py=PY, tests=" ".join(tests)))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    if not session.exists():
        subprocess.run(["cosmic-ray", "init", str(config), str(session)], cwd=ROOT, env=env, check=True)
    subprocess.run(["cosmic-ray", "exec", str(config), str(session)], cwd=ROOT, env=env, check=True)
    dump = subprocess.run(["cosmic-ray", "dump", str(session)], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout
    counts = {"killed": 0, "survived": 0, "incompetent": 0, "pending": 0}
    survivors = []
    for line in dump.splitlines():
        job, result = json.loads(line)
        if result is None:
            counts["pending"] += 1
            continue
        outcome = result.get("test_outcome")
        if result.get("worker_outcome") != "normal" and outcome is None:
            counts["incompetent"] += 1  # timed out or could not run: counted as killed by cosmic-ray's rules
            continue
        if outcome == "survived":
            counts["survived"] += 1
            m = job["mutations"][0]
            survivors.append({"line": m["start_pos"][0], "operator": m["operator_name"],
                              "occurrence": m["occurrence"], "diff": result.get("diff", "")})
        else:
            counts["killed"] += 1
    done = counts["killed"] + counts["survived"] + counts["incompetent"]
    killed = (counts["killed"] + counts["incompetent"]) / done if done else 0.0
    return {"module": module, **counts, "killed_share": round(killed, 3), "survivors": survivors}


def main(names: list[str]) -> None:
    results = {}
    for name in names or list(MODULES):
        print(f"== {name}: {MODULES[name][0]}", flush=True)
        results[name] = run(name)
        r = results[name]
        print(f"   killed {r['killed']}, survived {r['survived']}, timed out/incompetent {r['incompetent']}, "
              f"pending {r['pending']}: {r['killed_share']:.1%} killed", flush=True)
        for s in r["survivors"]:
            print(f"   survivor line {s['line']}: {s['operator']} #{s['occurrence']}")
            print("      " + "\n      ".join(s["diff"].splitlines()[2:]))
    (WORK / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(json.dumps({name: r["killed_share"] for name, r in results.items()}))


if __name__ == "__main__":
    main(sys.argv[1:])
