from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.assessment import selectors, services
from dangjian.assessment.forms import (
    AnswerForm,
    AppealForm,
    ConfigureForm,
    DeductionForm,
    ItemForm,
    SchemeForm,
    SelfReportForm,
)
from dangjian.assessment.models import Assessment, Scheme, SchemeItem, ScoreAppeal, State
from dangjian.assessment.pdf import COMPONENT_LABELS, assessment_pdf
from dangjian.audit.services import Action, audit_record
from dangjian.core.forms import apply_errors, flash_errors
from dangjian.core.http import require_capability
from dangjian.core.scoping import (
    get_scoped_or_404,
    has_capability,
    is_superior,
    org_in_scope,
    visible_orgs,
)
from dangjian.core.xlsx import export_xlsx


@login_required
def scheme_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    can_assess = has_capability(request.user, roles.ASSESS)
    schemes = selectors.schemes_for(request.user) if can_assess else Scheme.objects.none()
    own = selectors.assessments_for(request.user)[:100]
    today = timezone.localdate()
    form = SchemeForm(request.POST or None, orgs=visible_orgs(request.user, roles.ASSESS), initial={
        "year": today.year, "starts_on": today.replace(month=1, day=1), "ends_on": today.replace(month=12, day=31)})
    if request.method == "POST" and request.POST.get("action") == "copy":
        require_capability(request.user, roles.ASSESS)
        source = get_scoped_or_404(Scheme.objects.select_related("org"), request.user, roles.ASSESS,
                                   pk=_int(request.POST.get("source")))
        try:
            scheme = services.scheme_copy(by=request.user, source=source, year=today.year)
        except ValidationError as exc:
            flash_errors(request, exc)
            return redirect("assessment:list")
        messages.success(request, _("Last year's scheme was copied: check the items, then start the assessment."))
        return redirect("assessment:scheme", scheme.pk)
    if request.method == "POST":
        require_capability(request.user, roles.ASSESS)
        if form.is_valid():
            try:
                scheme = services.scheme_create(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("assessment:scheme", scheme.pk)
    return render(request, "assessment/schemes.html", {"schemes": schemes, "own": own, "form": form,
                                                       "can_assess": can_assess, "copyable": _copyable(schemes, today.year),
                                                       "this_year": today.year})


def _copyable(schemes, year: int) -> list[Scheme]:
    """Last year's schemes with no scheme this year for the same setter and kind: offered to copy."""
    if not schemes.exists():
        return []
    this_year = {(org_id, kind) for org_id, kind in schemes.filter(year=year).values_list("org_id", "org_kind")}
    return [s for s in schemes.filter(year=year - 1) if (s.org_id, s.org_kind) not in this_year]


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _configure_initial(scheme):
    w = services.weights_of(scheme)
    t = scheme.thresholds
    return {"superior": w.get("superior", 0), "duty": w.get("duty", 0), "democratic": w.get("democratic", 0),
            "five": t[0], "four": t[1], "three": t[2], "two": t[3], "five_star_cap": scheme.five_star_cap}


@login_required
def scheme_detail(request, pk):
    scheme = get_scoped_or_404(Scheme.objects.select_related("org"), request.user, roles.ASSESS, pk=pk)
    cfg = ConfigureForm(initial=_configure_initial(scheme))
    item_form = ItemForm()
    action = request.POST.get("action", "")
    if request.method == "POST":
        try:
            if action == "configure":
                cfg = ConfigureForm(request.POST)
                if cfg.is_valid():
                    d = cfg.cleaned_data
                    services.scheme_configure(by=request.user, scheme=scheme, five_star_cap=d["five_star_cap"],
                                              weights={k: d[k] for k in ("superior", "duty", "democratic")},
                                              thresholds=[d["five"], d["four"], d["three"], d["two"]])
                    return redirect("assessment:scheme", pk)
            elif action == "item":
                item_form = ItemForm(request.POST)
                if item_form.is_valid():
                    services.scheme_item_add(by=request.user, scheme=scheme, **item_form.cleaned_data)
                    return redirect("assessment:scheme", pk)
            elif action == "start":
                services.scheme_start(by=request.user, scheme=scheme)
                return redirect("assessment:scheme", pk)
            elif action == "publish":
                services.scheme_publish(by=request.user, scheme=scheme)
                return redirect("assessment:scheme", pk)
        except ValidationError as exc:
            apply_errors(cfg if action == "configure" else item_form, exc)
            if action in ("start", "publish"):
                flash_errors(request, exc)
    assessments = scheme.assessments.select_related("org")
    if request.GET.get("export") == "xlsx":
        rows = ((a.org.name, a.get_state_display(), float(a.final_score) if a.final_score is not None else None, a.stars)
                for a in assessments)
        return export_xlsx(by=request.user, what=_("Assessment results"), filename="assessment", org=scheme.org, rows=rows,
                           headers=[_("Organisation"), _("Status"), _("Final score"), _("Stars")])
    return render(request, "assessment/scheme.html", {
        "scheme": scheme, "cfg": cfg, "item_form": item_form, "items": scheme.items.all(), "assessments": assessments,
        "weights": [(COMPONENT_LABELS[c.kind], c.weight) for c in scheme.components.all()],
    })


def _get(request, pk):
    return get_scoped_or_404(Assessment.objects.select_related("org", "scheme", "duty_list"), request.user,
                             roles.VIEW_WORK, pk=pk)


SCORING_ACTIONS = ("score", "deduct", "compute")


def _save_scores(request, a: Assessment, items: list[SchemeItem]) -> None:
    """Every row filled in on the scoring form, checked together and saved together (or none)."""
    filled, errors = [], {}
    for item in items:
        raw = request.POST.get(f"score_{item.pk}", "").strip()
        reason = request.POST.get(f"reason_{item.pk}", "").strip()
        if not raw and not reason:
            continue
        try:
            score = Decimal(raw) if raw else None
        except InvalidOperation:
            errors[f"item_{item.pk}"] = _("Enter the score as a number")
            continue
        filled.append((item, score, reason))
    if errors:
        raise ValidationError(errors)
    if filled:
        services.assessment_score_items(by=request.user, assessment=a, scores=filled)


@login_required
def assessment_detail(request, pk):
    a = _get(request, pk)
    superior = is_superior(request.user, a.org, roles.ASSESS)
    can_edit = org_in_scope(request.user, roles.EDIT_WORK, a.org)
    forms = {"report": SelfReportForm(initial={"self_report": a.self_report}), "deduct": DeductionForm(use_required_attribute=False),
             "appeal": AppealForm(), "answer": AnswerForm()}
    action = request.POST.get("action", "")
    scheme_items = list(a.scheme.items.all())
    row_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            if action == "report":
                forms["report"] = f = SelfReportForm(request.POST, request.FILES)
                if f.is_valid():
                    services.assessment_submit(by=request.user, assessment=a, self_report=f.cleaned_data["self_report"],
                                               evidence=f.cleaned_data.get("evidence"))
                    return redirect("assessment:detail", pk)
            elif action in SCORING_ACTIONS:
                # One form holds every score, the deduction and the compute button: whichever button was
                # pressed, the scores filled in are saved first (all or none), never silently dropped.
                try:
                    _save_scores(request, a, scheme_items)
                except ValidationError as exc:
                    if not hasattr(exc, "error_dict"):
                        raise
                    row_errors = exc.message_dict
                    if any(k.startswith("item_") for k in row_errors):
                        messages.error(request, _("The scores were not saved: correct the rows marked below."))
                    flash_errors(request, ValidationError(
                        {k: v for k, v in row_errors.items() if not k.startswith("item_")} or {}))
                else:
                    if action == "deduct":
                        forms["deduct"] = f = DeductionForm(request.POST, use_required_attribute=False)
                        if f.is_valid():
                            services.assessment_deduct(by=request.user, assessment=a, **f.cleaned_data)
                            return redirect("assessment:detail", pk)
                    else:
                        if action == "compute":
                            services.assessment_compute(by=request.user, assessment=a)
                        else:
                            messages.success(request, _("The scores were saved."))
                        return redirect("assessment:detail", pk)
            elif action == "appeal":
                forms["appeal"] = f = AppealForm(request.POST)
                if f.is_valid():
                    services.appeal_file(by=request.user, assessment=a, **f.cleaned_data)
                    return redirect("assessment:detail", pk)
            elif action == "answer":
                forms["answer"] = f = AnswerForm(request.POST)
                appeal = ScoreAppeal.objects.filter(assessment=a, pk=request.POST.get("appeal") or 0).first()
                if appeal is None:
                    raise Http404
                if f.is_valid():
                    services.appeal_answer(by=request.user, appeal=appeal, **f.cleaned_data)
                    return redirect("assessment:detail", pk)
        except ValidationError as exc:
            if action in forms:
                apply_errors(forms[action], exc)
            else:
                flash_errors(request, exc)
    scores = {s.item_id: s for s in a.scores.all()}
    posted = request.method == "POST" and action in SCORING_ACTIONS
    items = [(i, scores.get(i.pk)) for i in scheme_items]
    rows = [{
        "item": i, "saved": s,
        "score": request.POST.get(f"score_{i.pk}", "") if posted else (s.score if s else ""),
        "reason": request.POST.get(f"reason_{i.pk}", "") if posted else (s.reason if s else ""),
        "errors": row_errors.get(f"item_{i.pk}", []),
    } for i, s in items]
    visible_breakdown = a.state == State.PUBLISHED or superior
    return render(request, "assessment/detail.html", {
        "a": a, "items": items, "rows": rows, "deductions": a.deductions.all(), "appeals": a.appeals.all(), "forms": forms,
        "is_superior": superior, "can_edit": can_edit, "rounds": a.rounds.all(),
        "components": [dict(c, label=COMPONENT_LABELS.get(c["kind"], c["kind"])) for c in a.breakdown.get("components", [])]
        if visible_breakdown else [],
    })


@login_required
def assessment_pdf_view(request, pk):
    a = _get(request, pk)
    if a.state != State.PUBLISHED and not is_superior(request.user, a.org, roles.ASSESS):
        raise Http404
    data = assessment_pdf(a)
    audit_record(actor=request.user, action=Action.EXPORT, target=a, org=a.org, changes={"format": [None, "pdf"]})
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="assessment-{a.pk}.pdf"'
    return response
