"""Writes of the three lists. Each is atomic and audited; rule breaches raise ValidationError."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.audit.services import Action, audit_record, diff
from dangjian.core.http import require_in_scope
from dangjian.core.scoping import org_in_scope
from dangjian.resources.models import (
    Booking,
    Category,
    Delivery,
    Evaluation,
    Need,
    PartnerUnit,
    Project,
    Resource,
)
from dangjian.resources.selectors import overlapping


def _created(by, obj, org) -> None:
    audit_record(actor=by, action=Action.CREATE, target=obj, org=org, changes=diff(None, model_to_dict(obj)))


def _check_category(category: str) -> None:
    if category not in Category.values:
        raise ValidationError({"category": _("Unknown category.")})


@transaction.atomic
def partner_create(*, by, org, name: str, kind: str = PartnerUnit.Kind.UNIT, contact: str = "",
                   joined_on: dt.date | None = None) -> PartnerUnit:
    require_in_scope(by, roles.EDIT_WORK, org)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("A name is required.")})
    if PartnerUnit.objects.filter(org=org, name=name).exists():
        raise ValidationError({"name": _("This partner unit is already registered.")})
    partner = PartnerUnit.objects.create(org=org, name=name, kind=kind, contact=contact, joined_on=joined_on)
    _created(by, partner, org)
    return partner


@transaction.atomic
def resource_create(*, by, org, title: str, category: str, place: str = "", capacity: int | None = None,
                    available_from: dt.date | None = None, available_until: dt.date | None = None,
                    bookable: bool = False, description: str = "", partner: PartnerUnit | None = None) -> Resource:
    require_in_scope(by, roles.EDIT_WORK, org)
    _check_category(category)
    if not (title or "").strip():
        raise ValidationError({"title": _("A title is required.")})
    if capacity is not None and capacity < 0:
        raise ValidationError({"capacity": _("Capacity cannot be negative.")})
    if available_from and available_until and available_until < available_from:
        raise ValidationError({"available_until": _("The end of availability is before its start.")})
    if partner is not None and partner.org_id != org.pk and not org_in_scope(by, roles.EDIT_WORK, partner.org):
        raise ValidationError({"partner": _("This partner unit is outside your scope.")})
    resource = Resource.objects.create(
        org=org, title=title.strip(), category=category, place=place, capacity=capacity,
        available_from=available_from, available_until=available_until, bookable=bookable,
        description=description, partner=partner,
    )
    _created(by, resource, org)
    return resource


@transaction.atomic
def need_create(*, by, org, title: str, category: str, source: str = Need.Source.ORG, place: str = "",
                needed_on: dt.date | None = None, people: int | None = None, description: str = "",
                appeal=None) -> Need:
    require_in_scope(by, roles.EDIT_WORK, org)
    _check_category(category)
    if not (title or "").strip():
        raise ValidationError({"title": _("A title is required.")})
    if people is not None and people < 0:
        raise ValidationError({"people": _("The number of people cannot be negative.")})
    need = Need.objects.create(
        org=org, title=title.strip()[:100], category=category, source=source, place=place, needed_on=needed_on,
        people=people, description=description, appeal=appeal,
    )
    _created(by, need, org)
    return need


# Appeal categories that usually call for a given resource category.
APPEAL_CATEGORY = {"elderly": Category.VOLUNTEER_TIME, "employment": Category.SKILL, "repair": Category.SERVICE,
                   "sanitation": Category.VOLUNTEER_TIME, "policy": Category.SERVICE}


@transaction.atomic
def need_from_appeal(*, by, appeal, category: str | None = None) -> Need:
    """One action: a resident's appeal becomes a need of the appeal's organisation."""
    if Need.objects.filter(appeal=appeal).exists():
        raise ValidationError({"appeal": _("This appeal is already a need.")})
    text = " ".join(appeal.text.split())
    return need_create(
        by=by, org=appeal.org, title=text[:40] or appeal.tracking_code,
        category=category or APPEAL_CATEGORY.get(appeal.category, Category.SERVICE),
        source=Need.Source.RESIDENT, place=appeal.address, description=appeal.text, appeal=appeal,
    )


@transaction.atomic
def project_create(*, by, need: Need, title: str, resources: list[Resource], starts_on: dt.date | None = None,
                   ends_on: dt.date | None = None) -> Project:
    require_in_scope(by, roles.EDIT_WORK, need.org)
    if not resources:
        raise ValidationError({"resources": _("Choose at least one resource.")})
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    project = Project.objects.create(org=need.org, need=need, title=(title or need.title).strip(),
                                     starts_on=starts_on, ends_on=ends_on)
    project.resources.set(resources)
    if need.state == Need.State.OPEN:
        Need.objects.filter(pk=need.pk).update(state=Need.State.MATCHED)
    audit_record(actor=by, action=Action.CREATE, target=project, org=need.org,
                 changes={"need": [None, need.pk], "resources": [None, sorted(r.pk for r in resources)]})
    return project


@transaction.atomic
def booking_create(*, by, resource: Resource, org, starts_at: dt.datetime, ends_at: dt.datetime, purpose: str,
                   project: Project | None = None) -> Booking:
    """Book a time slot. The resource row is locked first, so two concurrent bookings
    of one resource are checked one after the other (SELECT ... FOR UPDATE on
    PostgreSQL; SQLite serialises writers with its IMMEDIATE transactions)."""
    require_in_scope(by, roles.EDIT_WORK, org)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if not resource.bookable or not resource.is_active:
        raise ValidationError({"resource": _("This resource is not booked by time.")})
    if not purpose or not purpose.strip():
        raise ValidationError({"purpose": _("A purpose is required.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    clash = overlapping(resource.pk, starts_at, ends_at).first()
    if clash is not None:
        raise ValidationError({"starts_at": _("This time overlaps another booking (%(start)s to %(end)s).") % {
            "start": clash.starts_at.astimezone(starts_at.tzinfo).strftime("%Y-%m-%d %H:%M"),
            "end": clash.ends_at.astimezone(starts_at.tzinfo).strftime("%H:%M")}})
    booking = Booking.objects.create(resource=resource, org=org, starts_at=starts_at, ends_at=ends_at,
                                     purpose=purpose.strip(), project=project, by=by)
    _created(by, booking, org)
    return booking


@transaction.atomic
def booking_cancel(*, by, booking: Booking) -> Booking:
    require_in_scope(by, roles.EDIT_WORK, booking.org)
    if not booking.cancelled:
        booking.cancelled = True
        booking.save(update_fields=["cancelled"])
        audit_record(actor=by, action=Action.UPDATE, target=booking, org=booking.org,
                     changes={"cancelled": [False, True]})
    return booking


@transaction.atomic
def delivery_record(*, by, project: Project, delivered_on: dt.date, description: str,
                    people_served: int = 0) -> Delivery:
    require_in_scope(by, roles.EDIT_WORK, project.org)
    if not (description or "").strip():
        raise ValidationError({"description": _("Say what was delivered.")})
    if people_served < 0:
        raise ValidationError({"people_served": _("The number of people cannot be negative.")})
    delivery = Delivery.objects.create(project=project, delivered_on=delivered_on, description=description.strip(),
                                       people_served=people_served, by=by)
    if project.state != Project.State.RUNNING and project.state != Project.State.DONE:
        Project.objects.filter(pk=project.pk).update(state=Project.State.RUNNING)
    _created(by, delivery, project.org)
    return delivery


def grade_for(score: int) -> str:
    if score >= 90:
        return Evaluation.Grade.EXCELLENT
    if score >= 75:
        return Evaluation.Grade.GOOD
    if score >= 60:
        return Evaluation.Grade.FAIR
    return Evaluation.Grade.POOR


@transaction.atomic
def evaluation_record(*, by, partner: PartnerUnit, year: int, score: int, comment: str = "") -> Evaluation:
    """The community's annual evaluation of a partner unit; the grade follows the score."""
    require_in_scope(by, roles.EDIT_WORK, partner.org)
    if not 0 <= score <= 100:
        raise ValidationError({"score": _("The score is between 0 and 100.")})
    if Evaluation.objects.filter(partner=partner, year=year).exists():
        raise ValidationError({"year": _("This partner unit is already evaluated for that year.")})
    evaluation = Evaluation.objects.create(partner=partner, year=year, score=score, grade=grade_for(score),
                                           comment=comment, by=by)
    _created(by, evaluation, partner.org)
    return evaluation
