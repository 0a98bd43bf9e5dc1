"""Pages of the three lists. Thin: validate, fetch through the scoping selectors, call a service."""

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
from dangjian.appeals.selectors import appeal_by_id
from dangjian.core.forms import DateInput, DateTimeInput, apply_errors
from dangjian.core.http import require_capability
from dangjian.core.listing import ScopedOrgField, list_page, org_field
from dangjian.core.scoping import get_scoped_or_404, has_capability, org_in_scope, visible_orgs
from dangjian.resources import selectors, services
from dangjian.resources.models import Category, Need, PartnerUnit


def _nav():
    return [
        (reverse("resources:resource_list"), _("Resources")), (reverse("resources:need_list"), _("Needs")),
        (reverse("resources:project_list"), _("Projects")), (reverse("resources:partner_list"), _("Partner units")),
        (reverse("resources:booking_list"), _("Bookings")),
    ]


def _actions(user, url, label):
    return [(url, label)] if has_capability(user, roles.EDIT_WORK) else []


@login_required
def resource_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    qs = selectors.resources_for(request.user).order_by("category", "title")
    if request.GET.get("category") in Category.values:
        qs = qs.filter(category=request.GET["category"])
    return list_page(
        request, title=_("Resources offered"), qs=qs, filename="resources", nav=_nav(),
        actions=_actions(request.user, reverse("resources:resource_new"), _("Offer a resource")),
        headers=[_("Title"), _("Category"), _("Organisation"), _("Partner unit"), _("Place"), _("Capacity"), _("Bookable")],
        cells=lambda r: [r.title, r.get_category_display(), r.org.name, r.partner.name if r.partner else "", r.place,
                         r.capacity, _("yes") if r.bookable else _("no")],
        url=lambda r: reverse("resources:resource_detail", args=[r.pk]),
    )


@login_required
def need_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    qs = selectors.needs_for(request.user)
    if request.GET.get("state") in Need.State.values:
        qs = qs.filter(state=request.GET["state"])
    return list_page(
        request, title=_("Needs raised"), qs=qs, filename="needs", nav=_nav(),
        actions=_actions(request.user, reverse("resources:need_new"), _("Raise a need")),
        headers=[_("Title"), _("Category"), _("Organisation"), _("Raised by"), _("Needed on"), _("People"), _("State")],
        cells=lambda n: [n.title, n.get_category_display(), n.org.name, n.get_source_display(), n.needed_on, n.people,
                         n.get_state_display()],
        url=lambda n: reverse("resources:need_detail", args=[n.pk]),
    )


@login_required
def project_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    qs = selectors.projects_for(request.user)
    return list_page(
        request, title=_("Matching projects"), qs=qs, filename="projects", nav=_nav(),
        headers=[_("Title"), _("Need"), _("Organisation"), _("Starts on"), _("Ends on"), _("State")],
        cells=lambda p: [p.title, p.need.title, p.org.name, p.starts_on, p.ends_on, p.get_state_display()],
        url=lambda p: reverse("resources:project_detail", args=[p.pk]),
    )


@login_required
def partner_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    qs = selectors.partners_for(request.user)
    return list_page(
        request, title=_("Partner units"), qs=qs, filename="partners", nav=_nav(),
        actions=_actions(request.user, reverse("resources:partner_new"), _("Register a partner unit")),
        headers=[_("Name"), _("Kind"), _("Community"), _("Contact"), _("Joined on")],
        cells=lambda p: [p.name, p.get_kind_display(), p.org.name, p.contact, p.joined_on],
        url=lambda p: reverse("resources:partner_detail", args=[p.pk]),
    )


@login_required
def booking_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    qs = selectors.bookings_for(request.user).filter(cancelled=False).order_by("-starts_at")
    return list_page(
        request, title=_("Bookings"), qs=qs, filename="bookings", nav=_nav(),
        headers=[_("Resource"), _("Booked for"), _("Starts at"), _("Ends at"), _("Purpose")],
        cells=lambda b: [b.resource.title, b.org.name, b.starts_at, b.ends_at, b.purpose],
        url=lambda b: reverse("resources:resource_detail", args=[b.resource_id]),
    )


# ------------------------------------------------------------------ forms


class ResourceForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Category.choices)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=100, required=False)
    capacity = forms.IntegerField(label=gettext_lazy("Capacity (people)"), required=False)
    available_from = forms.DateField(label=gettext_lazy("Available from"), required=False, widget=DateInput)
    available_until = forms.DateField(label=gettext_lazy("Available until"), required=False, widget=DateInput)
    bookable = forms.BooleanField(label=gettext_lazy("Bookable by time"), required=False)
    description = forms.CharField(label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class NeedForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Category.choices)
    source = forms.ChoiceField(label=gettext_lazy("Raised by"), choices=Need.Source.choices)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=100, required=False)
    needed_on = forms.DateField(label=gettext_lazy("Needed on"), required=False, widget=DateInput)
    people = forms.IntegerField(label=gettext_lazy("People"), required=False)
    description = forms.CharField(label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PartnerForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=PartnerUnit.Kind.choices)
    contact = forms.CharField(label=gettext_lazy("Contact"), max_length=100, required=False)
    joined_on = forms.DateField(label=gettext_lazy("Joined on"), required=False, widget=DateInput)


