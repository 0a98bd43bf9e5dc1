import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts import roles
from dangjian.appeals import classifier, guard, selectors, services, workflow
from dangjian.appeals.forms import (
    AcceptForm,
    CallbackForm,
    CategoriseForm,
    CategoryForm,
    ConfigForm,
    CorrectForm,
    FinishForm,
    NoteForm,
    PeriodForm,
    PublicAppealForm,
    RateForm,
    StaffAppealForm,
    StepForm,
    TrackForm,
    yes_no,
)
from dangjian.appeals.models import (
    Appeal,
    AppealCategory,
    AppealConfig,
    AssigneeKind,
    Channel,
    ClassifierRun,
    State,
)
from dangjian.appeals.routing import candidate_grids
from dangjian.core import crypto
from dangjian.core.dates import day_bounds
from dangjian.core.forms import apply_errors
from dangjian.core.http import require_capability, require_superuser
from dangjian.core.middleware import current_client_ip
from dangjian.core.scoping import is_superior, org_in_scope, visible_orgs
from dangjian.grids.models import Grid
from dangjian.grids.selectors import grids_for, households_for
from dangjian.orgs.models import Org

# --- Public pages: no login -------------------------------------------------


TRACKED = "appeals_tracked_code"


def _fresh_public_form(data=None):
    question, token = guard.new_challenge()
    form = PublicAppealForm(data, initial={"token": token})
    return form, question, token


def submit(request):
    if request.method == "POST":
        form = PublicAppealForm(request.POST)
        form.is_valid()
        data = form.cleaned_data
        with transaction.atomic():
            challenge, errors = guard.check_form(request.POST)
            if not errors and challenge.appeal_id:
                # The same form sent twice (a double tap, a retry): its appeal, once.
                return _received(request, challenge.appeal)
            limited = not errors and guard.over_limit("submit", current_client_ip())
            if limited:
                errors = {"__all__": _("Too many submissions: try again later or call the community service line")}
            if not errors:
                try:
                    appeal, _created = services.appeal_submit(
                        channel=Channel.WEB, text=data.get("text", ""), org=data.get("org"),
                        address=data.get("address", ""), resident_name=data.get("resident_name", ""),
                        phone=data.get("phone", ""), category=data.get("category") or None,
                    )
                    guard.challenge_brought_in(challenge, appeal)
                    return _received(request, appeal)
                except ValidationError as exc:
                    apply_errors(form, exc)
            else:
                apply_errors(form, ValidationError(errors))
        # Re-render with a new question; keep what the resident typed.
        question, token = guard.new_challenge()
        form.data = form.data.copy()
        form.data["token"], form.data["answer"] = token, ""
        status = 429 if limited else 400
        return render(request, "appeals/submit.html", {"form": form, "question": question}, status=status)
    form, question, _token = _fresh_public_form()
    return render(request, "appeals/submit.html", {"form": form, "question": question})


def _show_tracked(request, code: str):
    """Back to the tracking page, the code kept in the tracking cookie (never in a URL, nor an access log)."""
    return _remember_code(redirect(reverse("appeals:track")), code)


def _remember_code(response, code: str):
    """The code in a cookie of its own, encrypted (AES-GCM, core.crypto) and signed with an age, so a
    resident needs no server-side session: no session row is read or written for them (issue 18)."""
    response.set_signed_cookie(TRACKED, crypto.encrypt(code), salt=TRACKED, max_age=settings.SESSION_COOKIE_AGE,
                               path="/appeals/", secure=settings.SESSION_COOKIE_SECURE, httponly=True,
                               samesite="Lax")
    return response


def _received(request, appeal):
    """The answer to a submission that brought in an appeal (or to the same form sent again): the
    confirmation itself, with the tracking code shown once, and the code kept in the tracking cookie.

    No redirect to the tracking page (issue 18, appeals intake): that second request cost as much again
    as the submission. The URL stays /appeals/submit/ (no code in it); reloading sends the same one-time
    form again, which shows the same appeal and stores nothing (guard.check_form)."""
    context = {"code": appeal.tracking_code, "received_at": appeal.received_at,
               "state_label": appeal.get_state_display()}
    response = render(request, "appeals/received.html", context)
    add_never_cache_headers(response)  # a page with the resident's code: kept by no cache
    return _remember_code(response, appeal.tracking_code)


