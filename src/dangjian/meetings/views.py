import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from dangjian.accounts import roles
from dangjian.core.defaults import own_org
from dangjian.core.forms import apply_errors, submitted
from dangjian.core.http import require_capability, require_superuser
from dangjian.core.references import ARTICLES, related_work
from dangjian.core.scoping import (
    get_scoped_or_404,
    has_capability,
    is_superior,
    org_in_scope,
    scoped,
    visible_orgs,
)
from dangjian.core.text import join_messages
from dangjian.core.xlsx import export_xlsx
from dangjian.meetings import lapse, selectors, services
from dangjian.meetings.forms import (
    AppraisalForm,
    AttachmentForm,
    CancelForm,
    CorrectRecordForm,
    FollowUpForm,
    GoodReasonForm,
    LifeRuleForm,
    MeetingForm,
    MinutesForm,
    PlanEditForm,
    RecordForm,
    RuleForm,
    TalkForm,
)
from dangjian.meetings.models import (
    Appraisal,
    Attachment,
    Attendance,
    GoodReason,
    LifeRule,
    Meeting,
    MeetingRule,
    MeetingType,
    Outcome,
)
from dangjian.meetings.periods import month_grid
from dangjian.meetings.selectors import (
    MEETING_KINDS,
    Expected,
    appraisals_for,
    compliance,
    expected_attendees,
    life_status,
    life_warnings,
    meeting_orgs,
    meetings_for,
    month_meetings,
    participation,
)
from dangjian.orgs.models import Member, Org, OrgKind, Status
from dangjian.orgs.selectors import roster


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _filter_org(request, capability=roles.VIEW_WORK) -> Org | None:
    org_id = _int(request.GET.get("org"))
    if org_id is None:
        return None
    return get_scoped_or_404(Org.objects.all(), request.user, capability, path_field="path", pk=org_id)


def _export(request, *, what: str, filename: str, headers, rows, org=None, filters=None):
    return export_xlsx(by=request.user, what=what, filename=filename, headers=headers, rows=rows, org=org,
                       changes={"filters": filters or {}})


# ------------------------------------------------------------------ meetings


@login_required
def meeting_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    qs = meetings_for(request.user)
    org = _filter_org(request)
    if org is not None:
        qs = qs.filter(org__path__subtree=org.path)
    mtype = request.GET.get("type", "")
    if mtype in MeetingType.values:
        qs = qs.filter(meeting_type=mtype)
    state = request.GET.get("state", "")
    if state in Meeting.State.values:
        qs = qs.filter(state=state)
    year = _int(request.GET.get("year"))
    if year:
        qs = qs.filter(starts_at__year=year)
    filters = {"org": org.pk if org else None, "type": mtype, "state": state, "year": year}
    if request.GET.get("export") == "xlsx":
        rows = (
            (m.org.name, m.get_meeting_type_display(), m.get_state_display(), m.starts_at, m.place, m.topic,
             m.host.name if m.host else "")
            for m in qs.iterator(chunk_size=2000)
        )
        headers = [_("Organisation"), _("Meeting type"), _("State"), _("Date and time"), _("Place"), _("Topic"), _("Host")]
        return _export(request, what=_("Meetings"), filename="meetings", headers=headers, rows=rows, org=org, filters=filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "meetings/list.html", {
        "page": page, "org": org, "types": MeetingType.choices, "states": Meeting.State.choices,
        "type": mtype, "state": state, "year": year or "", "query": request.GET.urlencode(),
        "can_edit": has_capability(request.user, roles.EDIT_WORK),
    })


def _attendance_input(request, members) -> dict[int, tuple[str, str]]:
    out = {}
    for m in members:
        status = request.POST.get(f"att_{m.pk}", Attendance.Status.ABSENT)
        out[m.pk] = (status, request.POST.get(f"reason_{m.pk}", ""))
    return out


