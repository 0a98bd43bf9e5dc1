"""Mutation testing of the rule and maths modules with cosmic-ray (`make mutate`, not in CI: slow).

Each module is mutated on its own and every mutant is run against that
module's own test files only (MODULES below), cheapest first. For each module
the script prints killed / survived / timed out and the survivors (file, line,
operator, diff); docs/testing.md keeps the last results and explains every
survivor that is equivalent.

    .venv/bin/python tools/mutate.py                 # every module
    .venv/bin/python tools/mutate.py idnumber ahp    # some of them

Cosmic-ray edits the module file in place while a mutant runs and restores it
afterwards: run it on a clean tree and do not edit src/ meanwhile (a copy of
the tree, `git archive HEAD | tar -x -C /tmp/copy`, lets you work on).

Two things keep a run affordable (each mutant is one pytest start with Django):

- the `*` that marks keyword-only parameters (`def f(a, *, b)`) is not an
  operator: cosmic-ray's "mutants" of it are syntax errors or `/` (which only
  changes what may be passed by position); they are skipped;
- operators that only make the code raise are skipped (SKIP_OPERATORS): an
  arithmetic operator replaced by a bitwise one on floats, or `&`/`|` between
  Q objects replaced by arithmetic, is a TypeError that any test reaching the
  line kills; `&` <-> `|` is kept, it is the one that changes a query;
- with `DATABASE_URL=postgres://…/<a database of its own>` the test database
  is migrated once and reused (`--reuse-db`): a mutant then costs about 7 s of
  CPU instead of 25 s (most of which is migrating a fresh SQLite database);
- pytest's plugins are not auto-loaded (PYTEST_DISABLE_PLUGIN_AUTOLOAD): only
  pytest-django is (schemathesis, faker, anyio and hypothesis' plugins cost
  about 2 s of CPU per start and the rule tests need none of them); a module
  whose tests need one names it in PLUGINS. The tests are run once unmutated
  first (the baseline): a test that fails without its plugin would otherwise
  "kill" every mutant;
- `--sample N` runs a random sample of N of the remaining mutants (seeded, so a
  rerun continues the same sample); the share killed is then an estimate.

    .venv/bin/python tools/mutate.py --sample 80 ahp

After adding tests, `--retry-survivors` runs only the previous survivors again
(their results are dropped from the session; killed mutants stay killed, which
new tests cannot change). Copy var/mutation/ into the new copy of the tree.

    .venv/bin/python tools/mutate.py --retry-survivors idnumber

`--extend-sample N` runs N more of the mutants a sample left out (seeded).

The session (var/mutation/<module>.sqlite) keeps every result. Never two runs in one copy of
the tree at once: each edits the tree in place, so each would test the other's mutants.
"""

import json
import os
import random
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutation"
PY = sys.executable

