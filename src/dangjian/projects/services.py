"""Writes for projects: each atomic, scoped and audited."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.audit.services import Action, audit_record, diff
from dangjian.core import metrics
from dangjian.core.http import require_in_scope, require_superior
from dangjian.core.scoping import org_in_scope
from dangjian.core.uploads import check_evidence
from dangjian.projects.models import (
    Milestone,
    ProgressUpdate,
    Project,
    Spending,
    Status,
    Target,
    Task,
)

PROJECT_FIELDS = ("org", "kind", "title", "aim", "starts_on", "ends_on", "budget", "partner_units")

# transition: (from, to, capability, comment required)
TRANSITIONS: dict[str, tuple[str, str, str, bool]] = {
    "submit": (Status.PROPOSAL, Status.SUBMITTED, roles.EDIT_WORK, False),
    "approve": (Status.SUBMITTED, Status.EXECUTING, roles.ASSESS, False),
    "reject": (Status.SUBMITTED, Status.PROPOSAL, roles.ASSESS, True),
    "request_acceptance": (Status.EXECUTING, Status.REVIEW, roles.EDIT_WORK, False),
    "accept": (Status.REVIEW, Status.ACCEPTED, roles.ASSESS, True),
    "return": (Status.REVIEW, Status.EXECUTING, roles.ASSESS, True),
}


def _snapshot(p: Project) -> dict[str, Any]:
    snap = {f: getattr(p, f"{f}_id" if f == "org" else f) for f in PROJECT_FIELDS} | {"status": p.status}
    if p.pk:
        snap["partners"] = sorted(p.partners.values_list("pk", flat=True))
    snap["budget"] = str(snap["budget"])
    return snap


def _check_project(p: Project) -> None:
    errors = {}
    if not (p.title or "").strip():
        errors["title"] = _("Enter the project's title")
    if not (p.aim or "").strip():
        errors["aim"] = _("Enter the project's goal")
    if p.starts_on and p.ends_on and p.ends_on < p.starts_on:
        errors["ends_on"] = _("The end date cannot be earlier than the start date")
    if p.budget is not None and p.budget < 0:
        errors["budget"] = _("The budget cannot be negative")
    if errors:
        raise ValidationError(errors)


def _editable(p: Project) -> None:
    if p.status == Status.ACCEPTED:
        raise ValidationError({"status": _("The project is accepted and can no longer be changed")})


@transaction.atomic
def project_create(*, by, data: dict[str, Any], partners=()) -> Project:
    project = Project(**{k: v for k, v in data.items() if k in PROJECT_FIELDS}, created_by=by)
    require_in_scope(by, roles.EDIT_WORK, project.org)
    _check_project(project)
    for partner in partners:
        require_in_scope(by, roles.VIEW_WORK, partner)
    if any(p.pk == project.org_id for p in partners):
        raise ValidationError({"partners": _("A partner organisation cannot be the project's own organisation")})
    project.save()
    project.partners.set(partners)
    audit_record(actor=by, action=Action.CREATE, target=project, org=project.org, changes=diff(None, _snapshot(project)))
    return project


@transaction.atomic
def project_update(*, by, project: Project, data: dict[str, Any]) -> Project:
    require_in_scope(by, roles.EDIT_WORK, project.org)
    _editable(project)
    if project.status not in (Status.PROPOSAL,) and "budget" in data and data["budget"] != project.budget:
        raise ValidationError({"budget": _("The budget cannot be changed once the project is approved")})
    before = _snapshot(project)
    for k, v in data.items():
        if k in PROJECT_FIELDS and k != "org":
            setattr(project, k, v)
    _check_project(project)
    project.save()
    audit_record(actor=by, action=Action.UPDATE, target=project, org=project.org, changes=diff(before, _snapshot(project)))
    return project


@transaction.atomic
def project_transition(*, by, project: Project, action: str, comment: str = "", score: int | None = None) -> Project:
    if action not in TRANSITIONS:
        raise ValidationError({"action": _("Invalid action")})
    source, dest, capability, needs_comment = TRANSITIONS[action]
    if capability == roles.ASSESS:
        require_superior(by, project.org, view=roles.VIEW_WORK, assess=roles.ASSESS)
    else:
        require_in_scope(by, capability, project.org)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != source:
        raise ValidationError({"status": _("The project is “%(status)s”: this action is not possible") % {
            "status": project.get_status_display()}})
    comment = (comment or "").strip()
    if needs_comment and not comment:
        raise ValidationError({"comment": _("Write your comment")})
    if action == "submit" and not project.targets.exists():
        raise ValidationError({"status": _("Set at least one measurable target for the project before submitting it for approval")})
    before = _snapshot(project) | {"decision_comment": project.decision_comment}
    if action == "accept":
        if score is None or not 0 <= score <= 100:
            raise ValidationError({"score": _("The acceptance score must be between 0 and 100")})
        project.acceptance_score = score
        project.acceptance_comment = comment
        project.accepted_on = timezone.localdate()
    else:
        project.decision_comment = comment
    project.status = dest
    project.save()
    after = _snapshot(project) | {"decision_comment": project.decision_comment, "acceptance_score": project.acceptance_score}
    audit_record(actor=by, action=Action.TRANSITION, target=project, org=project.org, changes=diff(before, after))
    return project


def _child_write(by, project: Project, obj, action=Action.CREATE, before=None, after=None):
    audit_record(actor=by, action=action, target=obj, org=project.org, changes=diff(before, after),
                 target_repr=f"{project.title} · {obj}")


@transaction.atomic
def target_add(*, by, project: Project, name: str, unit: str, target_value: Decimal, due_on: dt.date,
               metric_code: str = "", baseline: Decimal = Decimal(0)) -> Target:
    require_in_scope(by, roles.EDIT_WORK, project.org)
    if project.status not in (Status.PROPOSAL,):
        raise ValidationError({"name": _("Targets cannot be changed once the project is submitted for approval")})
    errors = {}
    if metric_code:
        try:
            metrics.get(metric_code)
        except KeyError:
            errors["metric_code"] = _("No such metric")
    if target_value is None or target_value <= 0:
        errors["target_value"] = _("The target value must be more than 0")
    if not (name or "").strip():
        errors["name"] = _("Enter the target's name")
    if errors:
        raise ValidationError(errors)
    target = Target.objects.create(project=project, name=name.strip(), unit=unit, target_value=target_value,
                                   due_on=due_on, metric_code=metric_code, baseline=baseline)
    _child_write(by, project, target, after={"name": target.name, "metric_code": metric_code,
                                              "target_value": str(target_value), "due_on": due_on})
    return target


@transaction.atomic
def target_report(*, by, target: Target, value: Decimal, evidence: str) -> Target:
    project = target.project
    require_in_scope(by, roles.EDIT_WORK, project.org)
    _editable(project)
    if target.metric_code:
        raise ValidationError({"value": _("This target is bound to recorded work: its value is computed, not reported")})
    if not (evidence or "").strip():
        raise ValidationError({"evidence": _("Describe the evidence")})
    before = {"reported_value": target.reported_value, "evidence": target.evidence}
    target.reported_value, target.evidence = value, evidence.strip()
    target.save(update_fields=["reported_value", "evidence"])
    _child_write(by, project, target, Action.UPDATE, before, {"reported_value": str(value), "evidence": target.evidence})
    return target


@transaction.atomic
def milestone_add(*, by, project: Project, title: str, due_on: dt.date) -> Milestone:
    require_in_scope(by, roles.EDIT_WORK, project.org)
    _editable(project)
    if not (title or "").strip():
        raise ValidationError({"title": _("Enter the milestone's name")})
    m = Milestone.objects.create(project=project, title=title.strip(), due_on=due_on)
    _child_write(by, project, m, after={"title": m.title, "due_on": due_on})
    return m


@transaction.atomic
def task_add(*, by, project: Project, title: str, due_on: dt.date, owner=None) -> Task:
    require_in_scope(by, roles.EDIT_WORK, project.org)
    _editable(project)
    if not (title or "").strip():
        raise ValidationError({"title": _("Enter the task's name")})
    if owner is not None and not org_in_scope(owner, roles.VIEW_WORK, project.org):
        raise ValidationError({"owner": _("The person responsible must be someone who can see this organisation's work")})
    t = Task.objects.create(project=project, title=title.strip(), due_on=due_on, owner=owner)
    _child_write(by, project, t, after={"title": t.title, "due_on": due_on, "owner": owner})
    return t


@transaction.atomic
def item_complete(*, by, item: Task | Milestone, done_on: dt.date | None = None) -> Task | Milestone:
    project = item.project
    is_owner = isinstance(item, Task) and item.owner_id == getattr(by, "pk", None)
    if not is_owner:
        require_in_scope(by, roles.EDIT_WORK, project.org)
    elif not org_in_scope(by, roles.VIEW_WORK, project.org):
        raise Http404
    _editable(project)
    if item.done_on:
        raise ValidationError({"done_on": _("This is already done")})
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The completion date cannot be later than today")})
    item.done_on = done_on
    item.save(update_fields=["done_on"])
    _child_write(by, project, item, Action.UPDATE, {"done_on": None}, {"done_on": done_on})
    return item


@transaction.atomic
def progress_add(*, by, project: Project, text: str, file=None) -> ProgressUpdate:
    require_in_scope(by, roles.EDIT_WORK, project.org)
    if project.status not in (Status.EXECUTING, Status.REVIEW):
        raise ValidationError({"text": _("Progress can only be recorded while the project is in execution")})
    if not (text or "").strip():
        raise ValidationError({"text": _("Describe the progress")})
    check_evidence(file, field="file")
    u = ProgressUpdate.objects.create(project=project, text=text.strip(), file=file or "", by=by, on=timezone.localdate())
    _child_write(by, project, u, after={"text": u.text, "file": u.file.name if u.file else ""})
    return u


@transaction.atomic
def spending_add(*, by, project: Project, item: str, amount: Decimal, spent_on: dt.date) -> Spending:
    require_in_scope(by, roles.EDIT_WORK, project.org)
    if project.status not in (Status.EXECUTING, Status.REVIEW):
        raise ValidationError({"amount": _("Spending can only be recorded while the project is in execution")})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("The amount spent must be more than 0")})
    if spent_on > timezone.localdate():
        raise ValidationError({"spent_on": _("The spending date cannot be later than today")})
    s = Spending.objects.create(project=project, item=item.strip(), amount=amount, spent_on=spent_on, by=by)
    _child_write(by, project, s, after={"item": s.item, "amount": str(amount), "spent_on": spent_on})
    return s