def _attendance_rows(request, members, existing=None):
    existing = existing or {}
    rows = []
    for m in members:
        status, reason = existing.get(m.pk, (Attendance.Status.PRESENT, ""))
        if request.method == "POST":
            status = request.POST.get(f"att_{m.pk}", status)
            reason = request.POST.get(f"reason_{m.pk}", reason)
        rows.append({"member": m, "status": status, "reason": reason})
    return rows


def _default_org(user, orgs: list[Org]) -> Org | None:
    """The org a meeting form opens on: the user's own branch (not their group) when in reach, else the only one."""
    return own_org(user, [o for o in orgs if o.kind != OrgKind.GROUP]) or own_org(user, orgs)


def _held_default() -> dt.datetime:
    """A held meeting's default time: today, on the hour (the form opens on this month)."""
    return timezone.localtime().replace(minute=0, second=0, microsecond=0)


def _expected_for(org: Org, form) -> tuple[Expected, str, dt.date]:
    """Who the form lists: the expectation for the type and date entered (or offered), so a
    committee meeting lists its committee and not the whole roll."""
    data = form.data if form.is_bound else {}
    mtype = data.get("meeting_type") or form["meeting_type"].initial
    if mtype not in MeetingType.values:
        mtype = form["meeting_type"].initial
    on = timezone.localdate()
    raw = data.get("starts_at")
    if raw:
        try:
            on = dt.date.fromisoformat(str(raw)[:10])
        except ValueError:
            pass
    return expected_attendees(org, mtype, on), mtype, on


def _expected_note(expected: Expected, on: dt.date, n: int) -> str:
    return {
        "committee": _("Expected: the %(n)d members of the committee on %(date)s."),
        "no_committee": _("No committee term is on record for %(date)s: all %(n)d members on the roll are listed. "
                          "Record the committee's term so that only its members are expected."),
        "group": _("Expected: the %(n)d members of the Party group."),
        "roll": _("Expected: the %(n)d members on the roll."),
    }[expected.basis] % {"n": n, "date": on.isoformat()}


@login_required
def meeting_new(request):
    require_capability(request.user, roles.EDIT_WORK)
    record = request.GET.get("mode") == "record"
    org_id = _int(request.GET.get("org"))
    if org_id is None:
        orgs = list(meeting_orgs(request.user))
        org = None if request.GET.get("choose") else _default_org(request.user, orgs)
        if org is None:
            return render(request, "meetings/choose_org.html", {"orgs": orgs, "record": record})
        choose_other = len(orgs) > 1
    else:
        org = get_scoped_or_404(
            Org.objects.filter(kind__in=MEETING_KINDS), request.user, roles.EDIT_WORK, path_field="path", pk=org_id
        )
        choose_other = meeting_orgs(request.user).exclude(pk=org.pk).exists()
    form_class = RecordForm if record else MeetingForm
    form = form_class(request.POST or (request.GET if request.GET.get("partial") else None), roster=roster(org),
                      org=org, initial={"starts_at": _held_default()} if record else {})
    expected = None
    if record:
        expected, _mtype, on = _expected_for(org, form)
        members = list(expected.members)
        if request.GET.get("partial") == "attendance":
            # The form asks again when the type or the date changes (htmx): only the attendance table.
            return render(request, "meetings/_attendance.html", {
                "rows": _attendance_rows(request, members), "statuses": Attendance.Status.choices, "org": org,
                "expected_note": _expected_note(expected, on, len(members))})
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("meeting_type", "starts_at", "place", "topic", "host", "lecturer")}
        data["org"] = org
        try:
            if record:
                meeting = services.meeting_record(
                    by=request.user, data=data, attendance=_attendance_input(request, members),
                    minutes=form.cleaned_data["minutes"],
                )
            else:
                meeting = services.meeting_plan(by=request.user, data=data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/form.html", {
        "form": form, "org": org, "record": record, "choose_other": choose_other,
        "rows": _attendance_rows(request, members) if record else None,
        "expected_note": _expected_note(expected, on, len(members)) if record else "",
        "statuses": Attendance.Status.choices,
    })


