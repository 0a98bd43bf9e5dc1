import datetime as dt
import io

import pytest
from django.core.management import call_command

TODAY = dt.date(2026, 6, 30)


def run_demo(*args: str, **options) -> str:
    out = io.StringIO()
    call_command("demo_org", *args, stdout=out, stderr=out, **options)
    return out.getvalue()


@pytest.fixture
def small_demo(db):
    """300 members, fixed seed and date, no feature seeders: the command's own output."""
    return run_demo("--scale", "300", "--seed", "7", "--today", TODAY.isoformat(), "--no-features")