def _tracked_code(request) -> str:
    """The code this browser last submitted or looked up, or "" (no cookie, tampered, expired)."""
    token = request.get_signed_cookie(TRACKED, default="", salt=TRACKED, max_age=settings.SESSION_COOKIE_AGE)
    try:
        return crypto.decrypt(token) if token else ""
    except Exception:  # a cookie from before a key rotation, or garbage: as if none
        return ""


def _limited(request):
    """Over the limit: the answer names no appeal, whatever the code."""
    return render(request, "appeals/track.html", {"form": TrackForm(), "limit_error": _("Too many lookups: try again later")},
                  status=429)


def _track_page(request, appeal, *, form=None, status=200, **forms):
    context = {"form": form or TrackForm()}
    if appeal is not None:
        context["appeal"] = selectors.public_view(appeal)
        context["rate_form"] = forms.get("rate_form") or RateForm(initial={"code": appeal.tracking_code})
        context["note_form"] = forms.get("note_form") or NoteForm(initial={"code": appeal.tracking_code})
    else:
        context.update(forms)
    return render(request, "appeals/track.html", context, status=status)


def track(request):
    """Look up by tracking code: the code comes in a POST body, never in the query string."""
    if request.method == "POST":
        if guard.tracking_over_limit(current_client_ip()):
            return _limited(request)
        form = TrackForm(request.POST)
        code = services.normalise_code(request.POST.get("code", ""))
        appeal = Appeal.objects.filter(tracking_code=code).first() if code else None
        if appeal is None:
            form.add_error("code", _("No appeal has this tracking code: check it and enter it again"))
            return _track_page(request, None, form=form, status=404)
        return _show_tracked(request, appeal.tracking_code)
    code = _tracked_code(request)
    appeal = Appeal.objects.filter(tracking_code=code).first() if code else None
    return _track_page(request, appeal)


