"""Demo seed: nothing to add to the roster; the importer is shown with real uploads.

The demo organisation's members come from orgs' own seed. What this app adds is
a small sample file, written next to the database, for the tour to upload.
"""

import datetime as dt
import random

from django.conf import settings

from dangjian.imports import workbooks
from dangjian.imports.columns import COLUMNS
from dangjian.orgs.models import BRANCH_KINDS, Org


def seed(*, rng: random.Random, today: dt.date, log) -> None:
    branch = Org.objects.filter(kind__in=BRANCH_KINDS).order_by("path").first()
    if branch is None:
        return
    first = [c.example for c in COLUMNS]
    first[-1] = branch.code
    # Deliberate mistakes so the tour shows the error list and the marked workbook:
    # a birth date that disagrees with the ID number, an impossible date, and the
    # same ID number twice.
    first[3] = "1980-05-18"
    second = list(first)
    second[0], second[3], second[7] = "李红梅", "1980-05-17", "2005-13-01"
    rows = [first, second]
    target = settings.VAR_DIR / "demo-import-with-errors.xlsx"
    target.write_bytes(workbooks.error_workbook(rows, [], first_row=2))
    log(f"imports: sample file with errors written to {target}")
