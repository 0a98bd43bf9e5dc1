"""The period report's workbook writes an organisation's formula-like name as text (issue 16, finding 3)."""

from tests.dashboards.report_job import report_file
from tests.spreadsheets import HYPERLINK, assert_written_as_text


def test_report_xlsx_writes_a_formula_org_name_as_text(as_officer, tree, snapshots):
    branch = tree["branch_a"]
    branch.name = HYPERLINK
    branch.save(update_fields=["name"])
    assert_written_as_text(report_file(as_officer, branch, snapshots["q3"], "xlsx"), HYPERLINK)