# name: (module file, its own test files), cheapest first.
MODULES = {
    "idnumber": ("src/dangjian/orgs/idnumber.py", ["tests/orgs/test_idnumber_fixtures.py"]),
    "dues_rules": ("src/dangjian/dues/rules.py", [
        "tests/dues/test_rules_edges.py", "tests/dues/test_rules.py", "tests/dues/test_regulation_table.py",
        "tests/dues/test_arrears_level.py",
        "tests/dues/test_bases_and_reductions.py::test_annual_salary_and_self_employed_follow_the_employed_brackets"]),
    "ahp": ("src/dangjian/analytics/ahp.py", ["tests/analytics/test_ahp.py"]),
    "mcdm": ("src/dangjian/analytics/mcdm.py", ["tests/analytics/test_mcdm.py"]),
    "elections": ("src/dangjian/committees/rules.py",
                  ["tests/committees/test_rules.py", "tests/committees/test_regulation_table.py"]),
    "recruitment_rules": ("src/dangjian/recruitment/rules.py",
                          ["tests/recruitment/test_rules_edges.py", "tests/recruitment/test_rules.py",
                           "tests/recruitment/test_regulation_table.py"]),
    "meeting_periods": ("src/dangjian/meetings/periods.py", ["tests/meetings/test_periods.py", "tests/meetings/test_periods_edges.py"]),
    "audit_chain": ("src/dangjian/audit/services.py",
                    ["tests/audit/test_chain_edges.py", "tests/audit/test_tamper.py", "tests/audit/test_chain.py",
                     "tests/audit/test_keyed_chain.py", "tests/audit/test_anchor_newest.py"]),
    "scoping": ("src/dangjian/core/scoping.py", ["tests/core/test_scoping_edges.py", "tests/core/test_scoping.py"]),
    "appeals_metrics": ("src/dangjian/appeals/selectors.py",
                        ["tests/appeals/test_rates_edges.py", "tests/appeals/test_metrics.py"]),
    "meeting_compliance": ("src/dangjian/meetings/selectors.py",
                           ["tests/meetings/test_compliance_edges.py", "tests/meetings/test_rules.py"]),
    "dea": ("src/dangjian/analytics/dea.py",
            ["tests/analytics/test_dea_published.py", "tests/analytics/test_dea_large.py",
             "tests/analytics/test_dea_properties.py"]),
    # The Dask tests start a cluster (10-20 s) and check nothing the others do not.
    "dea_engine": ("src/dangjian/analytics/_engine.py",
                   ["tests/analytics/test_dea_published.py", "tests/analytics/test_dea_large.py",
                    "tests/analytics/test_dea_second_phase.py", "tests/analytics/test_dea_properties.py",
                    "-k", "not dask"]),
}

# Modules that hold more than rules (pages' lists, lookups): only the mutants inside these definitions
# (functions, methods, classes: cosmic-ray's definition_name, the innermost one) are run; the rest are
# skipped as "outside the rule part" and counted apart.
RULE_PARTS: dict[str, set[str]] = {
    "appeals_metrics": {  # the 三率 and what is built on them
        "composite", "Rates", "_share", "response_rate", "resolution_rate", "satisfaction_rate", "on_time_rate",
        "reopen_rate", "as_dict", "_aggregates", "_rates", "appeal_rates", "rates_by", "rankings", "rates_grouped",
        "rates_by_community", "overdue_q", "overdue_as_of_q",
    },
    "meeting_compliance": {  # meetings held against the rules, and the 组织生活 warnings
        "committee_threshold", "required_types", "Slot", "TypeCompliance", "label", "every_label", "_count",
        "required", "held", "due", "overdue", "slot_state", "type_compliance", "OrgCompliance", "_year_bounds",
        "_held_months", "_held_days", "_requirements", "compliance", "Gap", "compliance_gaps", "LifeStatus",
        "severity", "life_level", "_with_last_life", "life_status", "_status_of", "_last_life", "_life_since",
        "without_life_since",
    },
}

# Test files that commit (transaction=True): a mutant that times out inside one leaves its rows behind, and a
# reused test database would then fail every later mutant's tests ("killed" for nothing). They run after the
# others, only for the mutants those did not kill, on a fresh in-memory SQLite database each time.
TRANSACTIONAL: dict[str, list[str]] = {
    "audit_chain": ["tests/audit/test_keyed_chain.py", "tests/audit/test_anchor_newest.py"],
}

# A mutant that makes the tests run past the timeout counts as killed (cosmic-ray's
# rule); the DEA tests take minutes on a loaded machine, so they get a longer one.
TIMEOUT = {"dea": 900.0, "dea_engine": 900.0}

# The analytics package imports no Django: its tests run without the Django
# plugin and without tests/conftest.py (a pytest start of about 2 s of CPU
# instead of 5-7 s); tests/analytics/plain_profile.py loads the same
# hypothesis profile the conftest would.
PLAIN = {"ahp", "mcdm", "dea", "dea_engine"}
PLAIN_OPTIONS = ["-p", "no:django", "--noconftest", "-p", "tests.analytics.plain_profile"]

