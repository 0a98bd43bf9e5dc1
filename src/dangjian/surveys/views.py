import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from dangjian.accounts import roles
from dangjian.core.forms import apply_errors, save_form
from dangjian.core.http import require_capability
from dangjian.core.scoping import (
    get_scoped_or_404,
    has_capability,
    is_superior,
    org_in_scope,
    visible_orgs,
)
from dangjian.core.xlsx import export_xlsx
from dangjian.surveys import guard, selectors, services
from dangjian.surveys.forms import IssueForm, QuestionForm, QuestionnaireForm, RoundForm
from dangjian.surveys.models import MemberLink, QuestionKind, Questionnaire, Round, Subject


@login_required
def index(request):
    require_capability(request.user, roles.VIEW_WORK)
    return render(request, "surveys/index.html", {
        "questionnaires": selectors.questionnaires_for(request.user)[:100],
        "rounds": selectors.rounds_for(request.user)[:100],
        "can_edit": has_capability(request.user, roles.EDIT_WORK),
    })


@login_required
def questionnaire_new(request):
    require_capability(request.user, roles.EDIT_WORK)
    form = QuestionnaireForm(request.POST or None, orgs=visible_orgs(request.user, roles.EDIT_WORK))
    q = save_form(request, form, lambda d: services.questionnaire_create(by=request.user, **d))
    if q:
        return redirect("surveys:questionnaire", q.pk)
    return render(request, "duty/form.html", {"form": form, "heading": _("New questionnaire")})


@login_required
def questionnaire_detail(request, pk):
    q = get_scoped_or_404(Questionnaire.objects.select_related("org"), request.user, roles.VIEW_WORK, pk=pk)
    can_edit = org_in_scope(request.user, roles.EDIT_WORK, q.org)
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            try:
                services.question_add(by=request.user, questionnaire=q, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("surveys:questionnaire", pk)
    return render(request, "surveys/questionnaire.html", {"q": q, "questions": q.questions.all(), "form": form,
                                                          "can_edit": can_edit})


@login_required
def round_new(request, pk):
    q = get_scoped_or_404(Questionnaire.objects.all(), request.user, roles.VIEW_WORK, pk=pk)
    form = RoundForm(request.POST or None, orgs=visible_orgs(request.user, roles.VIEW_WORK))
    r = save_form(request, form, lambda d: services.round_create(by=request.user, questionnaire=q, **d))
    if r:
        return redirect("surveys:round", r.pk)
    return render(request, "duty/form.html", {"form": form, "heading": _("New evaluation round")})


def _organiser(user, r: Round) -> bool:
    if r.subject == Subject.SURVEY:
        return org_in_scope(user, roles.EDIT_WORK, r.org)
    return is_superior(user, r.org, roles.ASSESS)


def _qr(url: str) -> str:
    img = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return mark_safe(img.to_string(encoding="unicode"))  # our own generated SVG


@login_required
@never_cache
def round_detail(request, pk):
    r = get_scoped_or_404(Round.objects.select_related("org", "questionnaire"), request.user, roles.VIEW_WORK, pk=pk)
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plain = services.tokens_issue(by=request.user, round=r, count=form.cleaned_data["count"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            # Shown once: only the hashes are kept. The sheet is the only copy of the links.
            sheet = []
            for t in plain:
                url = request.build_absolute_uri(reverse("surveys:answer", args=[t]))
                sheet.append({"url": url, "qr": _qr(url)})
            return render(request, "surveys/sheet.html", {"r": r, "sheet": sheet})
    res = selectors.results(r)
    if request.GET.get("export") == "xlsx":
        if not res.shown:
            raise Http404
        rows = []
        for qr in res.questions:
            rows += [(qr.question.text, label, n) for label, n in qr.counts]
            if qr.average is not None:
                rows.append((qr.question.text, _("Average"), round(qr.average, 2)))
            rows += [(qr.question.text, _("Text answer"), t) for t in qr.texts]
        return export_xlsx(by=request.user, what=_("Evaluation results"), filename="evaluation", org=r.org, rows=rows,
                           headers=[_("Question"), _("Option"), _("Count or value")])
    return render(request, "surveys/round.html", {
        "r": r, "res": res, "score": selectors.round_score(r), "form": form,
        "can_issue": _organiser(request.user, r),
    })


def _raw_answers(request, questions) -> dict:
    raw = {}
    for q in questions:
        key = f"q{q.pk}"
        raw[q.pk] = request.POST.getlist(key) if q.kind == QuestionKind.MULTIPLE else request.POST.get(key)
    return raw


@never_cache
def answer(request, token):
    """The public form behind a one-time link. No login; nothing about the visitor is kept."""
    r = services.token_round(token)
    if r is None:
        return render(request, "surveys/answer_done.html", {"message": _("This link is not valid.")}, status=404)
    questions = list(r.questionnaire.questions.all())
    errors: dict = {}
    if request.method == "POST":
        try:
            guard.check(data=request.POST, round_id=r.pk)
            services.response_submit(token=token, answers=_raw_answers(request, questions))
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            return render(request, "surveys/answer_done.html", {"message": _("Thank you. Your answers were received anonymously.")})
    else:
        try:
            services.check_open(r)
        except ValidationError as exc:
            # Not open: say when, and show no form to fill in for nothing.
            return render(request, "surveys/answer_done.html", {"message": exc.messages[0]})
    return render(request, "surveys/answer.html", {
        "r": r, "general": errors.get("__all__", []), "stamp": guard.stamp(r.pk), "honeypot": guard.HONEYPOT,
        "rows": [(q, errors.get(f"q{q.pk}", []), request.POST.getlist(f"q{q.pk}")) for q in questions],
    })  # refusals re-render the form with the reason (200), like any form with errors



@login_required
@never_cache
def take(request, pk):
    """A member's own link to an evaluation open to them, from their home page: one press, then the form."""
    member = request.user.member if request.user.member_id else None
    if member is None:
        raise Http404
    r = selectors.rounds_open_to(member).filter(pk=pk).first()
    if r is None:
        raise Http404
    taken = MemberLink.objects.filter(round=r, member=member).exists()
    if request.method == "POST" and not taken:
        return redirect("surveys:answer", services.member_link_take(user=request.user, round=r))
    return render(request, "surveys/take.html", {"r": r, "taken": taken})
