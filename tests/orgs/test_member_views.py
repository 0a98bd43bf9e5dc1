"""Roster list, member detail, reveal, create/edit/status, through the paths a user takes."""

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.audit.models import Action, AuditEntry
from dangjian.orgs.idnumber import make_id_number
from dangjian.orgs.models import Member, StatusChange
from tests.dbstate import unchanged
from tests.factories import MemberFactory
from tests.orgs.conftest import url, valid_member_post

pytestmark = pytest.mark.django_db


# --- Permissions ------------------------------------------------------------------


def test_outsider_gets_404_on_member_pages(as_secretary_b, member_a):
    pk = member_a.pk
    for target in (url("member_detail", pk), url("member_edit", pk), url("member_status", pk),
                   url("transfer_request", pk)):
        assert as_secretary_b.get(target).status_code == 404, target
    with unchanged():
        assert as_secretary_b.post(url("member_reveal", pk, "id_number")).status_code == 404
    with unchanged():
        assert as_secretary_b.post(url("member_edit", pk), {"name": "篡改"}).status_code == 404
    assert Member.objects.get(pk=pk).name == "张建国"
    assert not AuditEntry.objects.filter(action=Action.REVEAL).exists()


def test_anonymous_is_sent_to_login(as_anonymous, member_a):
    for target in (url("member_list"), url("member_detail", member_a.pk), url("member_create"),
                   url("transfer_inbox"), url("branch_options")):
        response = as_anonymous.get(target)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], target
    response = as_anonymous.post(url("member_reveal", member_a.pk, "id_number"))
    assert response.status_code == 302


def test_plain_member_sees_no_roster(as_member, member_a):
    assert as_member.get(url("member_list")).status_code == 404
    assert as_member.get(url("member_detail", member_a.pk)).status_code == 404
    assert as_member.get(url("member_create")).status_code == 404
    with unchanged():
        assert as_member.post(url("member_reveal", member_a.pk, "id_number")).status_code == 404


# --- List ------------------------------------------------------------------------------


