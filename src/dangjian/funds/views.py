"""The activity funds ledger: the list (scoped, with its total), record a spending, see and correct one."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.core.forms import save_form
from dangjian.core.http import require_capability
from dangjian.core.listing import list_page, org_field
from dangjian.core.scoping import get_scoped_or_404, has_capability, org_in_scope, scoped
from dangjian.funds import selectors, services
from dangjian.funds.forms import SpendingForm
from dangjian.funds.models import Spending

# Meetings offered as what a spending paid for: those of the last year and a bit (older ones are long paid).
MEETING_WINDOW_DAYS = 400


def _day(value) -> dt.date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        return None


@login_required
def spending_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    start, end = _day(request.GET.get("start")), _day(request.GET.get("end"))
    qs = selectors.in_period(selectors.spendings_for(request.user), start, end)
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(purpose__icontains=q)
    actions = [(reverse("funds:new"), _("Record a spending"))] if has_capability(request.user, roles.EDIT_WORK) else []
    return list_page(
        request, title=_("Activity funds"), qs=qs, filename="funds", actions=actions, searchable=True,
        note=_("Total of the records listed: %(amount)s yuan") % {"amount": selectors.total(qs)},
        headers=[_("Purpose"), _("Organisation"), _("Date"), _("Amount (yuan)"), _("Source of funds"),
                 _("For the meeting"), _("For the project")],
        cells=lambda s: [s.purpose, s.org.name, s.spent_on, s.amount, s.get_source_display(),
                         s.meeting.topic if s.meeting else "", s.project.title if s.project else ""],
        url=lambda s: reverse("funds:detail", args=[s.pk]),
    )


def _form(request, data=None, initial=None) -> SpendingForm:
    since = timezone.now() - dt.timedelta(days=MEETING_WINDOW_DAYS)
    meetings = scoped(selectors.meeting_model().objects.select_related("org"), request.user, roles.EDIT_WORK)
    meetings = meetings.filter(starts_at__gte=since).exclude(state="cancelled").order_by("-starts_at", "-id")
    projects = scoped(selectors.project_model().objects.select_related("org"), request.user, roles.EDIT_WORK)
    return SpendingForm(data, initial=initial, meetings=meetings, projects=projects.order_by("-starts_on", "-id"))


@login_required
def spending_new(request):
    require_capability(request.user, roles.EDIT_WORK)
    form = _form(request, request.POST or None, initial={"spent_on": timezone.localdate()})
    form.fields = {"org": org_field(request.user, roles.EDIT_WORK, _("Organisation")), **form.fields}
    spending = save_form(request, form, lambda d: services.spending_record(by=request.user, **d))
    if spending:
        return redirect("funds:detail", spending.pk)
    return render(request, "funds/form.html", {"title": _("Record a spending"), "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def spending_detail(request, pk):
    spending = get_scoped_or_404(Spending.objects.select_related("org", "meeting", "project", "recorded_by"),
                                 request.user, roles.VIEW_WORK, pk=pk)
    can_edit = org_in_scope(request.user, roles.EDIT_WORK, spending.org)
    form = None
    if can_edit:
        initial = {f: getattr(spending, f) for f in ("spent_on", "amount", "source", "purpose", "meeting", "project")}
        form = _form(request, request.POST if request.method == "POST" else None, initial=initial)
        if save_form(request, form, lambda d: services.spending_correct(by=request.user, spending=spending, **d)):
            return redirect("funds:detail", spending.pk)
    return render(request, "funds/detail.html", {"s": spending, "form": form},
                  status=400 if request.method == "POST" and can_edit else 200)