def _create_view(request, *, form_class, title, service, redirect_to):
    require_capability(request.user, roles.EDIT_WORK)
    form_class = type("F", (form_class,), {})
    form_class.base_fields = {"org": org_field(request.user, roles.EDIT_WORK, _("Organisation")), **form_class.base_fields}
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            obj = service(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(redirect_to(obj))
    return render(request, "resources/form.html", {"title": title, "form": form})


@login_required
def resource_new(request):
    return _create_view(request, form_class=ResourceForm, title=_("Offer a resource"), service=services.resource_create,
                        redirect_to=lambda r: reverse("resources:resource_detail", args=[r.pk]))


@login_required
def need_new(request):
    return _create_view(request, form_class=NeedForm, title=_("Raise a need"), service=services.need_create,
                        redirect_to=lambda n: reverse("resources:need_detail", args=[n.pk]))


@login_required
def partner_new(request):
    return _create_view(request, form_class=PartnerForm, title=_("Register a partner unit"),
                        service=services.partner_create,
                        redirect_to=lambda p: reverse("resources:partner_detail", args=[p.pk]))


# ------------------------------------------------------------------ details


class ProjectForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Project title"), max_length=100)
    resources = forms.ModelMultipleChoiceField(label=gettext_lazy("Resources"), queryset=None,
                                               widget=forms.CheckboxSelectMultiple)
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), required=False, widget=DateInput)


@login_required
def need_detail(request, pk):
    obj = get_scoped_or_404(Need.objects.select_related("org", "appeal"), request.user, roles.VIEW_WORK, pk=pk)
    suggestions = selectors.suggest_resources(obj)
    can_edit = org_in_scope(request.user, roles.EDIT_WORK, obj.org)
    form = None
    if can_edit:
        form = ProjectForm(request.POST or None, initial={"title": obj.title, "resources": [s.resource.pk for s in suggestions[:1]]})
        form.fields["resources"].queryset = selectors.resources_for(request.user)
        form.fields["resources"].choices = [
            (s.resource.pk, _("%(title)s (%(org)s)") % {"title": s.resource.title, "org": s.resource.org.name})
            for s in suggestions]
        if request.method == "POST" and form.is_valid():
            try:
                project = services.project_create(by=request.user, need=obj, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("resources:project_detail", project.pk)
    return render(request, "resources/need_detail.html", {
        "need": obj, "suggestions": suggestions, "form": form, "projects": obj.projects.all(),
    })


@login_required
@require_POST
def need_from_appeal(request, appeal_id):
    """The appeal page links here: one action turns an appeal into a need (named by id, never by code)."""
    appeal = appeal_by_id(request.user, appeal_id, roles.EDIT_WORK)
    existing = Need.objects.filter(appeal=appeal).first()
    if existing is None:
        try:
            existing = services.need_from_appeal(by=request.user, appeal=appeal)
        except ValidationError as exc:
            return render(request, "resources/form.html", {"title": _("Turn the appeal into a need"),
                                                          "intro": " ".join(exc.messages), "form": forms.Form()}, status=400)
    return redirect("resources:need_detail", existing.pk)


class BookingForm(forms.Form):
    org = ScopedOrgField(label=gettext_lazy("Booked for"), queryset=None)
    starts_at = forms.DateTimeField(label=gettext_lazy("Starts at"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=gettext_lazy("Ends at"), widget=DateTimeInput)
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=200)


@login_required
def resource_detail(request, pk):
    # Resources offered from above the user's scope are visible too: not a plain scoped lookup.
    resource = selectors.resources_for(request.user).filter(pk=pk).first()
    if resource is None:
        raise Http404
    form = None
    if resource.bookable and has_capability(request.user, roles.EDIT_WORK):
        form = BookingForm(request.POST or None)
        form.fields["org"].queryset = visible_orgs(request.user, roles.EDIT_WORK).order_by("path")
        if request.method == "POST" and form.is_valid():
            try:
                services.booking_create(by=request.user, resource=resource, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("resources:resource_detail", resource.pk)
    upcoming = resource.bookings.filter(cancelled=False, ends_at__gte=timezone.now()).select_related("org")
    return render(request, "resources/resource_detail.html", {"resource": resource, "form": form, "bookings": upcoming})


@login_required
@require_POST
def booking_cancel(request, pk):
    booking = get_scoped_or_404(selectors.bookings_for(request.user, roles.EDIT_WORK), request.user, roles.EDIT_WORK, pk=pk)
    services.booking_cancel(by=request.user, booking=booking)
    return redirect("resources:resource_detail", booking.resource_id)


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(label=gettext_lazy("Delivered on"), widget=DateInput)
    description = forms.CharField(label=gettext_lazy("What was delivered"), max_length=300)
    people_served = forms.IntegerField(label=gettext_lazy("People served"), initial=0)


@login_required
def project_detail(request, pk):
    project = get_scoped_or_404(selectors.projects_for(request.user), request.user, roles.VIEW_WORK, pk=pk)
    form = None
    if org_in_scope(request.user, roles.EDIT_WORK, project.org):
        form = DeliveryForm(request.POST or None, initial={"delivered_on": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                services.delivery_record(by=request.user, project=project, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("resources:project_detail", project.pk)
    return render(request, "resources/project_detail.html", {
        "project": project, "form": form, "deliveries": project.deliveries.all(),
        "resources": project.resources.select_related("org"),
    })


class EvaluationForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"))
    score = forms.IntegerField(label=gettext_lazy("Score"))
    comment = forms.CharField(label=gettext_lazy("Comment"), max_length=500, required=False)


@login_required
def partner_detail(request, pk):
    partner = get_scoped_or_404(selectors.partners_for(request.user), request.user, roles.VIEW_WORK, pk=pk)
    form = None
    if org_in_scope(request.user, roles.EDIT_WORK, partner.org):
        form = EvaluationForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
        if request.method == "POST" and form.is_valid():
            try:
                services.evaluation_record(by=request.user, partner=partner, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("resources:partner_detail", partner.pk)
    return render(request, "resources/partner_detail.html", {
        "partner": partner, "form": form, "evaluations": partner.evaluations.all(),
        "resources": partner.resources.all(),
    })
