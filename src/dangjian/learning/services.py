"""Writes of the case library, study records and reflections (with the originality check)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.audit.services import Action, audit_record, diff
from dangjian.core.roles import capabilities_of, roles_with
from dangjian.core.scoping import org_in_scope
from dangjian.learning import checker
from dangjian.learning.models import (
    Case,
    Dimension,
    DocKind,
    LinkType,
    Material,
    Reflection,
    ReflectionMatch,
    Source,
    StudyPlan,
    StudyRecord,
    SynonymGroup,
)
from dangjian.learning.search import index_tokens
from dangjian.orgs.models import Status


def _require(by, org, capability=roles.EDIT_WORK) -> None:
    if not org_in_scope(by, capability, org):
        raise ValidationError({"org": _("This organisation is outside your scope.")})


def _text(value: str, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def case_search_text(case: Case) -> str:
    return index_tokens(case.title, case.practice, case.results, case.lessons, case.tags)


@transaction.atomic
def case_create(*, by, org, title: str, practice: str, kind: str = Case.Kind.PRACTICE, results: str = "",
                lessons: str = "", tags: str = "", dimension: str = Dimension.OTHER, link_type: str = "",
                link_id: int | None = None) -> Case:
    _require(by, org)
    title = _text(title, "title", _("A title is required."))
    practice = _text(practice, "practice", _("Describe what was done."))
    if link_type not in LinkType.values:
        raise ValidationError({"link_type": _("Unknown link type.")})
    if bool(link_type) != (link_id is not None):
        raise ValidationError({"link_id": _("Give both the kind of record and its number, or neither.")})
    case = Case(org=org, title=title, kind=kind, practice=practice, results=results, lessons=lessons,
                tags=" ".join((tags or "").replace(",", " ").replace("，", " ").split()), dimension=dimension,
                link_type=link_type, link_id=link_id, author=by)
    case.search_text = case_search_text(case)
    case.save()
    audit_record(actor=by, action=Action.CREATE, target=case, org=org,
                 changes=diff(None, model_to_dict(case, exclude=["search_text"])))
    return case


@transaction.atomic
def case_recommend(*, by, case: Case, note: str = "") -> Case:
    """A superior recommends a case: the user assesses an org strictly above the case's org."""
    above = [
        g for g in by.grants.select_related("org")
        if roles.ASSESS in capabilities_of(g.role)
        and case.org.path.startswith(g.org.path) and len(g.org.path) < len(case.org.path)
    ]
    if not above and not by.is_superuser:
        raise ValidationError({"case": _("Only a superior organisation can recommend this case.")})
    recommender = above[0] if above else None
    case.recommended_by, case.recommended_at = by, timezone.now()
    case.recommended_org = recommender.org if recommender else None
    case.recommend_note = note.strip()[:300]
    case.save(update_fields=["recommended_by", "recommended_at", "recommended_org", "recommend_note", "updated_at"])
    audit_record(actor=by, action=Action.UPDATE, target=case, org=case.org, changes={"recommended": [False, True]})
    return case


@transaction.atomic
def plan_create(*, by, org, title: str, starts_on: dt.date, ends_on: dt.date, description: str = "") -> StudyPlan:
    _require(by, org)
    title = _text(title, "title", _("A title is required."))
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    plan = StudyPlan.objects.create(org=org, title=title, starts_on=starts_on, ends_on=ends_on, description=description)
    audit_record(actor=by, action=Action.CREATE, target=plan, org=org, changes=diff(None, model_to_dict(plan)))
    return plan


@transaction.atomic
def material_create(*, by, org, title: str, plan: StudyPlan | None = None, url: str = "", body: str = "",
                    minutes: int = 30) -> Material:
    _require(by, org)
    title = _text(title, "title", _("A title is required."))
    if not url and not (body or "").strip():
        raise ValidationError({"body": _("Give a link or the text of the material.")})
    if minutes <= 0:
        raise ValidationError({"minutes": _("Minutes must be more than zero.")})
    material = Material.objects.create(org=org, plan=plan, title=title, url=url, body=body, minutes=minutes)
    audit_record(actor=by, action=Action.CREATE, target=material, org=org, changes=diff(None, model_to_dict(material)))
    return material


def _acting_for(by, member) -> None:
    """A member records for themself; staff for members of their subtree."""
    if getattr(by, "member_id", None) == member.pk:
        return
    _require(by, member.org)