def test_list_is_scoped_and_masked(as_secretary_a, member_a, member_b):
    response = as_secretary_a.get(url("member_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "张建国" in html and "李红梅" not in html
    assert member_a.id_number_masked in html and member_a.id_number not in html
    assert member_a.phone not in html and member_a.phone_masked in html


def test_search_by_name_fragment_id_number_and_phone(as_officer, member_a, member_b):
    def names(**params):
        # The search form posts; the page it leads to is where the results are.
        response = as_officer.post(url("member_list"), params, follow=True)
        return [m.name for m in response.context["page"]]

    assert names(q="建国") == ["张建国"]
    assert names(q=member_b.id_number.lower()) == ["李红梅"]  # normalised before hashing
    assert names(q=member_b.phone) == ["李红梅"]
    assert names(q=member_b.id_number[:10]) == []  # no partial matching on identifiers


def test_filters(as_officer, tree, member_a, member_b, tags):
    member_a.tags.add(tags["老党员"])
    MemberFactory(org=tree["branch_b"], name="赵预备", category="probationary", full_member_on=None,
                  education="college", status="lost_contact")

    def names(**params):
        return sorted(m.name for m in as_officer.get(url("member_list"), params).context["page"])

    assert names(gender="F") == ["李红梅"]
    assert names(category="probationary") == ["赵预备"]
    assert names(education="college") == ["赵预备"]
    assert names(status="lost_contact") == ["赵预备"]
    assert names(tag=tags["老党员"].pk) == ["张建国"]
    assert names(status="bogus") == ["张建国", "李红梅", "赵预备"]  # invalid filters are ignored
    sub = as_officer.get(url("org_detail", tree["branch_b"].pk), {"gender": "F"})
    assert [m.name for m in sub.context["page"]] == ["李红梅"]


def test_a_searched_identifier_never_appears_in_a_url(as_officer, tree, member_a, member_b):
    """Issue 16 #10: the search box posts; an ID number or phone goes on as its blind index only."""
    for target in (url("member_list"), url("org_detail", tree["community"].pk)):
        for typed in (member_b.id_number, member_b.phone):
            r = as_officer.post(target, {"q": typed, "gender": "F"})
            assert r.status_code == 302 and typed not in r["Location"] and "idx=" in r["Location"]
            page = as_officer.get(r["Location"])
            assert [m.name for m in page.context["page"]] == ["李红梅"]
            assert typed not in page.content.decode()
        fragment = as_officer.post(target, {"q": member_b.id_number}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="roster")
        assert "李红梅" in fragment.content.decode() and "张建国" not in fragment.content.decode()
        assert member_b.id_number not in fragment["HX-Push-Url"] and "idx=" in fragment["HX-Push-Url"]
    # A name stays a name; a new search replaces the identifier searched before.
    r = as_officer.post(url("member_list"), {"q": "建国", "idx": "0" * 40})
    assert "q=" in r["Location"] and "idx" not in r["Location"]


def test_htmx_filter_returns_only_the_table(as_officer, member_a):
    response = as_officer.get(url("member_list"), {"q": "张"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="roster")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="roster">') and "张建国" in html


def test_pagination_fifty_a_page(as_officer, tree):
    MemberFactory.create_batch(51, org=tree["branch_a"])
    first = as_officer.get(url("member_list"))
    assert len(first.context["page"]) == 50
    second = as_officer.get(url("member_list"), {"page": 2})
    assert len(second.context["page"]) == 1
    assert "2 / 2" in second.content.decode()


def test_list_query_count_does_not_grow_with_rows(as_officer, tree, tags, django_assert_max_num_queries):
    for i in range(60):
        m = MemberFactory(org=tree["branch_a"] if i % 2 else tree["branch_b"])
        m.tags.add(tags["流动党员"])
    with django_assert_max_num_queries(12):
        response = as_officer.get(url("member_list"))
    assert len(response.context["page"]) == 50
    with django_assert_max_num_queries(16):
        as_officer.get(url("org_detail", tree["community"].pk))


# --- Detail and reveal ------------------------------------------------------------------


def test_detail_shows_masked_values_and_history(as_secretary_a, member_a, tags):
    member_a.tags.add(tags["困难党员"])
    StatusChange.objects.create(member=member_a, from_status="", to_status="active",
                                changed_on=dt.date(2020, 1, 1), reason="建档")
    response = as_secretary_a.get(url("member_detail", member_a.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert member_a.id_number not in html and member_a.id_number_masked in html
    assert "困难党员" in html and "建档" in html and "显示" in html
    assert url("member_reveal", member_a.pk, "id_number") in html


def test_reveal_is_audited_and_returns_full_value(as_secretary_a, secretary_a, member_a):
    response = as_secretary_a.post(url("member_reveal", member_a.pk, "id_number"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert member_a.id_number in response.content.decode()
    entry = AuditEntry.objects.get(action=Action.REVEAL)
    assert entry.actor_id == secretary_a.pk and entry.target_id == str(member_a.pk)
    assert entry.changes == {"field": "id_number"}
    assert member_a.id_number not in str(entry.changes)


def test_reveal_phone_and_unknown_field(as_secretary_a, member_a):
    assert member_a.phone in as_secretary_a.post(url("member_reveal", member_a.pk, "phone")).content.decode()
    with unchanged():
        assert as_secretary_a.post(url("member_reveal", member_a.pk, "name")).status_code == 404
    assert as_secretary_a.get(url("member_reveal", member_a.pk, "phone")).status_code == 405


def test_user_without_reveal_sees_no_button_and_gets_404(tree, member_a):
    from dangjian.accounts.roles import Role
    from tests.conftest import client_for
    from tests.factories import UserFactory, grant

    worker = UserFactory(username="worker")
    grant(worker, tree["branch_a"], Role.PARTY_WORKER)  # roster yes, reveal no
    client = client_for(worker)
    html = client.get(url("member_detail", member_a.pk)).content.decode()
    assert url("member_reveal", member_a.pk, "id_number") not in html
    with unchanged():
        assert client.post(url("member_reveal", member_a.pk, "id_number")).status_code == 404
    assert not AuditEntry.objects.filter(action=Action.REVEAL).exists()


# --- Create and edit ----------------------------------------------------------------


def test_create_member(as_secretary_a, tree, tags):
    data = valid_member_post(tree["branch_a"], tags=[tags["流动党员"].pk])
    response = as_secretary_a.post(url("member_create"), data)
    member = Member.objects.get(name="王立新")
    assert response.status_code == 302 and response["Location"] == url("member_detail", member.pk)
    assert member.id_number == data["id_number"] and member.org_id == tree["branch_a"].pk
    assert [t.name for t in member.tags.all()] == ["流动党员"]
    assert AuditEntry.objects.filter(action=Action.CREATE, target_id=str(member.pk)).exists()


def test_create_form_offers_only_branches_in_scope(as_secretary_a, tree):
    form = as_secretary_a.get(url("member_create")).context["form"]
    assert list(form.fields["org"].queryset) == [tree["branch_a"]]
    response = as_secretary_a.post(url("member_create"), valid_member_post(tree["branch_b"]))
    assert response.status_code == 200 and not Member.objects.filter(name="王立新").exists()


@pytest.mark.parametrize("overrides, field, message", [
    ({"id_number": "110105198503090011"}, "id_number", "身份证号校验位错误"),
    ({"id_number": "11010519850309"}, "id_number", "身份证号应为18位"),
    ({"birth_date": "1985-03-10"}, "birth_date", "与身份证号中的 1985-03-09 不一致"),
    ({"gender": "F"}, "gender", "与身份证号（男）不一致"),
    ({"joined_on": "2004-03-08", "full_member_on": "2005-03-08"}, "joined_on", "入党时不满19周岁"),
    ({"joined_on": "2010-07-01", "full_member_on": "2011-07-02"}, "full_member_on", "转正日期为预备期满之日"),
    ({"full_member_on": "2008-06-30"}, "full_member_on", "转正日期不能早于入党日期"),
])
def test_bad_input_shows_chinese_error_and_writes_nothing(as_secretary_a, tree, overrides, field, message):
    before = (Member.objects.count(), AuditEntry.objects.count())
    response = as_secretary_a.post(url("member_create"), valid_member_post(tree["branch_a"], **overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    assert message in response.content.decode()
    assert (Member.objects.count(), AuditEntry.objects.count()) == before


def test_joined_exactly_on_nineteenth_birthday_is_accepted(as_secretary_a, tree):
    """18 at application and a year as an activist (tests/regulations.py JOIN_MIN_AGE_YEARS)."""
    response = as_secretary_a.post(url("member_create"), valid_member_post(
        tree["branch_a"], joined_on="2004-03-09", full_member_on="2005-03-09"))
    assert response.status_code == 302


def test_duplicate_id_number_is_refused(as_secretary_a, tree, member_b):
    data = valid_member_post(tree["branch_a"], id_number=member_b.id_number, birth_date=member_b.birth_date.isoformat(),
                             gender=member_b.gender, joined_on="2005-07-01", full_member_on="2006-07-01")
    response = as_secretary_a.post(url("member_create"), data)
    assert "该身份证号已在系统中登记" in response.content.decode()
    assert Member.objects.count() == 1


def test_required_fields(as_secretary_a, tree):
    response = as_secretary_a.post(url("member_create"), {"org": tree["branch_a"].pk})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    assert not Member.objects.exists()


def test_edit_member(as_secretary_a, member_a):
    data = valid_member_post(member_a.org, id_number=member_a.id_number, birth_date="1980-05-17",
                             joined_on="2005-07-01", full_member_on="2006-07-01", name="张建国", job="退休教师")
    data.pop("org")
    response = as_secretary_a.post(url("member_edit", member_a.pk), data)
    assert response.status_code == 302
    member_a.refresh_from_db()
    assert member_a.job == "退休教师" and member_a.phone == "13912345678"
    entry = AuditEntry.objects.get(action=Action.UPDATE, target_id=str(member_a.pk))
    assert entry.changes["phone"] == ["••••", "••••"] and "13912345678" not in str(entry.changes)


def test_edit_form_starts_with_current_values_but_never_the_identifiers(as_secretary_a, member_a):
    """Issue 16 #1: the edit page carries the masked identifiers only, as placeholders."""
    member_a.phone = "13912345678"
    member_a.save()
    response = as_secretary_a.get(url("member_edit", member_a.pk))
    form, page = response.context["form"], response.content.decode()
    assert form.initial["name"] == member_a.name and "org" not in form.fields
    assert member_a.id_number not in page and "13912345678" not in page
    assert f'placeholder="{member_a.id_number_masked}"' in page and 'placeholder="139****5678"' in page
    assert "留空则不变" in page
    assert not AuditEntry.objects.filter(action=Action.REVEAL).exists()


def _edit_post(member, **overrides):
    data = valid_member_post(member.org, id_number="", phone="", birth_date=member.birth_date.isoformat(),
                             gender=member.gender, joined_on="2005-07-01", full_member_on="2006-07-01",
                             name=member.name, job="退休教师")
    data.pop("org")
    data.update(overrides)
    return data


def test_blank_identifiers_keep_the_stored_ones(as_secretary_a, member_a):
    member_a.phone = "13912345678"
    member_a.save()
    before = member_a.id_number
    assert as_secretary_a.post(url("member_edit", member_a.pk), _edit_post(member_a)).status_code == 302
    member_a.refresh_from_db()
    assert (member_a.id_number, member_a.phone, member_a.job) == (before, "13912345678", "退休教师")
    assert not {"id_number", "phone"} & set(AuditEntry.objects.get(action=Action.UPDATE, target_id=str(member_a.pk)).changes)


def test_removing_the_phone_takes_its_own_tick(as_secretary_a, member_a):
    member_a.phone = "13912345678"
    member_a.save()
    assert as_secretary_a.post(url("member_edit", member_a.pk), _edit_post(member_a, clear_phone="on")).status_code == 302
    member_a.refresh_from_db()
    assert member_a.phone == ""


def test_changing_an_identifier_needs_the_reveal_right_and_is_audited(tree, as_secretary_a, member_a):
    from django.test import Client

    from dangjian.accounts.roles import Role
    from tests.factories import UserFactory, grant

    worker = UserFactory(username="worker_a")
    grant(worker, tree["branch_a"], Role.PARTY_WORKER)  # edits the roster, may not reveal
    as_worker = Client()
    as_worker.force_login(worker)
    before = member_a.id_number
    new_phone = _edit_post(member_a, phone="13700001111")
    page = as_worker.post(url("member_edit", member_a.pk), new_phone)
    assert page.status_code == 200 and "有权查看完整信息的用户才能修改" in page.content.decode()
    # Retyping the stored value is refused alike: no oracle for guesses.
    same = _edit_post(member_a, id_number=before)
    assert as_worker.post(url("member_edit", member_a.pk), same).status_code == 200
    member_a.refresh_from_db()
    assert member_a.phone != "13700001111"

    assert as_secretary_a.post(url("member_edit", member_a.pk), new_phone).status_code == 302
    member_a.refresh_from_db()
    assert member_a.phone == "13700001111" and member_a.id_number == before
    entry = AuditEntry.objects.get(action=Action.UPDATE, target_id=str(member_a.pk))
    assert entry.changes["phone"][1] == "••••" and "13700001111" not in str(entry.changes)


def test_edit_with_bad_id_number_changes_nothing(as_secretary_a, member_a):
    data = valid_member_post(member_a.org, id_number="110105198005170000", birth_date="1980-05-17",
                             joined_on="2005-07-01", full_member_on="2006-07-01")
    response = as_secretary_a.post(url("member_edit", member_a.pk), data)
    assert response.status_code == 200
    assert Member.objects.get(pk=member_a.pk).id_number == member_a.id_number


def test_status_change_with_reason(as_secretary_a, member_a):
    today = timezone.localdate()
    response = as_secretary_a.post(url("member_status", member_a.pk), {
        "status": "lost_contact", "changed_on": today.isoformat(), "reason": "半年未联系上"})
    assert response.status_code == 302
    member_a.refresh_from_db()
    assert member_a.status == "lost_contact"
    change = member_a.status_changes.first()
    assert (change.from_status, change.to_status, change.reason) == ("active", "lost_contact", "半年未联系上")


def test_status_change_needs_reason_and_no_future_date(as_secretary_a, member_a):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = as_secretary_a.post(url("member_status", member_a.pk), {
        "status": "lost_contact", "changed_on": tomorrow.isoformat(), "reason": ""})
    html = response.content.decode()
    assert "日期不能晚于今天" in html and "这个字段是必填项" in html
    same = as_secretary_a.post(url("member_status", member_a.pk), {
        "status": "active", "changed_on": timezone.localdate().isoformat(), "reason": "x"})
    assert "该党员当前已是此状态" in same.content.decode()
    assert Member.objects.get(pk=member_a.pk).status == "active"


def test_id_number_helper_makes_consistent_numbers():
    # Guard for the fixtures above: the valid POST really is valid.
    number = make_id_number(area="110105", birth_date=dt.date(1985, 3, 9), sequence=901, gender="M")
    assert number[6:14] == "19850309" and int(number[16]) % 2 == 1


def test_roster_and_member_form_name_a_person_by_name(as_secretary_a, tree, member_a):
    """"Name" is 名称 for an organisation (other catalogues) but 姓名 for a person."""
    page = as_secretary_a.get(url("member_list") + f"?org={tree['branch_a'].pk}").content.decode()
    assert "<th>姓名</th>" in page and "<th>名称</th>" not in page
    form = as_secretary_a.get(url("member_edit", member_a.pk)).content.decode()
    assert '<label for="id_name">姓名:</label>' in form
