from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from dangjian.accounts import roles
from dangjian.core.forms import submitted
from dangjian.core.http import require_capability
from dangjian.core.references import ARTICLES
from dangjian.core.scoping import (
    get_scoped_or_404,
    has_capability,
    org_in_scope,
    scoped,
    visible_orgs,
)
from dangjian.core.text import join_messages
from dangjian.core.xlsx import export_xlsx
from dangjian.orgs.models import BRANCH_KINDS, Org
from dangjian.recruitment import rules, selectors, services
from dangjian.recruitment.forms import (
    ApplicantForm,
    CloseForm,
    ExtendForm,
    MentorEndForm,
    MentorForm,
    ReasonForm,
    ReviewForm,
    RulesForm,
    StepCorrectForm,
    StepForm,
)
from dangjian.recruitment.models import Applicant, Stage
from dangjian.recruitment.steps import BY_CODE, STAGES, STEPS


def _org(request) -> Org | None:
    pk = request.GET.get("org")
    if not pk:
        return None
    return get_scoped_or_404(Org.objects.all(), request.user, roles.VIEW_WORK, path_field="path", pk=pk)


@login_required
def applicant_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    org = _org(request)
    stage = request.GET.get("stage", "")
    applicants = selectors.applicants_for(request.user, org=org, stage=stage)
    if request.GET.get("export") == "xlsx":
        return export_xlsx(
            by=request.user, stamp=False, filename=_("Recruitment") + ".xlsx", what=_("Recruitment list export"), org=org,
            headers=[pgettext("recruitment export", "Name"), pgettext("recruitment export", "Gender"),
                     pgettext("recruitment export", "Birth date"), pgettext("recruitment export", "Branch"),
                     pgettext("recruitment export", "Applied on"), pgettext("recruitment export", "Stage"),
                     pgettext("recruitment export", "Latest step"), pgettext("recruitment export", "Latest step on"),
                     pgettext("recruitment export", "Time limits missed")],
            rows=[_export_row(a) for a in applicants],
        )
    page = Paginator(applicants, 50).get_page(request.GET.get("page"))
    return render(request, "recruitment/list.html", {
        "page": page, "org": org, "stage": stage, "stages": Stage.choices,
        "orgs": visible_orgs(request.user, roles.VIEW_WORK).order_by("path")[:300],
        "can_edit": has_capability(request.user, roles.EDIT_WORK),
    })


def _export_row(a: Applicant) -> list:
    steps = list(a.steps.all())
    last = steps[-1] if steps else None
    return [a.name, a.get_gender_display(), a.birth_date, a.org.name, a.applied_on, a.get_stage_display(),
            BY_CODE[last.code].name if last else "", last.on if last else None,
            join_messages(s.late for s in steps if s.late)]


@login_required
def applicant_create(request):
    orgs = scoped(Org.objects.filter(kind__in=BRANCH_KINDS), request.user, roles.EDIT_WORK, path_field="path")
    require_capability(request.user, roles.EDIT_WORK)
    form = ApplicantForm(request.POST or None, orgs=orgs.order_by("path"))
    created = {}

    def create(**data):
        created["applicant"] = services.applicant_create(by=request.user, data=data)

    if submitted(request, form, create):
        messages.success(request, _("Recruitment case opened for %(name)s.") % {"name": created["applicant"].name})
        return redirect("recruitment:detail", created["applicant"].pk)
    return render(request, "recruitment/create.html", {"form": form})


@login_required
def applicant_edit(request, pk: int):
    applicant = _get(request, pk, roles.EDIT_WORK)
    form = ApplicantForm(request.POST or None, applicant=applicant,
                         initial={f: getattr(applicant, f) for f in services.EDITABLE if f not in services.SENSITIVE})
    if submitted(request, form, lambda **_data: services.applicant_update(by=request.user, applicant=applicant,
                                                                           data=form.applicant_data())):
        messages.success(request, _("The applicant's details were corrected."))
        return redirect("recruitment:detail", applicant.pk)
    return render(request, "recruitment/create.html", {"form": form, "editing": applicant})


def _get(request, pk: int, capability=roles.VIEW_WORK) -> Applicant:
    return get_scoped_or_404(selectors.applicants_for(request.user, capability=capability), request.user,
                             capability, pk=pk)


@login_required
def applicant_detail(request, pk: int, step_form=None, extend_form=None, close_form=None, mentor_form=None,
                     review_form=None, mentor_end_form=None):
    applicant = _get(request, pk)
    recorded_steps = {s.code: s for s in applicant.steps.all()}
    recorded = selectors.recorded(applicant)
    can_edit = has_capability(request.user, roles.EDIT_WORK) and applicant.stage != Stage.CLOSED
    stages = [
        (number, name, [(s, recorded_steps.get(s.code)) for s in STEPS if s.stage == number])
        for number, name in STAGES.items()
    ]
    config = services.recruit_rules()
    current_mentors = applicant.mentors.filter(ended_on__isnull=True).count()
    return render(request, "recruitment/detail.html", {
        "a": applicant, "stages": stages, "can_edit": can_edit,
        "alerts": selectors.alerts_for(applicant, config=config, today=timezone.localdate()),
        "step_form": step_form or StepForm(steps=rules.next_steps(recorded)),
        "extend_form": extend_form or ExtendForm(),
        "close_form": close_form or CloseForm(),
        "can_extend": applicant.stage == Stage.PROBATIONARY and not applicant.extension_months,
        "probation_end": rules.probation_end(recorded["branch_vote"].on, config, applicant.extension_months)
        if "branch_vote" in recorded else None,
        "corrections": selectors.correction_rows(applicant),
        "activist": "activist" in recorded,
        "can_activist": can_edit and applicant.stage in services.ACTIVIST_STAGES and "activist" in recorded,
        "review_due": selectors.review_due(applicant),
        "mentor_form": mentor_form or MentorForm(applicant=applicant),
        "review_form": review_form or ReviewForm(applicant=applicant),
        "mentor_end_form": mentor_end_form or MentorEndForm(applicant=applicant),
        "has_current_mentor": current_mentors > 0,
        "can_appoint_mentor": current_mentors < rules.MAX_MENTORS,
        "activist_article": ARTICLES["recruit.activist"],
    })