# Pytest plugins a module's tests need beyond pytest-django (autoload is off, see above).
PLUGINS: dict[str, list[str]] = {}

ARITH = "Add|Sub|Mul|Div|FloorDiv|Mod|Pow"
BITWISE = "BitAnd|BitOr|BitXor|LShift|RShift"
SKIP_OPERATORS = re.compile(
    rf"core/ReplaceBinaryOperator_(({ARITH})_({BITWISE})|(BitAnd|BitOr|BitXor|LShift|RShift)_({ARITH}|BitXor|LShift|RShift))$"
)

CONFIG = """[cosmic-ray]
module-path = "{module}"
timeout = {timeout}
excluded-modules = []
test-command = "{command}"

[cosmic-ray.distributor]
name = "local"
"""


def _keyword_only_marker(lines: list[str], mutation) -> bool:
    """Cosmic-ray reads the `*` of `def f(a, *, b)` as a multiplication: its "mutants" only change which
    arguments may be passed by position, and every caller of the rules passes those by keyword."""
    (row, col), name = mutation.start_pos, mutation.operator_name
    line = lines[row - 1] if row <= len(lines) else ""
    return (name.startswith("core/ReplaceBinaryOperator_Mul_") and line.lstrip().startswith("def ")
            and line[col:col + 2] in ("*,", "*)"))


def _skip(session: Path, sample: int | None, parts: set[str] | None = None, module: str = "") -> None:
    """Mark the mutants left out of this run (SKIP_OPERATORS, outside the rule part, outside the sample) as skipped."""
    from cosmic_ray.work_db import use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    lines = (ROOT / module).read_text().splitlines() if module else []
    with use_db(str(session)) as db:
        kept = []
        for item in db.pending_work_items:
            if _keyword_only_marker(lines, item.mutations[0]):
                db.set_result(item.job_id, WorkResult(output="keyword-only marker", worker_outcome=WorkerOutcome.SKIPPED))
            elif SKIP_OPERATORS.match(item.mutations[0].operator_name):
                db.set_result(item.job_id, WorkResult(output="operator skipped", worker_outcome=WorkerOutcome.SKIPPED))
            elif parts is not None and item.mutations[0].definition_name not in parts:
                db.set_result(item.job_id, WorkResult(output="outside the rule part", worker_outcome=WorkerOutcome.SKIPPED))
            else:
                kept.append(item.job_id)
        if sample is not None and len(kept) > sample:
            chosen = set(random.Random(f"{session.name}:{sample}").sample(sorted(kept), sample))
            for job_id in kept:
                if job_id not in chosen:
                    db.set_result(job_id, WorkResult(output="not in the sample", worker_outcome=WorkerOutcome.SKIPPED))


def _retry_survivors(session: Path) -> None:
    """Make the survivors of an earlier run pending again."""
    import sqlite3

    with sqlite3.connect(session) as db:
        db.execute("DELETE FROM work_results WHERE test_outcome = 'SURVIVED'")


def _extend_sample(session: Path, more: int) -> None:
    """Run `more` of the mutants left out of the sample as well (seeded)."""
    import sqlite3

    with sqlite3.connect(session) as db:
        left = sorted(j for (j,) in db.execute("SELECT job_id FROM work_results WHERE output = 'not in the sample'"))
        chosen = random.Random(f"{session.name}:extend:{len(left)}").sample(left, min(more, len(left)))
        db.executemany("DELETE FROM work_results WHERE job_id = ?", [(j,) for j in chosen])


