"""Volunteer activities: list, create, sign up, record attendance and hours once."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.accounts import roles
from dangjian.core.forms import DateInput, DateTimeInput, apply_errors
from dangjian.core.http import require_capability
from dangjian.core.listing import list_page, org_field
from dangjian.core.scoping import get_scoped_or_404, has_capability, org_in_scope
from dangjian.core.xlsx import export_xlsx
from dangjian.volunteering import selectors, services
from dangjian.volunteering.models import Activity


@login_required
def activity_list(request):
    member = getattr(request.user, "member", None)
    if not has_capability(request.user, roles.VIEW_WORK) and member is not None:
        return render(request, "volunteering/join.html", {"activities": selectors.open_activities_for_member(member)})
    require_capability(request.user, roles.VIEW_WORK)
    actions = [(reverse("volunteering:new"), _("New activity"))] if has_capability(request.user, roles.EDIT_WORK) else []
    return list_page(
        request, title=_("Volunteer activities"), qs=selectors.activities_for(request.user), filename="volunteering",
        nav=[(reverse("volunteering:hours"), _("Hours"))], actions=actions,
        headers=[_("Title"), _("Organisation"), _("Starts at"), _("Place"), _("State")],
        cells=lambda a: [a.title, a.org.name, a.starts_at, a.place, a.get_state_display()],
        url=lambda a: reverse("volunteering:detail", args=[a.pk]),
    )


class ActivityForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100)
    starts_at = forms.DateTimeField(label=gettext_lazy("Starts at"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=gettext_lazy("Ends at"), widget=DateTimeInput)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=100, required=False)
    capacity = forms.IntegerField(label=gettext_lazy("Capacity"), required=False)
    description = forms.CharField(label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


@login_required
def activity_new(request):
    require_capability(request.user, roles.EDIT_WORK)
    form = ActivityForm(request.POST or None)
    form.fields = {"org": org_field(request.user, roles.EDIT_WORK, _("Organisation")), **form.fields}
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("volunteering:detail", activity.pk)
    return render(request, "resources/form.html", {"title": _("New activity"), "form": form})


def _activity(request, pk, capability=roles.VIEW_WORK) -> Activity:
    """Staff see activities of their scope; a plain member, the open ones they may join."""
    member = getattr(request.user, "member", None)
    if member is not None and not has_capability(request.user, capability):
        activity = selectors.open_activities_for_member(member).filter(pk=pk).first()
        if activity is None:
            raise Http404
        return activity
    return get_scoped_or_404(Activity.objects.select_related("org"), request.user, capability, pk=pk)


@login_required
def activity_detail(request, pk):
    activity = _activity(request, pk)
    can_edit = org_in_scope(request.user, roles.EDIT_WORK, activity.org)
    errors = []
    if request.method == "POST" and can_edit:
        entries = {
            s.pk: (request.POST.get(f"att_{s.pk}") == "on", request.POST.get(f"hours_{s.pk}", ""))
            for s in activity.signups.all()
        }
        try:
            services.attendance_record(by=request.user, activity=activity, entries=entries)
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect("volunteering:detail", activity.pk)
    signups = activity.signups.select_related("member", "member__org") if can_edit else []
    return render(request, "volunteering/detail.html", {
        "activity": activity, "signups": signups, "can_edit": can_edit, "errors": errors,
        "can_record": can_edit and activity.state == Activity.State.OPEN and activity.starts_at <= timezone.now(),
        "member": getattr(request.user, "member", None),
    })


@login_required
@require_POST
def signup(request, pk):
    activity = _activity(request, pk)
    member = getattr(request.user, "member", None)
    if member is None:
        return redirect("volunteering:detail", activity.pk)
    try:
        services.signup_create(by=request.user, activity=activity, member=member)
    except ValidationError as exc:
        return render(request, "volunteering/detail.html", {"activity": activity, "errors": exc.messages}, status=400)
    return redirect("volunteering:detail", activity.pk)


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), widget=DateInput)
    end = forms.DateField(label=gettext_lazy("To"), widget=DateInput)


@login_required
def hours(request):
    require_capability(request.user, roles.VIEW_WORK)
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, initial={"start": today.replace(month=1, day=1), "end": today})
    start, end = today.replace(month=1, day=1), today
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    org_field_ = org_field(request.user, roles.VIEW_WORK, _("Organisation"))
    org = org_field_.queryset.filter(pk=request.GET.get("org") or 0).first() or org_field_.queryset.first()
    if org is None:
        return render(request, "volunteering/hours.html", {"form": form})
    rows = selectors.hours_by_member(org, start, end)
    if request.GET.get("export") == "xlsx":
        return export_xlsx(by=request.user, what=_("Volunteer hours"), filename="volunteer-hours",
                           headers=[_("Member"), _("Organisation"), _("Activities"), _("Hours")],
                           rows=([r["member__name"], r["member__org__name"], r["activities"], float(r["hours"] or 0)] for r in rows))
    return render(request, "volunteering/hours.html", {
        "form": form, "org": org, "orgs": org_field_.queryset, "rows": rows, "units": selectors.hours_by_unit(org, start, end),
        "total": selectors.volunteer_hours(org, start, end), "start": start, "end": end,
    })