@require_POST
def add_note(request):
    """A resident's follow-up note by tracking code (one a day; the appeal itself never changes)."""
    if guard.tracking_over_limit(current_client_ip()):
        return _limited(request)
    form = NoteForm(request.POST)
    code = services.normalise_code(request.POST.get("code", ""))
    if form.is_valid():
        try:
            services.appeal_add_note(tracking_code=code, text=form.cleaned_data["text"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _show_tracked(request, code)
    return _track_page(request, Appeal.objects.filter(tracking_code=code).first(), status=400, note_form=form)


@require_POST
def rate(request):
    if guard.tracking_over_limit(current_client_ip()):
        return _limited(request)
    form = RateForm(request.POST)
    form.is_valid()
    code = services.normalise_code(form.cleaned_data.get("code", ""))
    try:
        services.appeal_rate(tracking_code=code, rating=form.cleaned_data.get("rating", ""),
                             comment=form.cleaned_data.get("comment", ""),
                             resolved=yes_no(form.cleaned_data.get("resolved", "")))
    except ValidationError as exc:
        apply_errors(form, exc)
        return _track_page(request, Appeal.objects.filter(tracking_code=code).first(), status=400, rate_form=form)
    return _show_tracked(request, code)


# --- Staff pages -------------------------------------------------------------


@login_required
def appeal_list(request):
    require_capability(request.user, roles.VIEW_WORK, through=("grid",))
    appeals = selectors.appeals_for(request.user).annotate(callers=Count("duplicates")).order_by("-received_at", "-id")
    state = request.GET.get("state", "")
    if state in State.values:
        appeals = appeals.filter(state=state)
    if request.GET.get("open"):
        appeals = appeals.filter(state__in=selectors.open_states())
    if request.GET.get("overdue"):
        appeals = appeals.filter(selectors.overdue_q(timezone.now()))
    if request.GET.get("grid", "").isdigit():
        appeals = appeals.filter(grid_id=int(request.GET["grid"]))
    names = selectors.category_names()
    category = request.GET.get("category", "")
    if category in names:
        # A first-level category takes its second level along.
        codes = [category, *AppealCategory.objects.filter(parent__code=category).values_list("code", flat=True)]
        appeals = appeals.filter(category__in=codes)
    page = Paginator(appeals, 50).get_page(request.GET.get("page"))
    for a in page:
        a.suggested_label = names.get(a.suggested_category, a.suggested_category)
    return render(request, "appeals/list.html", {
        "page": page, "states": State.choices, "categories": list(names.items()), "now": timezone.now(),
        "query": request.GET.urlencode(),
    })


def _entry_orgs(user):
    # Orgs the user may take appeals for: their EDIT_WORK scope, plus their grids' communities.
    grid_orgs = grids_for(user, roles.EDIT_WORK).values("org")
    return (visible_orgs(user, roles.EDIT_WORK) | Org.objects.filter(pk__in=grid_orgs)).distinct().order_by("path")


@login_required
def appeal_new(request):
    orgs = _entry_orgs(request.user)
    if not orgs.exists():
        raise Http404
    # Households the user may link a case to, the grid's first (a long list is a select of 500 at most).
    households = households_for(request.user, roles.EDIT_WORK).order_by("grid__name", "address")
    form = StaffAppealForm(request.POST or None, orgs=orgs, households=households)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            appeal, _created = services.appeal_submit(
                channel=d["channel"], text=d["text"], org=d["org"], address=d["address"],
                resident_name=d["resident_name"], phone=d["phone"], category=d["category"] or None,
                is_complex=d["is_complex"], by=request.user, household=d["household"],
            )
            if not selectors.appeals_for(request.user).filter(pk=appeal.pk).exists():
                # Routed to a grid this grid worker is not posted to: it is in good hands, not theirs.
                messages.success(request, _("Appeal %(code)s recorded and routed to %(grid)s.") % {
                    "code": appeal.tracking_code, "grid": appeal.grid})
                return redirect("appeals:list")
            return redirect("appeals:detail", pk=appeal.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
    form.fields["household"].queryset = households[:500]
    return render(request, "appeals/new.html", {"form": form}, status=400 if form.errors else 200)


def _accept_initial(appeal, category: AppealCategory | None) -> dict:
    """The accept form as the case suggests it: the suggested category, the routed grid (or the
    category's usual handling unit when no grid matched)."""
    unit = ""
    if category is not None:
        unit = category.default_unit or (category.parent.default_unit if category.parent_id else "")
    kind = AssigneeKind.GRID if appeal.grid_id else (AssigneeKind.DEPARTMENT if unit else "")
    return {"category": category.code if category else "", "grid": appeal.grid_id, "assignee_kind": kind,
            "assignee_name": unit, "is_complex": appeal.is_complex}


def _detail_context(request, appeal, *, step_form=None, cat_form=None, correct_form=None, accept_form=None,
                    finish_form=None, callback_form=None, decline_errors=None, merge_errors=None,
                    household_errors=None):
    grids = candidate_grids(appeal.org).order_by("code")
    can_edit = Appeal.objects.filter(
        services.appeals_in_scope_q(request.user, roles.EDIT_WORK), pk=appeal.pk
    ).exists()
    current = appeal.category or appeal.suggested_category
    suggested = AppealCategory.objects.select_related("parent").filter(code=current).first()
    steps = workflow.next_steps(appeal.state) if can_edit else []
    # Accepting is one form (with the category and the assignment); resolving is one (with starting).
    combined = {workflow.Step.ACCEPT, workflow.Step.START, workflow.Step.RESOLVE}
    return {
        "appeal": appeal,
        "events": appeal.events.select_related("by"),
        "candidates": (selectors.duplicate_candidates(request.user, appeal)
                       if can_edit and appeal.state in selectors.open_states() and not appeal.merged_into_id else []),
        "merged": list(appeal.duplicates.order_by("received_at").values_list("pk", "tracking_code", "received_at")),
        "merge_errors": merge_errors or [],
        "grid_staff": list(appeal.grid.staff.select_related("user")) if appeal.grid_id else [],
        "households": (_households(request.user, appeal) if can_edit and appeal.state in services.CORRECTABLE_STATES
                       else None),
        "household_errors": household_errors or [],
        "suggested": suggested,
        "suggested_name": selectors.category_names().get(appeal.suggested_category, ""),
        # Merging has its own card (the candidates), not a button among the steps.
        "steps": [workflow.Step(s) for s in steps if s not in combined and s != workflow.Step.MERGE],
        "can_accept": workflow.Step.ACCEPT in steps,
        "can_finish": workflow.Step.RESOLVE in steps or workflow.Step.START in steps,
        "accept_form": accept_form or AcceptForm(grids=grids, current=current,
                                                 initial=_accept_initial(appeal, suggested)),
        "finish_form": finish_form or FinishForm(),
        "step_form": step_form or StepForm(grids=grids),
        "cat_form": cat_form or CategoriseForm(grids=grids, current=current, initial={
            "category": current, "grid": appeal.grid_id}),
        "correct_form": correct_form or CorrectForm(grids=grids, current=current, initial={
            "category": current, "grid": appeal.grid_id, "address": appeal.address}),
        "can_correct": can_edit and appeal.state in services.CORRECTABLE_STATES,
        "can_edit": can_edit,
        "can_reveal": org_in_scope(request.user, roles.REVEAL, appeal.org),
        "can_callback": can_edit and appeal.state == State.RESOLVED and not services.handled_by(request.user, appeal),
        "callback_form": callback_form or CallbackForm(),
        "can_summon": appeal.state in selectors.open_states() and is_superior(request.user, appeal.org, roles.EDIT_WORK),
        "can_approve_decline": (appeal.state == State.REJECTED and appeal.decline_approved_at is None
                                and is_superior(request.user, appeal.org, roles.EDIT_WORK)),
        "decline_errors": decline_errors or [],
        "accept_overdue": appeal.accept_overdue(timezone.now()),
        "resolve_overdue": appeal.resolve_overdue(timezone.now()),
    }


def _done(appeal):
    return redirect("appeals:detail", pk=appeal.pk)


@login_required
def appeal_detail(request, pk):
    appeal = selectors.appeal_by_id(request.user, pk)
    return render(request, "appeals/detail.html", _detail_context(request, appeal))


def _act(request, appeal, form, slot: str, call):
    """One POST action on a case: the service, then back to the case; a refusal shows the case with the
    form's errors (400) and writes nothing."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
            return _done(appeal)
        except Appeal.DoesNotExist as exc:
            raise Http404 from exc
        except ValidationError as exc:
            apply_errors(form, exc)
    appeal.refresh_from_db()
    return render(request, "appeals/detail.html", _detail_context(request, appeal, **{slot: form}), status=400)


@login_required
@require_POST
def appeal_accept(request, pk):
    """受理 + category confirmed or corrected + 交办, one submission."""
    appeal = selectors.appeal_by_id(request.user, pk)
    grids = candidate_grids(appeal.org).order_by("code")
    form = AcceptForm(request.POST, grids=grids, current=appeal.category or appeal.suggested_category)
    return _act(request, appeal, form, "accept_form", lambda d: services.appeal_accept(
        by=request.user, appeal=appeal, category=d["category"], is_complex=d["is_complex"],
        assignee_kind=d["assignee_kind"], grid=d["grid"], assignee_name=d["assignee_name"]))


@login_required
@require_POST
def appeal_finish(request, pk):
    """办结 (starting it first if need be), one submission."""
    appeal = selectors.appeal_by_id(request.user, pk)
    return _act(request, appeal, FinishForm(request.POST), "finish_form", lambda d: services.appeal_finish(
        by=request.user, appeal=appeal, resolution=d["resolution"]))


@login_required
@require_POST
def appeal_step(request, pk):
    appeal = selectors.appeal_by_id(request.user, pk)
    form = StepForm(request.POST, grids=candidate_grids(appeal.org).order_by("code"))
    return _act(request, appeal, form, "step_form", lambda d: services.appeal_transition(
        appeal=appeal, step=d["step"], by=request.user, data=form.step_data()))


@login_required
@require_POST
def appeal_categorise(request, pk):
    appeal = selectors.appeal_by_id(request.user, pk)
    form = CategoriseForm(request.POST, grids=candidate_grids(appeal.org).order_by("code"), current=appeal.category)
    return _act(request, appeal, form, "cat_form", lambda d: services.appeal_categorise(
        by=request.user, appeal=appeal, category=d["category"], grid=d["grid"]))


@login_required
@require_POST
def appeal_correct(request, pk):
    appeal = selectors.appeal_by_id(request.user, pk)
    form = CorrectForm(request.POST, grids=candidate_grids(appeal.org).order_by("code"), current=appeal.category)
    return _act(request, appeal, form, "correct_form", lambda d: services.appeal_correct(
        by=request.user, appeal=appeal, reason=d["reason"], category=d["category"], grid=d["grid"],
        address=d["address"]))


@login_required
@require_POST
def appeal_callback(request, pk):
    """回访 recorded by whoever called the resident back (the service refuses the handling unit)."""
    appeal = selectors.appeal_by_id(request.user, pk)
    form = CallbackForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.appeal_callback(by=request.user, appeal=appeal, resolved=yes_no(d["resolved"]),
                                     rating=d["rating"], note=d["note"])
            return redirect("appeals:detail", pk=appeal.pk)
        except Appeal.DoesNotExist as exc:
            raise Http404 from exc
        except ValidationError as exc:
            apply_errors(form, exc)
    appeal.refresh_from_db()
    return render(request, "appeals/detail.html", _detail_context(request, appeal, callback_form=form), status=400)


@login_required
@require_POST
def appeal_approve_decline(request, pk):
    """The superior approves a decline: only then does the appeal leave the rates' denominators."""
    appeal = selectors.appeal_by_id(request.user, pk)
    try:
        services.appeal_decline_approve(by=request.user, appeal=appeal)
    except Appeal.DoesNotExist as exc:
        raise Http404 from exc
    except ValidationError as exc:
        return render(request, "appeals/detail.html", _detail_context(
            request, appeal, decline_errors=[m for ms in exc.message_dict.values() for m in ms]), status=400)
    next_url = request.POST.get("next", "")
    if next_url == "declines":
        return redirect("appeals:declines")
    return redirect("appeals:detail", pk=appeal.pk)


@login_required
def declines(request):
    """Declined appeals in scope: those awaiting the superior's approval first, with the counts of both kinds."""
    require_capability(request.user, roles.VIEW_WORK, through=("grid",))
    declined = selectors.appeals_for(request.user).filter(state=State.REJECTED)
    pending = request.GET.get("all") != "1"
    rows = declined.filter(decline_approved_at__isnull=True) if pending else declined
    page = Paginator(rows.select_related("decline_approved_by").prefetch_related("events").order_by("-closed_at", "-id"), 50).get_page(
        request.GET.get("page"))
    for a in page:
        a.can_approve = a.decline_approved_at is None and is_superior(request.user, a.org, roles.EDIT_WORK)
        a.reason = next((e.note for e in a.events.all() if e.step == workflow.Step.REJECT), "")
    return render(request, "appeals/declines.html", {
        "page": page, "pending_only": pending,
        "counts": {"pending": declined.filter(decline_approved_at__isnull=True).count(),
                   "approved": declined.filter(decline_approved_at__isnull=False).count()},
    })


def _households(user, appeal):
    """Households the case may come from: the appeal's grid's, else the community's (as the user sees them)."""
    qs = households_for(user).filter(grid__org=appeal.org)
    if appeal.grid_id:
        qs = qs.filter(grid=appeal.grid)
    return qs.order_by("address")[:300]


@login_required
@require_POST
def appeal_household(request, pk):
    """People behind a case: link it to the household it came from (and so to its 联户 member and grid)."""
    appeal = selectors.appeal_by_id(request.user, pk, roles.EDIT_WORK)
    chosen = request.POST.get("household", "")
    household = (households_for(request.user, roles.EDIT_WORK).filter(pk=int(chosen)).first()
                 if chosen.isdigit() else None)
    try:
        services.appeal_link_household(by=request.user, appeal=appeal, household=household)
    except Appeal.DoesNotExist as exc:
        raise Http404 from exc
    except ValidationError as exc:
        return _refused_on_detail(request, appeal, exc, "household_errors")
    return redirect("appeals:detail", pk=appeal.pk)


def _refused_on_detail(request, appeal, exc: ValidationError, errors_key: str):
    """A service's refusal shown on the case page beside the form that asked (400), with the case as stored."""
    appeal.refresh_from_db()
    messages_ = [m for ms in exc.message_dict.values() for m in ms]
    return render(request, "appeals/detail.html", _detail_context(request, appeal, **{errors_key: messages_}), status=400)


@login_required
@require_POST
def appeal_merge(request, pk):
    """Merge this appeal into the case of the same problem (POST into=<that case's id>)."""
    appeal = selectors.appeal_by_id(request.user, pk, roles.EDIT_WORK)
    into_id = request.POST.get("into", "")
    into = (selectors.appeals_for(request.user, roles.EDIT_WORK).filter(pk=int(into_id)).first()
            if into_id.isdigit() else None)
    try:
        if into is None:
            raise ValidationError({"into": _("Choose the case this appeal duplicates")})
        services.appeal_merge(by=request.user, appeal=appeal, into=into)
    except Appeal.DoesNotExist as exc:
        raise Http404 from exc
    except ValidationError as exc:
        return _refused_on_detail(request, appeal, exc, "merge_errors")
    return redirect("appeals:detail", pk=into.pk)


@login_required
@require_POST
def appeal_reveal(request, pk, field):
    appeal = selectors.appeal_by_id(request.user, pk)
    if field not in ("phone", "resident_name"):
        raise Http404
    try:
        value = services.appeal_reveal(by=request.user, appeal=appeal, field=field)
    except Appeal.DoesNotExist as exc:
        raise Http404 from exc
    return HttpResponse(f'<span class="sensitive">{escape(value)}</span>')


def _period(request) -> tuple[dt.date, dt.date, PeriodForm]:
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start = today.replace(day=1) - dt.timedelta(days=365)
    start = start.replace(day=1)
    end = today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    if end < start:
        start, end = end, start
    return start, end, form


@login_required
def metrics(request):
    start, end, form = _period(request)
    lo, hi = day_bounds(start, end)
    appeals = selectors.appeals_for(request.user).filter(received_at__gte=lo, received_at__lt=hi)
    total = selectors.appeal_rates(appeals)
    grid_names = dict(Grid.objects.values_list("pk", "name"))
    org_names = dict(Org.objects.filter(pk__in=appeals.values("org")).values_list("pk", "name"))
    no_grid = _("(no grid)")
    by_grid = [(grid_names.get(pk, no_grid), r) for pk, r in selectors.rates_by(appeals, "grid")]
    by_org = [(org_names.get(pk, ""), r) for pk, r in selectors.rates_by(appeals, "org")]
    by_grid.sort(key=lambda x: -(x[1].composite or 0))
    by_org.sort(key=lambda x: -(x[1].composite or 0))
    return render(request, "appeals/metrics.html", {
        "form": form, "start": start, "end": end, "total": total, "by_grid": by_grid, "by_org": by_org,
        "rankings": selectors.rankings([g for g in by_grid if g[0] != no_grid]),
        "weights": selectors.WEIGHTS,
    })


@login_required
def config(request):
    current = AppealConfig.current()
    form = ConfigForm(request.POST or None, instance=AppealConfig(**{
        f: getattr(current, f) for f in ("accept_hours", "resolve_days", "complex_days", "rating_days")}))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.appeal_config_update(by=request.user, **{f: form.cleaned_data[f] for f in form.Meta.fields})
                return redirect("appeals:config")
            except AppealConfig.DoesNotExist as exc:
                raise Http404 from exc
            except ValidationError as exc:
                apply_errors(form, exc)
        status = 400
    defaults = {f.name: f.default for f in AppealConfig._meta.fields if f.name in ConfigForm.Meta.fields}
    return render(request, "appeals/config.html", {"form": form, "current": current, "defaults": defaults}, status=status)


# --- Taxonomy and the classifier (the superuser) ------------------------------------------


def _category_services_call(form, call):
    try:
        call()
        return True
    except AppealCategory.DoesNotExist as exc:
        raise Http404 from exc
    except ValidationError as exc:
        apply_errors(form, exc)
        return False


@login_required
def categories(request):
    """The taxonomy: every category with its history; a new one added below."""
    require_superuser(request.user)
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _category_services_call(form, lambda: services.category_create(
                by=request.user, code=d["code"], name=d["name"], parent=d["parent"],
                default_unit=d["default_unit"], accept_hours=d["accept_hours"], resolve_days=d["resolve_days"])):
            messages.success(request, _("Category “%(name)s” added.") % {"name": d["name"]})
            return redirect("appeals:categories")
    rows = list(selectors.categories().prefetch_related("names"))
    used = dict(Appeal.objects.exclude(category="").order_by().values_list("category").annotate(n=Count("id")))
    for c in rows:
        c.appeal_count = used.get(c.code, 0)
    return render(request, "appeals/categories.html", {"rows": rows, "form": form}, status=400 if form.errors else 200)


@login_required
def category_edit(request, pk):
    require_superuser(request.user)
    category = AppealCategory.objects.select_related("parent").filter(pk=pk).first()
    if category is None:
        raise Http404
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _category_services_call(form, lambda: services.category_update(
                by=request.user, category=category, name=d["name"], default_unit=d["default_unit"],
                accept_hours=d["accept_hours"], resolve_days=d["resolve_days"], retired=d.get("retired", False))):
            return redirect("appeals:categories")
        category.refresh_from_db()
    return render(request, "appeals/category_edit.html", {
        "category": category, "form": form, "names": category.names.select_related("by")},
        status=400 if form.errors else 200)


@login_required
def classifier_report(request):
    """Held-out accuracy per category of the latest training, for the staff who confirm categories."""
    require_capability(request.user, roles.VIEW_WORK, through=("grid",))
    run = ClassifierRun.objects.defer("model").first()
    names = selectors.category_names()
    rows = []
    if run is not None:
        for code, r in sorted(run.report.get("per_category", {}).items(), key=lambda kv: kv[1]["accuracy"]):
            rows.append({"code": code, "name": names.get(code, code), **r})
    return render(request, "appeals/classifier.html", {"run": run, "rows": rows, "goal": classifier.GOAL})