@login_required
def meeting_detail(request, pk: int):
    meeting = get_scoped_or_404(Meeting.objects.select_related("org", "host"), request.user, roles.VIEW_WORK, pk=pk)
    attendance = (
        Attendance.objects.filter(meeting=meeting).select_related("member").order_by("status", "member__name")
    )
    counts = {s: 0 for s in Attendance.Status.values}
    outside = 0
    for a in attendance:
        if a.expected:
            counts[a.status] += 1
        else:
            outside += 1
    can_edit = has_capability(request.user, roles.EDIT_WORK) and scoped(
        Meeting.objects.filter(pk=meeting.pk), request.user, roles.EDIT_WORK
    ).exists()
    return render(request, "meetings/detail.html", {
        "meeting": meeting, "attendance": attendance, "counts": counts, "outside": outside,
        "attachments": meeting.attachments.all(), "can_edit": can_edit,
        "attachment_form": AttachmentForm(),
        "cancel_form": CancelForm() if can_edit and meeting.state == Meeting.State.PLANNED else None,
        "can_correct": can_edit and meeting.state == Meeting.State.HELD
        and services.record_correctable(request.user, meeting),
        "corrections": meeting.corrections.select_related("by"),
        "correction_days": services.correction_days(),
        "related_work": related_work(meeting, user=request.user),
    })


def _meeting_for_edit(request, pk: int) -> Meeting:
    return get_scoped_or_404(Meeting.objects.select_related("org", "host"), request.user, roles.EDIT_WORK, pk=pk)


@login_required
def meeting_edit(request, pk: int):
    """Change a planned meeting's time, place, topic or host (with a reason)."""
    meeting = _meeting_for_edit(request, pk)
    if meeting.state != Meeting.State.PLANNED:
        return redirect("meetings:detail", meeting.pk)
    form = PlanEditForm(request.POST or None, roster=roster(meeting.org), org=meeting.org, initial={
        "starts_at": timezone.localtime(meeting.starts_at), "place": meeting.place, "topic": meeting.topic,
        "host": meeting.host_id, "lecturer": meeting.lecturer_id})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.meeting_update_plan(by=request.user, meeting=meeting, data=data, reason=reason)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The planned meeting was changed."))
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/edit.html", {"form": form, "meeting": meeting})