@transaction.atomic
def study_record(*, by, member, mode: str, studied_on: dt.date, minutes: int, material: Material | None = None,
                 note: str = "") -> StudyRecord:
    _acting_for(by, member)
    if mode not in StudyRecord.Mode.values:
        raise ValidationError({"mode": _("Choose in person or online.")})
    if minutes is None or minutes <= 0:
        raise ValidationError({"minutes": _("Minutes must be more than zero.")})
    if minutes > 24 * 60:
        raise ValidationError({"minutes": _("At most 1440 minutes a day.")})
    if studied_on > timezone.localdate():
        raise ValidationError({"studied_on": _("The date is in the future.")})
    if material is not None and StudyRecord.objects.filter(member=member, material=material, studied_on=studied_on).exists():
        raise ValidationError({"material": _("This study is already recorded for that day.")})
    record = StudyRecord.objects.create(member=member, org=member.org, material=material,
                                        plan=material.plan if material else None, mode=mode, studied_on=studied_on,
                                        minutes=minutes, note=note, by=by)
    audit_record(actor=by, action=Action.CREATE, target=record, org=member.org,
                 changes=diff(None, model_to_dict(record)), target_repr=f"{member} {studied_on}")
    return record


def _save_matches(reflection: Reflection, result) -> None:
    refl_ids, source_ids = [], []
    for m in result.matches:
        kind, pk = checker.unkey(m.key)
        (source_ids if kind == DocKind.SOURCE else refl_ids).append(pk)
    others = {(DocKind.REFLECTION, r.pk): (r.title, r.org_id) for r in Reflection.objects.filter(pk__in=refl_ids)}
    others.update({(DocKind.SOURCE, s.pk): (s.title, None) for s in Source.objects.filter(pk__in=source_ids)})
    ReflectionMatch.objects.bulk_create(
        ReflectionMatch(
            reflection=reflection, kind=kind, other_id=pk, other_title=others.get((kind, pk), ("", None))[0],
            other_org_id=others.get((kind, pk), ("", None))[1], query_containment=m.query_containment,
            doc_containment=m.doc_containment,
            passages=[{"mine": p.query_text, "theirs": p.match_text} for p in m.passages],
        )
        for m in result.matches[:10]
        for kind, pk in [checker.unkey(m.key)]
    )


@transaction.atomic
def reflection_submit(*, by, member, title: str, body: str, material: Material | None = None) -> Reflection:
    """Store a reflection after checking it against every other one and the registered sources."""
    _acting_for(by, member)
    if member.status != Status.ACTIVE:
        raise ValidationError({"member": _("Only members on the roll can submit reflections.")})
    title = _text(title, "title", _("A title is required."))
    body = _text(body, "body", _("The reflection is empty."))
    canon = checker.canonicaliser().canonical(body)
    if len(canon.text) < 20:
        raise ValidationError({"body": _("The reflection is too short to be a reflection (at least 20 characters of text).")})
    result = checker.check(body)
    reflection = Reflection.objects.create(
        member=member, org=member.org, material=material, title=title, body=body,
        verdict=Reflection.Verdict.FLAGGED if result.flagged else Reflection.Verdict.ORIGINAL, score=result.score,
    )
    _save_matches(reflection, result)
    checker.store(DocKind.REFLECTION, reflection.pk, body)
    audit_record(actor=by, action=Action.CREATE, target=reflection, org=member.org,
                 changes={"verdict": [None, reflection.verdict], "score": [None, round(result.score, 3)]})
    return reflection


@transaction.atomic
def reflection_clear(*, by, reflection: Reflection, note: str) -> Reflection:
    """A reviewer judges a flagged reflection original after reading the passages."""
    _require(by, reflection.org)
    note = _text(note, "note", _("Say why the reflection is original."))
    reflection.verdict = Reflection.Verdict.CLEARED
    reflection.save(update_fields=["verdict", "updated_at"])
    audit_record(actor=by, action=Action.TRANSITION, target=reflection, org=reflection.org,
                 changes={"verdict": [Reflection.Verdict.FLAGGED, Reflection.Verdict.CLEARED], "note": [None, note]})
    return reflection


@transaction.atomic
def source_register(*, by, title: str, body: str) -> Source:
    if not (by.is_superuser or by.grants.filter(role__in=roles_with(roles.ASSESS)).exists()):
        raise ValidationError({"title": _("Only assessors register sources.")})
    title = _text(title, "title", _("A title is required."))
    body = _text(body, "body", _("The text is empty."))
    source = Source.objects.create(title=title, body=body, registered_by=by)
    checker.store(DocKind.SOURCE, source.pk, body)
    audit_record(actor=by, action=Action.CREATE, target=source, changes={"title": [None, title]})
    return source


@transaction.atomic
def synonym_add(*, by, words: str) -> SynonymGroup:
    """Extend the synonym table; every signature is recomputed so old texts match new disguises."""
    if not by.is_superuser:
        raise ValidationError({"words": _("Only an administrator changes the synonym table.")})
    parts = words.replace(",", " ").replace("，", " ").split()
    if len(parts) < 2:
        raise ValidationError({"words": _("Give at least two words, separated by spaces.")})
    group = SynonymGroup.objects.create(words=" ".join(parts))
    checker.reset()
    checker.reindex_all()
    audit_record(actor=by, action=Action.CREATE, target=group, changes={"words": [None, group.words]})
    return group
