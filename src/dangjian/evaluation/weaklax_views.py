"""Pages of the weak-and-lax workflow: the list with the yearly shares, the committee's decision (with the
automatic candidates beside it), the decision and its plan, and the share setting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.core.forms import apply_errors
from dangjian.core.http import require_capability
from dangjian.core.references import ARTICLES
from dangjian.core.scoping import scope_roots
from dangjian.evaluation import selectors, services, weaklax
from dangjian.evaluation import weaklax_selectors as wsel
from dangjian.evaluation import weaklax_services as wsvc
from dangjian.evaluation.forms import (
    WeakConcludeForm,
    WeakDecisionForm,
    WeakNoteForm,
    WeakReviewForm,
    WeakRuleForm,
    WeakSubmitForm,
)
from dangjian.evaluation.models import WeakLaxRule, WeakSituation, WeakState
from dangjian.orgs.models import Org


def _int(value, default=None):
    return int(value) if str(value or "").isdigit() else default


@login_required
def weak_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    today = timezone.localdate()
    year = _int(request.GET.get("year"))
    state = request.GET.get("state", "")
    state = state if state in WeakState.values else ""
    org_id = request.GET.get("org", "")
    org = selectors.org_get(request.user, org_id) if org_id else None
    root = org or scope_roots(request.user, roles.VIEW_WORK).first()
    decisions = wsel.decisions_for(request.user, year=year, org=org, state=state)
    query = urlencode({k: v for k, v in {"year": year, "state": state, "org": org.pk if org else ""}.items() if v})
    return render(request, "evaluation/weak_list.html", {
        "page": Paginator(decisions, 50).get_page(request.GET.get("page")), "year": year, "state": state,
        "states": WeakState.choices, "org": org, "root": root, "query": query,
        "years": wsel.yearly(request.user, root, [today.year]) if root else [],
        "can_decide": wsel.committees_for(request.user).exists(), "labels": dict(WeakSituation.choices),
        "can_administer": services.can_administer(request.user),
    })


@login_required
def weak_decide(request):
    committees = wsel.committees_for(request.user)
    if not committees.exists():
        raise Http404
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year)
    orgs = wsel.decidable_orgs(request.user)
    org = orgs.filter(pk=_int(request.GET.get("org"), 0)).first()
    period, found = wsel.candidates(request.user, year)
    picked = next((c for c in found if org and c.org.pk == org.pk), None)
    parent = Org.objects.get_parent(org) if org else None
    initial = {"year": year, "decided_on": today, "org": org,
               "committee": parent if parent and committees.filter(pk=parent.pk).exists() else committees.first(),
               "situations": picked.situations if picked else []}
    form = WeakDecisionForm(request.POST or None, initial=initial, orgs=orgs.order_by("path"), committees=committees,
                            leaders=wsel.leaders_for(request.user, committees))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        cand = next((c for c in found if c.org.pk == data["org"].pk), None)
        try:
            decision = wsvc.weak_decide(by=request.user, candidate_reasons=cand.reasons if cand else [], **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded; its rectification plan is open."))
            return redirect("evaluation:weak_detail", decision.pk)
    status = [(c, wsvc.share_status(c, year)) for c in committees[:5]]
    return render(request, "evaluation/weak_decide.html", {
        "form": form, "year": year, "period": period, "candidates": found[:50], "status": status,
        "article": ARTICLES["weak.decision"], "share_article": ARTICLES["weak.share"],
        "situations_article": ARTICLES["weak.situations"]})


@login_required
def weak_detail(request, pk: int):
    decision = wsel.decision_get(request.user, pk)
    plan = decision.plan
    committee_side = wsvc.is_committee_side(request.user, decision)
    org_side = wsvc.is_org_side(request.user, decision)
    may = {
        "note": plan.state in weaklax.NOTE_STATES and (org_side or committee_side or plan.leader_id == request.user.pk),
        "submit": weaklax.allowed("submit", plan.state) and org_side,
        "review": weaklax.allowed("accept", plan.state) and committee_side,
        "conclude": weaklax.allowed("lift", plan.state) and committee_side,
    }
    today = timezone.localdate()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = {
        "note": WeakNoteForm(request.POST if action == "note" else None, initial={"on": today}),
        "submit": WeakSubmitForm(request.POST if action == "submit" else None),
        "review": WeakReviewForm(request.POST if action == "review" else None),
        "conclude": WeakConcludeForm(request.POST if action == "conclude" else None, initial={"on": today}),
    }
    if request.method == "POST":
        if action not in may or not may[action]:
            raise Http404
        form = forms[action]
        if form.is_valid():
            d = form.cleaned_data
            try:
                if action == "note":
                    wsvc.weak_note_add(by=request.user, plan=plan, text=d["text"], on=d["on"])
                elif action == "submit":
                    wsvc.weak_submit(by=request.user, plan=plan, summary=d["summary"])
                elif action == "review":
                    wsvc.weak_review(by=request.user, plan=plan, passed=d["result"] == "pass", comment=d["comment"])
                else:
                    wsvc.weak_conclude(by=request.user, plan=plan, lifted=d["outcome"] == "lift", comment=d["comment"],
                                       on=d["on"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("evaluation:weak_detail", decision.pk)
    return render(request, "evaluation/weak_detail.html", {
        "d": decision, "plan": plan, "situations": weaklax.situation_labels(decision.situations),
        "notes": plan.notes.select_related("by"), "may": may, "forms": forms, "today": today,
        "overdue": plan.state == WeakState.RECTIFYING and plan.deadline < today})


@login_required
def weak_settings(request):
    if not services.can_administer(request.user):
        raise Http404
    rule = wsvc.weak_rule()
    form = WeakRuleForm(request.POST or None, initial={"share_max": round(rule.share_max * 100, 2)})
    if request.method == "POST" and form.is_valid():
        try:
            wsvc.weak_rule_update(by=request.user, share_max=form.cleaned_data["share_max"] / 100)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The rule was saved."))
            return redirect("evaluation:weak_settings")
    default = WeakLaxRule._meta.get_field("share_max").default
    return render(request, "evaluation/weak_settings.html", {
        "form": form, "default": f"{default:.0%}", "article": ARTICLES["weak.share"],
        "decision_article": ARTICLES["weak.decision"]})