@login_required
@require_POST
def meeting_cancel(request, pk: int):
    meeting = _meeting_for_edit(request, pk)
    form = CancelForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get("reason") or _("Enter a reason."))
        services.meeting_cancel(by=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
    else:
        messages.success(request, _("The meeting was cancelled; it stays on record."))
    return redirect("meetings:detail", meeting.pk)


@login_required
def meeting_correct(request, pk: int):
    """Correct a held meeting's record: minutes, attendance, date (with a reason)."""
    meeting = _meeting_for_edit(request, pk)
    if meeting.state != Meeting.State.HELD:
        return redirect("meetings:detail", meeting.pk)
    existing = {a.member_id: (a.status, a.reason) for a in meeting.attendance.all()}
    members = (list(Member.objects.filter(pk__in=existing).select_related("org").order_by("name")) if existing
               else list(roster(meeting.org)))
    form = CorrectRecordForm(request.POST or None, initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_correct_record(
                by=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"],
                attendance=_attendance_input(request, members), reason=form.cleaned_data["reason"],
                starts_at=form.cleaned_data["starts_at"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting record was corrected; the earlier version is kept."))
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/correct.html", {
        "form": form, "meeting": meeting, "rows": _attendance_rows(request, members, existing),
        "statuses": Attendance.Status.choices, "correctable": services.record_correctable(request.user, meeting),
        "correction_days": services.correction_days(),
    })


@login_required
def meeting_hold(request, pk: int):
    meeting = get_scoped_or_404(Meeting.objects.select_related("org"), request.user, roles.EDIT_WORK, pk=pk)
    if meeting.state != Meeting.State.PLANNED:
        return redirect("meetings:detail", meeting.pk)
    expected = expected_attendees(meeting.org, meeting.meeting_type, timezone.localdate(meeting.starts_at))
    members = list(expected.members)
    form = MinutesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_hold(
                by=request.user, meeting=meeting, attendance=_attendance_input(request, members),
                minutes=form.cleaned_data["minutes"], starts_at=form.cleaned_data["starts_at"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting record was saved."))
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/hold.html", {
        "form": form, "meeting": meeting, "rows": _attendance_rows(request, members), "org": meeting.org,
        "expected_note": _expected_note(expected, timezone.localdate(meeting.starts_at), len(members)),
        "statuses": Attendance.Status.choices,
    })


@login_required
@require_POST
def attachment_upload(request, pk: int):
    meeting = get_scoped_or_404(Meeting.objects.select_related("org"), request.user, roles.EDIT_WORK, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(by=request.user, meeting=meeting, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            apply_errors(form, exc)
    if form.errors:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    else:
        messages.success(request, _("The attachment was uploaded."))
    return redirect("meetings:detail", meeting.pk)


@login_required
def attachment_download(request, pk: int):
    attachment = get_scoped_or_404(
        Attachment.objects.select_related("meeting__org"), request.user, roles.VIEW_WORK,
        path_field="meeting__org__path", pk=pk,
    )
    response = FileResponse(
        attachment.file.open("rb"), content_type=attachment.content_type,
        as_attachment=attachment.content_type == "application/pdf", filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- compliance


@login_required
def compliance_view(request):
    require_capability(request.user, roles.VIEW_WORK)
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year)
    org = _filter_org(request)
    orgs = visible_orgs(request.user, roles.VIEW_WORK)
    if org is not None:
        orgs = orgs.filter(path__subtree=org.path)
    # Dates of held meetings only for one organisation's detail; the list needs held or not.
    rows = compliance(orgs, year, today, with_days=org is not None)
    if request.GET.get("export") == "xlsx":
        data = (
            (oc.org.name, t.label, t.every_label, t.required, t.held, t.due, t.overdue)
            for oc in rows for t in oc.types
        )
        headers = [_("Organisation"), _("Meeting type"), _("Every (months)"), _("Due so far"), _("Held"), _("Open"), _("Overdue")]
        return _export(request, what=_("Meeting compliance"), filename="meeting-compliance", headers=headers,
                       rows=data, org=org, filters={"year": year})
    detail = rows[0] if org is not None and len(rows) == 1 else None
    return render(request, "meetings/compliance.html", {
        "rows": Paginator(rows, 100).get_page(request.GET.get("page")), "year": year, "org": org, "detail": detail, "years": range(today.year, today.year - 5, -1),
        "query": request.GET.urlencode(),
    })


@login_required
def calendar_view(request):
    require_capability(request.user, roles.VIEW_WORK)
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year)
    month = _int(request.GET.get("month"), today.month)
    if not (1 <= month <= 12 and 1900 < year < 3000):
        raise Http404
    qs = meetings_for(request.user)
    org = _filter_org(request)
    if org is not None:
        qs = qs.filter(org__path__subtree=org.path)
    by_day = month_meetings(qs, year, month)
    weeks = [[(d, by_day.get(d, [])) if d else (None, []) for d in week] for week in month_grid(year, month)]
    first = dt.date(year, month, 1)
    prev = (first - dt.timedelta(days=1)).replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return render(request, "meetings/calendar.html", {
        "weeks": weeks, "first": first, "prev": prev, "next": nxt, "today": today, "org": org,
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
    })


# ------------------------------------------------------- organisational life


@login_required
def life_view(request):
    require_capability(request.user, roles.VIEW_WORK)
    org = _filter_org(request)
    rows = life_warnings(request.user, org=org)
    if request.GET.get("export") == "xlsx":
        data = ((w.member.org.name, w.member.name, w.last_on, w.since, w.months, _level_label(w.level)) for w in rows)
        headers = [_("Organisation"), pgettext("person", "Name"), _("Last organisational life"), _("Counting from"),
                   pgettext("meetings", "Months"), _("Warning")]
        return _export(request, what=_("Organisational life warnings"), filename="life-warnings",
                       headers=headers, rows=data, org=org)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "meetings/life.html", {
        "page": page, "rows": [(w, _level_label(w.level)) for w in page], "org": org, "rule": LifeRule.current(),
        "query": request.GET.urlencode(),
    })


def _level_label(level: str) -> str:
    return {
        "first": _("first warning"), "second": _("second warning"), "limit": _("six-month rule reached"),
    }.get(level, "")


@login_required
def member_history(request, pk: int):
    member = get_scoped_or_404(Member.objects.select_related("org"), request.user, roles.VIEW_WORK, pk=pk)
    status = life_status(member)
    return render(request, "meetings/member.html", {
        "member": member, "status": status, "level": _level_label(status.level),
        "history": participation(member)[:200],
        "appraisals": Appraisal.objects.filter(member=member).order_by("-year"),
    })


# ------------------------------------------------------------------ appraisal


@login_required
def appraisal_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    qs = appraisals_for(request.user)
    org = _filter_org(request)
    if org is not None:
        qs = qs.filter(org__path__subtree=org.path)
    year = _int(request.GET.get("year"))
    if year:
        qs = qs.filter(year=year)
    outcome = request.GET.get("outcome", "")
    if outcome in Outcome.values:
        qs = qs.filter(outcome=outcome)
    if request.GET.get("export") == "xlsx":
        data = ((a.year, a.org.name, a.member.name, a.get_outcome_display(), a.reason) for a in qs.iterator(chunk_size=2000))
        headers = [_("Year"), _("Organisation"), pgettext("person", "Name"), _("Outcome"), _("Reason")]
        return _export(request, what=_("Democratic appraisal"), filename="appraisals", headers=headers, rows=data,
                       org=org, filters={"year": year, "outcome": outcome})
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "meetings/appraisals.html", {
        "page": page, "org": org, "year": year or "", "outcome": outcome, "outcomes": Outcome.choices,
        "query": request.GET.urlencode(), "can_edit": has_capability(request.user, roles.EDIT_WORK),
    })


@login_required
def appraisal_new(request):
    require_capability(request.user, roles.EDIT_WORK)
    members = scoped(
        Member.objects.filter(status=Status.ACTIVE).select_related("org"), request.user, roles.EDIT_WORK
    ).order_by("org__path", "name")
    org = _filter_org(request, roles.EDIT_WORK)
    if org is not None:
        members = members.filter(org__path__subtree=org.path)
    form = AppraisalForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            services.appraisal_record(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The appraisal was recorded."))
            return redirect(f"{request.path}?{request.GET.urlencode()}")
    return render(request, "meetings/appraisal_form.html", {"form": form, "org": org})


# --------------------------------------------------------------------- rules


@login_required
def rules_view(request):
    require_superuser(request.user)
    rules = list(MeetingRule.objects.all())
    life = LifeRule.current()
    life_form = LifeRuleForm(
        request.POST if request.POST.get("form") == "life" else None,
        initial={f: getattr(life, f) for f in ("first_warning_months", "second_warning_months", "limit_months")},
    )
    error_rule = None
    if request.method == "POST":
        try:
            if request.POST.get("form") == "life":
                if life_form.is_valid():
                    services.life_rule_update(by=request.user, **life_form.cleaned_data)
                    messages.success(request, _("The rule was saved."))
                    return redirect("meetings:rules")
            else:
                rule = next((r for r in rules if r.pk == _int(request.POST.get("rule"))), None)
                form = RuleForm(request.POST)
                if rule is None:
                    raise Http404
                if form.is_valid():
                    services.meeting_rule_update(by=request.user, rule=rule, every_months=form.cleaned_data["every_months"])
                    messages.success(request, _("The rule was saved."))
                    return redirect("meetings:rules")
                error_rule = rule.pk
                messages.error(request, _("Choose a valid frequency."))
        except ValidationError as exc:
            apply_errors(life_form, exc)
    defaults = {f: LifeRule._meta.get_field(f).default for f in ("first_warning_months", "second_warning_months", "limit_months")}
    return render(request, "meetings/rules.html", {
        "rules": rules, "life_form": life_form, "defaults": defaults, "error_rule": error_rule,
        "frequencies": MeetingRule._meta.get_field("every_months").choices,
    })


@login_required
def talks_view(request):
    """The secretaries' 党课 and talks of a year (ARTICLES["secretary.duties"]), and a talk's record."""
    require_capability(request.user, roles.VIEW_WORK)
    today = timezone.localdate()
    year = _int(request.GET.get("year")) or today.year
    orgs = visible_orgs(request.user, roles.VIEW_WORK).filter(is_active=True).exclude(kind=OrgKind.GROUP)
    duties = selectors.secretary_duties(orgs, year)
    org = None
    form = None
    org_id = _int(request.GET.get("org"))
    if org_id is not None:
        org = get_scoped_or_404(Org.objects.all(), request.user, roles.EDIT_WORK, path_field="path", pk=org_id)
        form = TalkForm(request.POST or None, org=org, roster=roster(org))
        if submitted(request, form, lambda **data: services.talk_record(by=request.user, org=org, **data)):
            messages.success(request, _("The talk was recorded."))
            return redirect(f"{reverse('meetings:talks')}?year={year}&org={org.pk}")
    elif request.method == "POST":
        raise Http404
    talks = selectors.talks_for(request.user).filter(held_on__year=year)
    if org is not None:
        talks = talks.filter(org=org)
    return render(request, "meetings/talks.html", {
        "year": year, "duties": duties, "org": org, "form": form, "talks": talks[:200],
        "write_orgs": visible_orgs(request.user, roles.EDIT_WORK).filter(is_active=True).exclude(kind=OrgKind.GROUP)
        .order_by("path")[:300],
        "article": ARTICLES["secretary.duties"],
    })


# ------------------------------------ 不合格党员 follow-up (ARTICLES["member.unqualified"])

STATE_LABELS = {
    "undecided": (gettext_lazy("no decision yet"), "bad"),
    "correcting": (gettext_lazy("correcting within the deadline"), "warn"),
    "overdue": (gettext_lazy("deadline passed: review due"), "bad"),
    "persuading": (gettext_lazy("persuaded to leave the Party"), "warn"),
    "removing": (gettext_lazy("removal awaits the superior's approval"), "warn"),
    "corrected": (pgettext_lazy("unqualified", "corrected"), "ok"),
    "not_corrected": (gettext_lazy("not corrected"), "bad"),
    "ended": (gettext_lazy("membership ended"), "muted"),
}


@login_required
def unqualified_list(request):
    """Members appraised 不合格 in the branches in scope, with where their follow-up stands."""
    require_capability(request.user, roles.VIEW_WORK)
    org = _filter_org(request)
    year = _int(request.GET.get("year"))
    qs = selectors.unqualified_for(request.user, org=org, year=year)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(u, *STATE_LABELS[u.state]) for u in selectors.unqualified_rows(page.object_list)]
    return render(request, "meetings/unqualified.html", {
        "page": page, "rows": rows, "org": org, "year": year or "", "query": request.GET.urlencode(),
        "article": ARTICLES["member.unqualified"],
    })


@login_required
def unqualified_followup(request, pk: int):
    """One unqualified member's follow-up: the steps so far and the form for the next one."""
    appraisal = get_scoped_or_404(selectors.unqualified_for(request.user), request.user, roles.VIEW_WORK, pk=pk)
    can_edit = org_in_scope(request.user, roles.EDIT_WORK, appraisal.org)
    if request.method == "POST" and not can_edit:
        raise Http404
    # Two forms on the page (the branch's step, the superior's approval): their own element ids.
    ending = request.method == "POST" and request.POST.get("action") == "end"
    form = FollowUpForm(request.POST if request.method == "POST" and not ending else None)
    end_form = FollowUpForm(request.POST if ending else None, auto_id="end_%s")
    bound = end_form if ending else form
    if request.method == "POST" and bound.is_valid():
        try:
            services.followup_step(by=request.user, appraisal=appraisal, **bound.cleaned_data)
        except ValidationError as exc:
            apply_errors(bound, exc)
        else:
            messages.success(request, _("The follow-up was recorded."))
            return redirect("meetings:unqualified_followup", pk=appraisal.pk)
    row = selectors.unqualified_rows([appraisal])[0]
    open_step = row.open
    # The superior approves 退党 and 除名 (orgs.services.membership_end): offered to whom may record it.
    can_end = can_edit and open_step is not None and open_step.measure in ("persuade", "remove") and is_superior(
        request.user, appraisal.member.org, roles.ASSESS)
    return render(request, "meetings/unqualified_followup.html", {
        "a": appraisal, "row": row, "open": open_step, "state": STATE_LABELS[row.state], "form": form, "end_form": end_form,
        "can_edit": can_edit and appraisal.member.status == Status.ACTIVE, "can_end": can_end,
        "today": timezone.localdate(), "article": ARTICLES["member.unqualified"],
    })


# ---------------------------------------- lapsed members (党章第九条, ARTICLES["member.lapsed"])


@login_required
def lapsed_view(request):
    """Members who meet a condition of 自行脱党, which ones and since when; a good reason to record, 除名 to start."""
    require_capability(request.user, roles.VIEW_WORK)
    org = _filter_org(request)
    found = lapse.lapsed_for(request.user, org=org)
    page = Paginator(found, 100).get_page(request.GET.get("page"))
    labels = dict(LAPSE_LABELS)
    rows = []
    for f in page:
        rows.append({
            "lapse": f, "conditions": [(labels[c], f.since.get(c)) for c in f.conditions],
            "can_excuse": org_in_scope(request.user, roles.EDIT_WORK, f.member.org),
            "can_remove": org_in_scope(request.user, roles.EDIT_ROSTER, f.member.org)
            and is_superior(request.user, f.member.org, roles.ASSESS),
        })
    return render(request, "meetings/lapsed.html", {
        "page": page, "rows": rows, "org": org, "query": request.GET.urlencode(),
        "article": ARTICLES["member.lapsed"], "removal_reason": _("Regarded as having left the Party (Party "
                                                                  "Constitution, article 9)"),
    })


LAPSE_LABELS = (
    (lapse.LIFE, gettext_lazy("no organisational life")),
    (lapse.DUES, gettext_lazy("no dues paid")),
    (lapse.WORK, gettext_lazy("assigned work not done")),
)


@login_required
def good_reason_new(request, pk: int):
    """Record a good reason (正当理由) for a member's absence over a period."""
    member = get_scoped_or_404(Member.objects.select_related("org"), request.user, roles.EDIT_WORK, pk=pk)
    form = GoodReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.good_reason_record(by=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The good reason was recorded."))
            return redirect("meetings:lapsed")
    return render(request, "meetings/good_reason_form.html", {
        "form": form, "member": member, "article": ARTICLES["member.lapsed"],
        "reasons": GoodReason.objects.filter(member=member).select_related("recorded_by"),
    })
