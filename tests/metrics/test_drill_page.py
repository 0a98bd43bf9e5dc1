"""The indicator page: numerator records, denominator records and missing items, each linking to its record;
filterable, exportable; out of scope 404."""

import datetime as dt
import io

import openpyxl

from dangjian.audit.models import AuditEntry
from tests.conftest import client_for
from tests.evaluation.conftest import AFTER_Q3, due, members


def _page(period, org, code="dues_on_time_rate"):
    return f"/evaluation/periods/{period.pk}/orgs/{org.pk}/{code}/"


def test_records_numerator_denominator_and_missing(tree, officer, secretary_b, compute):
    a = members(tree["branch_a"], 2)
    paid = due(a[0], dt.date(2026, 7, 1), paid_on=dt.date(2026, 7, 20))
    late = due(a[1], dt.date(2026, 7, 1), paid_on=dt.date(2026, 8, 2))
    unpaid = due(a[0], dt.date(2026, 8, 1))
    period = compute(today=AFTER_Q3)
    client = client_for(officer)
    url = _page(period, tree["community"])
    html = client.get(url).content.decode()
    for d in (paid, late, unpaid):
        assert f'href="/dues/due/{d.pk}/"' in html  # every record links to its own page
    numerator = client.get(url + "?which=numerator").content.decode()
    assert f"/dues/due/{paid.pk}/" in numerator and f"/dues/due/{late.pk}/" not in numerator
    missing = client.get(url + "?which=missing").content.decode()
    assert f"/dues/due/{late.pk}/" in missing and f"/dues/due/{unpaid.pk}/" in missing
    assert f"/dues/due/{paid.pk}/" not in missing
    named = client.get(url + f"?q={a[1].name}").content.decode()
    assert f"/dues/due/{late.pk}/" in named and f"/dues/due/{paid.pk}/" not in named
    assert client_for(secretary_b).get(_page(period, tree["branch_a"])).status_code == 404


def test_records_export_is_the_filtered_list_and_audited(tree, officer, compute):
    a = members(tree["branch_a"], 2)
    due(a[0], dt.date(2026, 7, 1), paid_on=dt.date(2026, 7, 20))
    due(a[1], dt.date(2026, 8, 1))
    period = compute(today=AFTER_Q3)
    response = client_for(officer).get(_page(period, tree["branch_a"]) + "?which=missing&export=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                              if response.streaming else response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("记录", "日期", "分子", "分母")
    assert len(rows) == 2 and rows[1][2:4] == (0, 1) and a[1].name in rows[1][0]
    assert AuditEntry.objects.filter(action="export", org_path=tree["branch_a"].path).exists()
