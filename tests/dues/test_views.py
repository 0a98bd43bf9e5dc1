"""Dues pages through the paths a user takes: scope, inline errors, batch, import, exports, to-do."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from dangjian.audit.models import AuditEntry
from dangjian.dues.importing import headers
from dangjian.dues.models import Due, DuesRules, Payment
from tests.dbstate import unchanged
from tests.dues.conftest import make_due, make_payment, months_ago, set_base
from tests.factories import MemberFactory, UserFactory

URLS = ["/dues/", "/dues/arrears/", "/dues/summary/", "/dues/bases/", "/dues/batch/", "/dues/import/"]


@pytest.mark.parametrize("url", URLS + ["/dues/mine/", "/dues/rules/"])
def test_anonymous_is_sent_to_login(as_anonymous, url):
    response = as_anonymous.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", URLS)
def test_plain_member_sees_no_dues_pages(as_member, url):
    assert as_member.get(url).status_code == 404


def test_ledger_lists_only_dues_in_scope(as_secretary_a, as_secretary_b, member_a):
    make_due(member_a, dt.date(2025, 3, 1))
    assert "张建国" in as_secretary_a.get("/dues/").content.decode()
    assert "张建国" not in as_secretary_b.get("/dues/").content.decode()


def test_outsider_gets_404_for_another_branch(tree, as_secretary_b, member_a):
    due = make_due(member_a, dt.date(2025, 3, 1))
    a = tree["branch_a"].pk
    assert as_secretary_b.get(f"/dues/due/{due.pk}/pay/").status_code == 404
    with unchanged():
        assert as_secretary_b.post(f"/dues/due/{due.pk}/pay/", {"amount": "10", "paid_on": "2025-03-02"}).status_code == 404
    assert as_secretary_b.get(f"/dues/?org={a}").status_code == 404
    with unchanged():
        assert as_secretary_b.post("/dues/generate/", {"org": a, "month": "2025-03"}).status_code == 404
    assert as_secretary_b.get(f"/dues/batch/?org={a}&month=2025-03").status_code == 404
    assert as_secretary_b.get(f"/dues/import/template/?org={a}").status_code == 404
    assert as_secretary_b.get(f"/dues/bases/{member_a.pk}/").status_code == 404
    assert as_secretary_b.post("/dues/summary/", {"org": a, "month": "2025-03", "amount": "1",
                                                  "remitted_on": "2025-04-01"}).status_code == 404
    assert not Payment.objects.exists()


def test_generate_then_pay_with_inline_error(tree, as_secretary_a, member_a):
    set_base(member_a, "8000")
    month = timezone.localdate().replace(day=1)
    response = as_secretary_a.post("/dues/generate/", {"org": tree["branch_a"].pk, "month": f"{month:%Y-%m}"})
    assert response.status_code == 302
    due = Due.objects.get(member=member_a, month=month)
    assert due.amount == Decimal("120.00")
    page = as_secretary_a.post(f"/dues/due/{due.pk}/pay/", {"amount": "100", "paid_on": f"{month:%Y-%m-%d}"})
    assert page.status_code == 200
    assert "请在备注中说明原因" in page.content.decode()
    assert not Payment.objects.exists()
    ok = as_secretary_a.post(f"/dues/due/{due.pk}/pay/", {"amount": "120.00", "paid_on": f"{month:%Y-%m-%d}"})
    assert ok.status_code == 302
    again = as_secretary_a.post(f"/dues/due/{due.pk}/pay/", {"amount": "120.00", "paid_on": f"{month:%Y-%m-%d}"})
    assert "不能重复缴纳" in again.content.decode()


def test_batch_page_records_all_or_nothing(tree, as_secretary_a, member_a):
    other = MemberFactory(org=tree["branch_a"], name="赵志强")
    month = dt.date(2025, 3, 1)
    d1, d2 = make_due(member_a, month), make_due(other, month)
    url = f"/dues/batch/?org={tree['branch_a'].pk}&month=2025-03"
    assert "赵志强" in as_secretary_a.get(url).content.decode()
    data = {"org": tree["branch_a"].pk, "month": "2025-03", "paid_on": "2025-03-20", "due": [d1.pk, d2.pk],
            f"amount_{d1.pk}": "10.00", f"amount_{d2.pk}": "-5"}
    page = as_secretary_a.post(url, data)
    assert "缴纳金额须大于零" in page.content.decode()
    assert not Payment.objects.exists()
    data[f"amount_{d2.pk}"] = "10.00"
    assert as_secretary_a.post(url, data).status_code == 302
    assert Payment.objects.count() == 2


def test_batch_error_names_the_row_on_screen_and_the_member_not_an_id(tree, as_secretary_a, member_a):
    """The amount error names the row number the table shows and the member, never the due's database id."""
    other = MemberFactory(org=tree["branch_a"], name="赵志强")
    month = dt.date(2025, 3, 1)
    # Rows are listed by name: 张建国 (member_a) then 赵志强 in pinyin-free code-point order.
    d1, d2 = make_due(member_a, month), make_due(other, month)
    rows = sorted([(member_a.name, d1), (other.name, d2)])
    shown = {due.pk: n for n, (_name, due) in enumerate(rows, start=1)}
    url = f"/dues/batch/?org={tree['branch_a'].pk}&month=2025-03"
    data = {"org": tree["branch_a"].pk, "month": "2025-03", "paid_on": "2025-03-20", "due": [d1.pk, d2.pk],
            f"amount_{d1.pk}": "10.00", f"amount_{d2.pk}": "-5"}
    html = as_secretary_a.post(url, data, follow=True).content.decode()
    assert f"第 {shown[d2.pk]} 行（赵志强）" in html
    assert f"第 {d2.pk} 行" not in html or d2.pk == shown[d2.pk]