@login_required
@require_POST
def step_record(request, pk: int):
    applicant = _get(request, pk, roles.EDIT_WORK)
    form = StepForm(request.POST, steps=rules.next_steps(selectors.recorded(applicant)))
    if form.is_valid() and submitted(
        request, form, lambda **_: services.step_record(by=request.user, applicant=applicant, **form.service_kwargs())
    ):
        messages.success(request, _("The step was recorded."))
        return redirect("recruitment:detail", applicant.pk)
    return applicant_detail(request, pk, step_form=form)


@login_required
def step_detail(request, pk: int, code: str):
    """One recorded step: what it holds, the forms to correct or withdraw it, its earlier versions."""
    applicant = _get(request, pk)
    definition = BY_CODE.get(code)
    if definition is None:
        raise Http404
    step = next((s for s in applicant.steps.all() if s.code == code), None)
    history = selectors.correction_rows(applicant, code)
    if step is None and not history:
        raise Http404
    can_edit = (step is not None and applicant.stage != Stage.CLOSED
                and org_in_scope(request.user, roles.EDIT_WORK, applicant.org))
    if request.method == "POST" and not can_edit:
        raise Http404
    correct_form = withdraw_form = None
    if can_edit:
        action = request.POST.get("action")
        correct_form = StepCorrectForm(
            request.POST if action == "correct" else None, prefix="fix", step=definition,
            initial={f: getattr(step, f) for f in services.correctable_fields(definition)},
        )
        withdraw_form = ReasonForm(request.POST if action == "withdraw" else None, prefix="withdraw")
        if action == "correct" and submitted(request, correct_form, lambda **data: services.step_correct(
                by=request.user, applicant=applicant, code=code, **data)):
            messages.success(request, _("%(step)s was corrected; the earlier record stays on the case.") % {
                "step": rules.step_named(definition)})
            return redirect("recruitment:detail", applicant.pk)
        if action == "withdraw" and submitted(request, withdraw_form, lambda **data: services.step_withdraw(
                by=request.user, applicant=applicant, code=code, **data)):
            messages.success(request, _("%(step)s was withdrawn; the earlier record stays on the case.") % {
                "step": rules.step_named(definition)})
            return redirect("recruitment:detail", applicant.pk)
    return render(request, "recruitment/step.html", {
        "a": applicant, "definition": definition, "step": step, "history": history, "can_edit": can_edit,
        "correct_form": correct_form, "withdraw_form": withdraw_form,
    })


def _case_action(request, pk: int, form_class, service, done: str, form_name: str, *, per_case: bool = False):
    """POST a small form about one case to a service; back to the case, errors inline.

    per_case: the form's choices depend on the case (its branch's members)."""
    applicant = _get(request, pk, roles.EDIT_WORK)
    form = form_class(request.POST, applicant=applicant) if per_case else form_class(request.POST)
    if submitted(request, form, lambda **data: service(by=request.user, applicant=applicant, **data)):
        messages.success(request, done)
        return redirect("recruitment:detail", applicant.pk)
    return applicant_detail(request, pk, **{form_name: form})


@login_required
@require_POST
def extend(request, pk: int):
    return _case_action(request, pk, ExtendForm, services.probation_extend, _("The probation extension was recorded."),
                        "extend_form")


@login_required
@require_POST
def close(request, pk: int):
    return _case_action(request, pk, CloseForm, services.applicant_close, _("The recruitment case was closed."),
                        "close_form")


@login_required
@require_POST
def mentor_add(request, pk: int):
    return _case_action(request, pk, MentorForm, services.mentor_appoint, _("The mentor was appointed."),
                        "mentor_form", per_case=True)


@login_required
@require_POST
def mentor_end(request, pk: int):
    return _case_action(request, pk, MentorEndForm, services.mentor_end, _("The mentor's change was recorded."),
                        "mentor_end_form", per_case=True)


@login_required
@require_POST
def review_add(request, pk: int):
    return _case_action(request, pk, ReviewForm, services.activist_review_record,
                        _("The half-yearly review was recorded."), "review_form", per_case=True)


@login_required
def rules_edit(request):
    if not request.user.is_superuser:
        raise Http404
    form = RulesForm(request.POST or None, instance=services.recruit_rules())
    if submitted(request, form, lambda **data: services.recruit_rules_update(by=request.user, data=data)):
        messages.success(request, _("The recruitment time limits were saved."))
        return redirect("recruitment:rules")
    return render(request, "recruitment/rules.html", {"form": form, "steps": STEPS, "stages": STAGES})
