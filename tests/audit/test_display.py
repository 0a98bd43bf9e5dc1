"""The audit log reads in Chinese: field labels and displayed values, not `passed: None → True` (issue 14)."""

import pytest
from django.urls import reverse

from dangjian.audit.display import entry_changes
from dangjian.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _entry(target_type, changes):
    return AuditEntry(target_type=target_type, changes=changes)


def test_fields_are_named_by_their_label_and_values_shown_as_read():
    changes = entry_changes(_entry("meetings.Meeting", {
        "state": ["planned", "held"], "minutes": [None, "纪要"], "starts_at": ["2026-06-30T06:00:00+00:00", None]}))
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("状态", "已计划", "已召开"), ("会议记录", "—", "纪要"), ("时间", "2026-06-30 14:00", "—")]


def test_booleans_read_yes_and_no():
    [change] = entry_changes(_entry("volunteering.SignUp", {"attended": [None, True]}))
    assert (change.label, change.before, change.after) == ("出勤", "—", "是")


def test_audit_page_shows_labels_not_field_names(tree, officer, as_officer):
    from dangjian.audit.services import Action, audit_record

    audit_record(actor=officer, action=Action.UPDATE, target=officer.grants.first().org, org=tree["branch_a"],
                 changes={"name": ["旧名", "新名"]})
    text = as_officer.get(reverse("audit:list")).content.decode()
    assert "名称" in text and "旧名 → 新名" in text and ">name<" not in text


def test_a_recruitment_step_reads_in_chinese_not_passed_none_true():
    """The issue's example: a step entry recorded `passed: None → True` and the applicant's `stage`."""
    changes = {c.label: (c.before, c.after) for c in entry_changes(_entry("recruitment.Step", {
        "passed": [None, True], "stage": ["activist", "candidate"]}))}
    assert "passed" not in changes and "stage" not in changes
    assert ("—", "是") in changes.values()
    assert all(v.isascii() is False for pair in changes.values() for v in pair if v != "—")


def test_a_survey_question_is_named_in_chinese_on_the_audit_page(tree, officer, as_officer):
    from dangjian.surveys import services

    q = services.questionnaire_create(by=officer, org=tree["branch_a"], title="测评表")
    services.question_add(by=officer, questionnaire=q, text="总体评价", kind="rating")
    text = as_officer.get(reverse("audit:list")).content.decode()
    assert "题目" in text and ">question<" not in text and " question " not in text