def test_batch_opens_on_this_month_and_the_secretarys_own_branch(tree, as_secretary_a, member_a):
    """No org and no month chosen: the secretary's one branch and this month, its unpaid dues listed at once."""
    this_month = timezone.localdate().replace(day=1)
    due = make_due(member_a, this_month)
    page = as_secretary_a.get("/dues/batch/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'value="{this_month:%Y-%m}"' in html
    assert f'<option value="{tree["branch_a"].pk}" selected>' in html
    assert f'name="amount_{due.pk}"' in html
    # Never "everything I manage": the batch needs one organisation.
    assert "我管辖的全部" not in html and 'value="" selected' not in html


def test_batch_opens_on_a_members_own_branch_for_a_community_secretary(tree, member_a):
    from dangjian.accounts.roles import Role
    from tests.conftest import client_for
    from tests.factories import grant

    user = UserFactory(username="csec", member=member_a)
    grant(user, tree["community"], Role.SECRETARY)
    html = client_for(user).get("/dues/batch/").content.decode()
    assert f'<option value="{tree["branch_a"].pk}" selected>' in html


def _upload(wb) -> io.BytesIO:
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "dues.xlsx"
    return buf


def _filled_template(client, org, fill):
    response = client.get(f"/dues/import/template/?org={org.pk}&month=2025-03")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    for row in ws.iter_rows(min_row=2):
        fill(row)
    return _upload(wb)


def test_import_all_or_nothing_with_marked_cells(tree, as_secretary_a, as_secretary_b, member_a):
    other = MemberFactory(org=tree["branch_a"], name="赵志强")
    make_due(member_a, dt.date(2025, 3, 1))
    make_due(other, dt.date(2025, 3, 1))

    def bad(row):
        row[5].value = 10 if row[1].value == "张建国" else -3
        row[6].value = "2025-03-20"

    # The queue's worker checks the file; the job page shows every error and offers the marked workbook.
    page = as_secretary_a.post("/dues/import/", {"file": _filled_template(as_secretary_a, tree["branch_a"], bad)},
                               follow=True)
    text = page.content.decode()
    assert "缴纳金额须大于零" in text and "没有记录任何缴费" in text
    assert not Payment.objects.exists()
    job = page.context["job"]
    marked = b"".join(as_secretary_a.get(f"/operations/jobs/{job.pk}/file/").streaming_content)
    assert as_secretary_b.get(f"/operations/jobs/{job.pk}/file/").status_code == 404
    ws = load_workbook(io.BytesIO(marked)).active
    bad_cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.comment]
    assert [c.column_letter for c in bad_cells] == ["F"] and "大于零" in bad_cells[0].comment.text

    def good(row):
        row[5].value = 10
        row[6].value = dt.date(2025, 3, 20)
        if row[1].value == "赵志强":
            row[7].value = "张建国"  # paid on his behalf

    response = as_secretary_a.post("/dues/import/", {"file": _filled_template(as_secretary_a, tree["branch_a"], good)},
                                   follow=True)
    assert "导入成功：已登记 2 条缴费" in response.content.decode()
    assert Payment.objects.get(due__member=other).payer == member_a


