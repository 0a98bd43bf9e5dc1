"""Dues workbooks write a member's formula-like name as text (issue 16, finding 3)."""

import datetime as dt

from tests.dues.conftest import make_due, set_base
from tests.factories import MemberFactory
from tests.spreadsheets import HYPERLINK, assert_written_as_text


def test_bases_export_writes_a_formula_name_as_text(as_secretary_a, tree):
    set_base(MemberFactory(org=tree["branch_a"], name=HYPERLINK), "4500")
    response = as_secretary_a.get("/dues/bases/", {"export": "xlsx", "org": tree["branch_a"].pk})
    assert response.status_code == 200
    assert_written_as_text(response.content, HYPERLINK)


def test_payment_template_writes_a_formula_name_as_text(as_secretary_a, tree):
    make_due(MemberFactory(org=tree["branch_a"], name=HYPERLINK), dt.date(2026, 3, 1))
    response = as_secretary_a.get("/dues/import/template/", {"org": tree["branch_a"].pk})
    assert response.status_code == 200
    assert_written_as_text(response.content, HYPERLINK)