def run(name: str, timeout: float = 120.0, sample: int | None = None, retry: bool = False, extend: int = 0) -> dict:
    module, tests = MODULES[name]
    WORK.mkdir(parents=True, exist_ok=True)
    config, session = WORK / f"{name}.toml", WORK / f"{name}.sqlite"
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    plugins = [arg for plugin in ["pytest_django.plugin", *PLUGINS.get(name, [])] for arg in ("-p", plugin)]
    if name in PLAIN:
        plugins, postgres = [*PLAIN_OPTIONS, *[a for p in PLUGINS.get(name, []) for a in ("-p", p)]], False
    pytest = [PY, "-m", "pytest", "-x", "-q", *plugins, "-p", "no:cacheprovider"]
    committing = TRANSACTIONAL.get(name, [])
    command = shlex.join([*pytest, *(["--reuse-db"] if postgres else []), *[t for t in tests if t not in committing]])
    if committing:
        command = f"{command} && env -u DATABASE_URL {shlex.join([*pytest, *committing])}"
    command = shlex.join(["sh", "-c", command])
    config.write_text(CONFIG.format(module=module, timeout=timeout, command=command.replace("\\", "\\\\").replace('"', '\\"')))
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    # The baseline starts from a freshly migrated test database, which the mutants then reuse.
    baseline = subprocess.run(shlex.split(command.replace("--reuse-db", "--create-db")), cwd=ROOT, env=env,
                              capture_output=True, text=True)
    if baseline.returncode != 0:
        sys.exit(f"{name}: the tests fail without any mutant, fix them first:\n{baseline.stdout[-3000:]}")
    if session.exists() and session.stat().st_size == 0:
        session.unlink()  # an empty file (e.g. left by `sqlite3 session.sqlite` before the run began) is no session
    if not session.exists():
        subprocess.run(["cosmic-ray", "init", str(config), str(session)], cwd=ROOT, env=env, check=True)
        _skip(session, sample, RULE_PARTS.get(name), module)
    else:
        if retry:
            _retry_survivors(session)
        if extend:
            _extend_sample(session, extend)
    subprocess.run(["cosmic-ray", "exec", str(config), str(session)], cwd=ROOT, env=env, check=True)
    dump = subprocess.run(["cosmic-ray", "dump", str(session)], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout
    counts = {"killed": 0, "survived": 0, "incompetent": 0, "skipped": 0, "pending": 0}
    survivors = []
    for line in dump.splitlines():
        job, result = json.loads(line)
        if result is None:
            counts["pending"] += 1
            continue
        outcome = result.get("test_outcome")
        if result.get("worker_outcome") == "skipped":
            counts["skipped"] += 1
            continue
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


def main(argv: list[str]) -> None:
    sample, retry, extend = None, False, 0
    while argv[:1] in (["--sample"], ["--retry-survivors"], ["--extend-sample"]):
        if argv[0] == "--sample":
            sample, argv = int(argv[1]), argv[2:]
        elif argv[0] == "--extend-sample":
            extend, argv = int(argv[1]), argv[2:]
        else:
            retry, argv = True, argv[1:]
    results = {}
    for name in argv or list(MODULES):
        print(f"== {name}: {MODULES[name][0]}", flush=True)
        results[name] = run(name, sample=sample, timeout=TIMEOUT.get(name, 120.0), retry=retry, extend=extend)
        r = results[name]
        print(f"   killed {r['killed']}, survived {r['survived']}, timed out/incompetent {r['incompetent']}, "
              f"skipped {r['skipped']}, pending {r['pending']}: {r['killed_share']:.1%} killed", flush=True)
        for s in r["survivors"]:
            print(f"   survivor line {s['line']}: {s['operator']} #{s['occurrence']}")
            print("      " + "\n      ".join(s["diff"].splitlines()[2:]))
    previous = json.loads((WORK / "results.json").read_text()) if (WORK / "results.json").exists() else {}
    (WORK / "results.json").write_text(json.dumps({**previous, **results}, ensure_ascii=False, indent=1))
    print(json.dumps({name: r["killed_share"] for name, r in results.items()}))


if __name__ == "__main__":
    main(sys.argv[1:])
