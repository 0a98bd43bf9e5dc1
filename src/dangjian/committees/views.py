from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dangjian.accounts import roles
from dangjian.committees import services
from dangjian.committees.forms import CommitteeRuleForm, TermCorrectForm, TermForm
from dangjian.committees.models import CommitteeRule, Term, TermRule
from dangjian.committees.selectors import org_terms, org_terms_for, seats_of, term_correction_rows
from dangjian.core.forms import apply_errors
from dangjian.core.http import require_capability, require_superuser
from dangjian.core.scoping import get_scoped_or_404, org_in_scope
from dangjian.core.xlsx import export_xlsx
from dangjian.orgs.models import Category, Member, Org
from dangjian.orgs.selectors import roster


def state_label(state: str) -> str:
    return {
        "overdue": _("term overdue"), "second": _("term ends within a month"),
        "first": _("term ends within six months"), "none": _("no term recorded"), "": _("in term"),
    }[state]


def flag_label(flag: str) -> str:
    return {
        "needs_committee": _("7 or more full members: a committee should be elected"),
        "secretary_only": _("fewer than 7 full members: a secretary only is expected"),
        "too_few_full": _("fewer than 3 full members: too small for a branch of its own"),
        "too_many": _("more members than a branch should have: consider a general branch"),
    }.get(flag, "")


@login_required
def org_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    org = None
    if request.GET.get("org", "").isdigit():
        org = get_scoped_or_404(Org.objects.all(), request.user, roles.VIEW_WORK, path_field="path", pk=request.GET["org"])
    rows = org_terms_for(request.user, org=org)
    state = request.GET.get("state", "")
    if state:
        rows = [r for r in rows if r.state == state or (state == "flag" and r.flag)]
    if request.GET.get("export") == "xlsx":
        data = (
            (r.org.name, r.org.get_kind_display(), r.roll_size, r.term.start if r.term else None,
             r.term.end if r.term else None, state_label(r.state), flag_label(r.flag))
            for r in rows
        )
        headers = [_("Organisation"), pgettext("org kind", "Kind"), pgettext("count", "Members"), _("Term start"), _("Term end"), _("State"), _("Flag")]
        return export_xlsx(by=request.user, what=_("Committees and terms"), filename="committees", headers=headers,
                           rows=data, org=org, changes={"filters": {"state": state}})
    return render(request, "committees/list.html", {
        "rows": [(r, state_label(r.state), flag_label(r.flag)) for r in rows], "org": org, "state": state,
        "query": request.GET.urlencode(),
    })


@login_required
def org_detail(request, pk: int):
    org = get_scoped_or_404(Org.objects.all(), request.user, roles.VIEW_WORK, path_field="path", pk=pk)
    row = next(iter(org_terms(Org.objects.filter(pk=org.pk))), None)
    all_terms = list(Term.objects.filter(org=org).order_by("-start"))
    history = term_correction_rows(all_terms)
    terms = [(t, list(seats_of(t)), history.get(t.pk, [])) for t in all_terms]
    return render(request, "committees/org.html", {
        "org": org, "row": row, "terms": terms,
        "state": state_label(row.state) if row else "", "flag": flag_label(row.flag) if row else "",
        "can_edit": org_in_scope(request.user, roles.EDIT_WORK, org) and row is not None,
    })


@login_required
def term_new(request, pk: int):
    org = get_scoped_or_404(Org.objects.all(), request.user, roles.EDIT_WORK, path_field="path", pk=pk)
    # Only full members may be elected (选举工作条例 第五条).
    form = TermForm(request.POST or None, roster=roster(org).filter(category=Category.FULL))
    if request.method == "POST" and form.is_valid():
        try:
            services.term_record(by=request.user, org=org, seats=form.seats(), **form.term_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The new term was recorded."))
            return redirect("committees:org", org.pk)
    return render(request, "committees/term_form.html", {"form": form, "org": org, "today": timezone.localdate()})


@login_required
def term_correct(request, pk: int):
    """Correct a recorded term (dates, counts, approval, members) with a reason; the earlier version is kept."""
    term = get_scoped_or_404(Term.objects.select_related("org"), request.user, roles.EDIT_WORK, pk=pk)
    seats = list(seats_of(term))
    # Members seated then stay choosable even if they have left the roll since.
    members = roster(term.org) | Member.objects.filter(pk__in=[s.member_id for s in seats])
    form = TermCorrectForm(request.POST or None, roster=members.distinct(), term=term, seats=seats)
    if request.method == "POST" and form.is_valid():
        try:
            services.term_correct(by=request.user, term=term, seats=form.seats(), reason=form.cleaned_data["reason"],
                                  **form.term_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The term was corrected; the earlier version is kept."))
            return redirect("committees:org", term.org_id)
    return render(request, "committees/term_form.html", {"form": form, "org": term.org, "term": term})


@login_required
def rules_view(request):
    require_superuser(request.user)
    rule = CommitteeRule.current()
    fields = services.RULE_FIELDS
    posted_rule = request.method == "POST" and request.POST.get("form") == "committee"
    form = CommitteeRuleForm(request.POST if posted_rule else None, initial={f: getattr(rule, f) for f in fields})
    term_rules = list(TermRule.objects.all())
    if request.method == "POST":
        try:
            if posted_rule:
                if form.is_valid():
                    services.committee_rule_update(by=request.user, **form.cleaned_data)
                    messages.success(request, _("The rule was saved."))
                    return redirect("committees:rules")
            else:
                term_rule = next((r for r in term_rules if str(r.pk) == request.POST.get("rule")), None)
                if term_rule is None or not request.POST.get("years", "").isdigit():
                    raise ValidationError({"years": _("Enter a number of years.")})
                services.term_rule_update(by=request.user, rule=term_rule, years=int(request.POST["years"]))
                messages.success(request, _("The rule was saved."))
                return redirect("committees:rules")
        except ValidationError as exc:
            if posted_rule:
                apply_errors(form, exc)
            else:
                for msgs in exc.message_dict.values():
                    for m in msgs:
                        messages.error(request, m)
    defaults = {f: CommitteeRule._meta.get_field(f).default for f in fields}
    return render(request, "committees/rules.html", {"form": form, "term_rules": term_rules, "defaults": defaults})
