"""The period report's workbook writes an organisation's formula-like name as text (issue 16, finding 3)."""

from django.urls import reverse
from tests.spreadsheets import HYPERLINK, assert_written_as_text


def test_report_xlsx_writes_a_formula_org_name_as_text(as_officer, tree, snapshots):
    branch = tree["branch_a"]
    branch.name = HYPERLINK
    branch.save(update_fields=["name"])
    response = as_officer.get(reverse("dashboards:report_xlsx", args=[branch.pk]), {"period": snapshots["q3"].pk})
    assert response.status_code == 200
    assert_written_as_text(response.content, HYPERLINK)