def test_import_refuses_a_foreign_file(as_secretary_a):
    wb = Workbook()
    wb.active.append(["姓名", "金额"])
    page = as_secretary_a.post("/dues/import/", {"file": _upload(wb)}, follow=True)
    assert "表头与模板不一致" in page.content.decode()


def test_import_cannot_reach_dues_out_of_scope(tree, as_secretary_b, member_a):
    due = make_due(member_a, dt.date(2025, 3, 1))
    wb = Workbook()
    ws = wb.active
    ws.append(headers())
    ws.append([due.pk, "张建国", "", "2025-03", 10, 10, "2025-03-20", None, None])
    page = as_secretary_b.post("/dues/import/", {"file": _upload(wb)}, follow=True)
    assert "未找到该账目编号" in page.content.decode()
    assert not Payment.objects.exists()


@pytest.mark.parametrize("url", ["/dues/?export=xlsx", "/dues/arrears/?export=xlsx",
                                 "/dues/summary/?export=xlsx&year=2025", "/dues/bases/?export=xlsx"])
def test_every_list_exports_xlsx_and_is_audited(as_secretary_a, member_a, url):
    make_due(member_a, dt.date(2025, 3, 1))
    set_base(member_a, "4500")
    response = as_secretary_a.get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(response.content)).active.max_row >= 1
    assert AuditEntry.objects.filter(action="export").count() == 1


def test_exported_base_is_masked_without_reveal(tree, client, member_a):
    from dangjian.accounts.roles import Role
    from tests.factories import grant

    worker = UserFactory()
    grant(worker, tree["branch_a"], Role.PARTY_WORKER)  # no REVEAL
    set_base(member_a, "4500")
    client.force_login(worker)
    ws = load_workbook(io.BytesIO(client.get("/dues/bases/?export=xlsx").content)).active
    assert ws.cell(row=2, column=4).value == "****"


def test_todo_shows_arrears_warning_to_secretary_and_member(as_secretary_a, as_secretary_b, as_member, member_a):
    today = timezone.localdate()
    for n in range(1, 4):
        make_due(member_a, months_ago(today, n))
    assert "连续欠缴党费" in as_secretary_a.get("/").content.decode()
    assert "连续欠缴党费" not in as_secretary_b.get("/").content.decode()
    assert "党费尚未缴纳" in as_member.get("/").content.decode()
    assert "张建国" in as_secretary_a.get("/dues/arrears/").content.decode()


def test_member_sees_own_dues(as_member, member_a, member_b):
    make_payment(make_due(member_a, dt.date(2025, 3, 1), amount="12.34"))
    make_due(member_b, dt.date(2025, 3, 1), amount="99.99")
    text = as_member.get("/dues/mine/").content.decode()
    assert "12.34" in text and "99.99" not in text


def test_rules_page_superuser_only_with_defaults(client, as_officer):
    assert as_officer.get("/dues/rules/").status_code == 404
    admin = UserFactory(is_superuser=True)
    client.force_login(admin)
    page = client.get("/dues/rules/")
    assert page.status_code == 200
    data = {f: getattr(DuesRules.objects.get(), f) for f in page.context["form"].fields}
    data["employed_limit_2"] = "2000"
    assert "依次递增" in client.post("/dues/rules/", data).content.decode()
    data["employed_limit_2"] = "6000"
    assert client.post("/dues/rules/", data).status_code == 302
    assert DuesRules.objects.get().employed_limit_2 == Decimal("6000")


def test_remittance_via_summary_page(tree, as_secretary_a, member_a):
    make_payment(make_due(member_a, dt.date(2025, 3, 1), amount="40.00"))
    data = {"org": tree["branch_a"].pk, "month": "2025-03", "amount": "0", "remitted_on": "2025-04-01"}
    assert "上缴金额须大于零" in as_secretary_a.post("/dues/summary/?year=2025", data).content.decode()
    data["amount"] = "40.00"
    assert as_secretary_a.post("/dues/summary/?year=2025", data).status_code == 302
    assert "40.00" in as_secretary_a.get("/dues/summary/?year=2025").content.decode()


def test_ledger_page_query_count_does_not_grow_with_rows(tree, as_secretary_a, django_assert_max_num_queries):
    for i in range(30):
        member = MemberFactory(org=tree["branch_a"])
        due = make_due(member, dt.date(2025, 3, 1))
        if i % 2:
            make_payment(due, payer=MemberFactory(org=tree["branch_a"]))
    with django_assert_max_num_queries(12):
        assert as_secretary_a.get("/dues/").status_code == 200
