"""Benchmark: import a 100,000-row roster into a fresh SQLite database.

Run with the project's Python (not a test):

    .venv/bin/python bench/roster_import.py [--rows 100000] [--peer-rows N]

1. Generates a deterministic, valid roster xlsx (seeded; not timed).
2. Migrates a fresh SQLite database in a temporary directory.
3. Times our importer (dangjian.imports.services.roster_import: read with
   python-calamine, validate every cell, encrypt, bulk insert, one audit entry).
4. Empties the roster and times django-import-export on the same columns
   (a ModelResource with label mapping and blind indexes in before_import_row,
   ForeignKeyWidget for the org by code), configured at its fastest: bulk
   inserts, no diff, no per-row lookup of existing records. If the peer would
   take more than ~10 minutes on every row, it runs on the first --peer-rows
   rows (a separate file of that size) and its time is extrapolated linearly.

The last line printed is one JSON object: rows, seconds, peer_seconds, ratio.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PEER_BUDGET_SECONDS = 600
PROBE_ROWS = 5000


def setup_django(workdir: Path) -> None:
    os.environ["DANGJIAN_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "dangjian.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅志文海燕玉兰春林斌丹辉鹏"
AREAS = ("110105", "320102", "440305", "510104", "330106", "420102", "610113", "370102")


def generate(path: Path, rows: int, branch_codes: list[str], seed: int = 20241) -> None:
    from openpyxl import Workbook

    from dangjian.imports.columns import COLUMNS, DATA_SHEET, HEADERS
    from dangjian.orgs.idnumber import make_id_number

    labels = {c.field: c.labels for c in COLUMNS if c.choices}
    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(DATA_SHEET)
    sheet.append(HEADERS)
    used: set[str] = set()
    tags = ("老党员", "流动党员", "困难党员", "退役军人", "")
    base = dt.date(1940, 1, 1)
    for i in range(rows):
        gender = "M" if rng.random() < 0.6 else "F"
        while True:
            birth = base + dt.timedelta(days=rng.randrange(0, 60 * 365))
            number = make_id_number(area=rng.choice(AREAS), birth_date=birth, sequence=rng.randrange(1000), gender=gender)
            if number not in used:
                used.add(number)
                break
        joined = birth + dt.timedelta(days=rng.randrange(19 * 365, 19 * 365 + 20 * 365))
        joined = min(joined, dt.date(2023, 6, 1))
        probationary = rng.random() < 0.05
        full = None if probationary else joined + dt.timedelta(days=365)
        sheet.append([
            rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else ""),
            "男" if gender == "M" else "女",
            "汉族" if rng.random() < 0.92 else "回族",
            birth.strftime("%Y-%m-%d") if i % 3 else birth.strftime("%Y/%-m/%-d"),
            number,
            f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
            rng.choice(labels["education"]),
            joined.isoformat(),
            full.isoformat() if full else "",
            "预备党员" if probationary else "正式党员",
            "在册",
            rng.choice(labels["employment"]),
            "某单位 职员",
            f"幸福路{rng.randrange(1, 300)}号",
            "、".join(t for t in {rng.choice(tags), rng.choice(tags)} if t),
            rng.choice(branch_codes),
        ])
    book.save(path)


def build_orgs(branches: int = 100):
    from dangjian.accounts.models import RoleGrant, User
    from dangjian.accounts.roles import Role
    from dangjian.orgs.models import Org

    root = Org.objects.add_root({"name": "基准测试街道党工委", "code": "BENCH", "kind": "street"})
    codes = []
    for i in range(branches):
        code = f"BB{i:04d}"
        Org.objects.add_child(root.__class__.objects.get(pk=root.pk), {"name": f"第{i + 1}党支部", "code": code, "kind": "branch"})
        codes.append(code)
    user = User.objects.create_user(username="bench", password=None)
    RoleGrant.objects.create(user=user, org=root, role=Role.ORG_OFFICER)
    return user, codes


def empty_roster() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("orgs_member_tags", "orgs_statuschange", "orgs_member"):
            cursor.execute(f"DELETE FROM {table}")


def peer_resource():
    """django-import-export's way: a ModelResource over the same columns."""
    from import_export import fields, resources, widgets

    from dangjian.core import crypto
    from dangjian.imports.cells import to_date
    from dangjian.imports.columns import BY_FIELD, COLUMNS
    from dangjian.orgs.models import Member, Org

    date_widget = widgets.DateWidget(format="%Y-%m-%d")
    enum_lookup = {c.field: c.lookup() for c in COLUMNS if c.choices}

    class MemberResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name=BY_FIELD["name"].header)
        gender = fields.Field(attribute="gender", column_name=BY_FIELD["gender"].header)
        ethnicity = fields.Field(attribute="ethnicity", column_name=BY_FIELD["ethnicity"].header)
        birth_date = fields.Field(attribute="birth_date", column_name=BY_FIELD["birth_date"].header, widget=date_widget)
        id_number = fields.Field(attribute="id_number", column_name=BY_FIELD["id_number"].header)
        id_number_index = fields.Field(attribute="id_number_index", column_name="id_number_index")
        phone = fields.Field(attribute="phone", column_name=BY_FIELD["phone"].header)
        phone_index = fields.Field(attribute="phone_index", column_name="phone_index")
        education = fields.Field(attribute="education", column_name=BY_FIELD["education"].header)
        joined_on = fields.Field(attribute="joined_on", column_name=BY_FIELD["joined_on"].header, widget=date_widget)
        full_member_on = fields.Field(attribute="full_member_on", column_name=BY_FIELD["full_member_on"].header, widget=date_widget)
        category = fields.Field(attribute="category", column_name=BY_FIELD["category"].header)
        status = fields.Field(attribute="status", column_name=BY_FIELD["status"].header)
        employment = fields.Field(attribute="employment", column_name=BY_FIELD["employment"].header)
        job = fields.Field(attribute="job", column_name=BY_FIELD["job"].header)
        address = fields.Field(attribute="address", column_name=BY_FIELD["address"].header)
        org = fields.Field(attribute="org", column_name=BY_FIELD["org"].header, widget=widgets.ForeignKeyWidget(Org, "code"))

        class Meta:
            model = Member
            fields = (
                "name", "gender", "ethnicity", "birth_date", "id_number", "id_number_index", "phone",
                "phone_index", "education", "joined_on", "full_member_on", "category", "status",
                "employment", "job", "address", "org",
            )
            use_bulk = True
            batch_size = 2000
            skip_diff = True
            force_init_instance = True
            use_transactions = True

        def before_import_row(self, row, **kwargs):
            # Chinese labels to stored values; identifiers normalised and indexed
            # (the encrypted field encrypts on save).
            for fname, lookup in enum_lookup.items():
                header = BY_FIELD[fname].header
                row[header] = lookup.get(str(row.get(header) or "").strip(), BY_FIELD[fname].default)
            number = crypto.normalise(str(row[BY_FIELD["id_number"].header]))
            row[BY_FIELD["id_number"].header] = number
            row["id_number_index"] = crypto.blind_index(number)
            phone = str(row.get(BY_FIELD["phone"].header) or "").strip()
            row["phone_index"] = crypto.blind_index(phone) if phone else ""
            for fname in ("birth_date", "joined_on", "full_member_on"):
                header = BY_FIELD[fname].header
                value = row.get(header)
                row[header] = to_date(value).isoformat() if value not in (None, "") else None
            for fname in ("job", "address"):
                row[BY_FIELD[fname].header] = row.get(BY_FIELD[fname].header) or ""

    return MemberResource()


def time_peer(path: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, members in the database) for the peer on `path`."""
    import tablib

    started, cpu_started = time.perf_counter(), time.process_time()
    with open(path, "rb") as fh:
        dataset = tablib.Dataset().load(fh, format="xlsx")
    dataset.append_col([""] * len(dataset), header="id_number_index")
    dataset.append_col([""] * len(dataset), header="phone_index")
    result = peer_resource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit("peer import reported errors")
    from dangjian.orgs.models import Member

    return seconds, cpu_seconds, Member.objects.count()


def cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--peer-rows", type=int, default=10_000, help="subset for the peer if the full run would exceed ~10 min")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="dj-bench-"))
    setup_django(workdir)
    from django.conf import settings

    settings.IMPORT_MAX_ROWS = max(settings.IMPORT_MAX_ROWS, args.rows)
    settings.IMPORT_MAX_BYTES = max(settings.IMPORT_MAX_BYTES, 200 * 1024 * 1024)
    from dangjian.imports.services import roster_import
    from dangjian.orgs.models import Member

    print(f"machine: {cpu_model()}, {os.cpu_count()} CPUs; Python {platform.python_version()}; SQLite in {workdir}")
    user, codes = build_orgs()
    path = workdir / "roster.xlsx"
    t0 = time.perf_counter()
    generate(path, args.rows, codes)
    print(f"generated {args.rows:,} rows ({path.stat().st_size / 1048576:.1f} MB) in {time.perf_counter() - t0:.1f} s (not timed)")

    data = path.read_bytes()
    started, cpu_started = time.perf_counter(), time.process_time()
    outcome = roster_import(by=user, data=data, file_name=path.name)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    if not outcome.ok or outcome.imported != args.rows:
        raise SystemExit(f"our import failed: {outcome.message or outcome.issues[:5]}")
    assert Member.objects.count() == args.rows
    print(f"ours: {args.rows:,} rows in {seconds:.2f} s ({args.rows / seconds:,.0f} rows/s; "
          f"{cpu_seconds:.2f} s of CPU; load average before: {os.getloadavg()[0]:.1f})")

    empty_roster()
    probe = workdir / "probe.xlsx"
    generate(probe, min(PROBE_ROWS, args.rows), codes, seed=7)
    probe_seconds, _, _ = time_peer(probe)
    empty_roster()
    estimate = probe_seconds * args.rows / min(PROBE_ROWS, args.rows)
    print(f"peer probe: {min(PROBE_ROWS, args.rows):,} rows in {probe_seconds:.2f} s -> about {estimate:.0f} s for {args.rows:,}")
    if estimate <= PEER_BUDGET_SECONDS:
        peer_seconds, peer_cpu, count = time_peer(path)
        assert count == args.rows
        print(f"peer (django-import-export): {args.rows:,} rows in {peer_seconds:.2f} s ({peer_cpu:.2f} s of CPU)")
        peer_rows = args.rows
    else:
        subset = workdir / "subset.xlsx"
        generate(subset, args.peer_rows, codes)  # same seed: the first rows of the full file
        measured, measured_cpu, count = time_peer(subset)
        assert count == args.peer_rows
        peer_seconds = measured * args.rows / args.peer_rows
        peer_cpu = measured_cpu * args.rows / args.peer_rows
        peer_rows = args.peer_rows
        print(f"peer (django-import-export): {args.peer_rows:,} rows in {measured:.2f} s ({measured_cpu:.2f} s of CPU); "
              f"extrapolated linearly to {args.rows:,} rows: {peer_seconds:.1f} s ({peer_cpu:.1f} s of CPU)")
    print("note: the peer writes members only (no status history, no tags in bulk mode); ours writes all three")
    print(json.dumps({
        "rows": args.rows,
        "seconds": round(seconds, 3),
        "peer_seconds": round(peer_seconds, 3),
        "ratio": round(peer_seconds / seconds, 2),
        "cpu_seconds": round(cpu_seconds, 3),
        "peer_cpu_seconds": round(peer_cpu, 3),
        "cpu_ratio": round(peer_cpu / cpu_seconds, 2),
        "peer_rows_measured": peer_rows,
    }))


if __name__ == "__main__":
    main()
