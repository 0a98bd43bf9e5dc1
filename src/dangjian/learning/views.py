"""Case library, study and reflections pages. Thin: validate, fetch scoped, call a service."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from dangjian.accounts import roles
from dangjian.core.forms import DateInput, apply_errors
from dangjian.core.http import require_capability
from dangjian.core.listing import list_page, org_field
from dangjian.core.scoping import get_scoped_or_404, has_capability, org_in_scope, visible_orgs
from dangjian.learning import selectors, services
from dangjian.learning.models import (
    Case,
    Dimension,
    LinkType,
    Reflection,
    Source,
    StudyRecord,
)
from dangjian.orgs.models import Member, Status


def _nav():
    return [
        (reverse("learning:case_list"), _("Experience library")), (reverse("learning:plan_list"), _("Study plans")),
        (reverse("learning:material_list"), _("Materials")), (reverse("learning:record_list"), _("Study records")),
        (reverse("learning:summary"), _("Study summary")), (reverse("learning:reflection_list"), _("Reflections")),
        (reverse("learning:source_list"), _("Registered sources")),
    ]


def _form_page(request, form, title, save, done, intro=""):
    """Run `save(cleaned_data)` on a valid POST; service errors go back into the form."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(done(obj))
    return render(request, "resources/form.html", {"title": title, "form": form, "intro": intro})


def _with_org(form, user):
    form.fields = {"org": org_field(user, roles.EDIT_WORK, _("Organisation")), **form.fields}
    return form


# ------------------------------------------------------------------ cases


@login_required
def case_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    qs = selectors.case_search(request.user, request.GET.get("q", ""), tag=request.GET.get("tag", ""),
                               recommended=request.GET.get("recommended") == "1")
    actions = [(reverse("learning:case_new"), _("Write a case"))] if has_capability(request.user, roles.EDIT_WORK) else []
    return list_page(
        request, title=_("Experience and lessons"), qs=qs, filename="cases", nav=_nav(), actions=actions,
        searchable=True, headers=[pgettext("learning", "Title"), _("Kind"), _("Organisation"), _("Dimension"), _("Tags"), _("Recommended")],
        cells=lambda c: [c.title, c.get_kind_display(), c.org.name, c.get_dimension_display(), c.tags,
                         c.recommended_org.name if c.recommended_org else (_("yes") if c.recommended_at else "")],
        url=lambda c: reverse("learning:case_detail", args=[c.pk]),
    )


class CaseForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("learning", "Title"), max_length=120)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Case.Kind.choices)
    dimension = forms.ChoiceField(label=gettext_lazy("Dimension"), choices=Dimension.choices)
    practice = forms.CharField(label=gettext_lazy("What was done"), widget=forms.Textarea(attrs={"rows": 5}))
    results = forms.CharField(label=gettext_lazy("Results"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lessons = forms.CharField(label=gettext_lazy("Lessons"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    tags = forms.CharField(label=gettext_lazy("Tags"), required=False, help_text=gettext_lazy("Separated by spaces"))
    link_type = forms.ChoiceField(label=gettext_lazy("Came from"), choices=LinkType.choices, required=False)
    link_id = forms.IntegerField(label=gettext_lazy("Record number"), required=False, min_value=1)


@login_required
def case_new(request):
    require_capability(request.user, roles.EDIT_WORK)
    form = _with_org(CaseForm(request.POST or None), request.user)
    return _form_page(request, form, _("Write a case"), lambda d: services.case_create(by=request.user, **d),
                      lambda c: reverse("learning:case_detail", args=[c.pk]))


@login_required
def case_detail(request, pk):
    case = get_scoped_or_404(Case.objects.select_related("org", "recommended_org"), request.user, roles.VIEW_WORK, pk=pk)
    errors = []
    if request.method == "POST":
        try:
            services.case_recommend(by=request.user, case=case, note=request.POST.get("note", ""))
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect("learning:case_detail", case.pk)
    can_recommend = org_in_scope(request.user, roles.ASSESS, case.org) and not case.recommended_at
    return render(request, "learning/case_detail.html", {"case": case, "errors": errors, "can_recommend": can_recommend})


# ------------------------------------------------------------------ study


class PlanForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("learning", "Title"), max_length=120)
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), widget=DateInput)
    description = forms.CharField(label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


@login_required
def plan_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    actions = [(reverse("learning:plan_new"), _("New study plan"))] if has_capability(request.user, roles.EDIT_WORK) else []
    return list_page(
        request, title=_("Study plans"), qs=selectors.plans_for(request.user), filename="study-plans", nav=_nav(),
        actions=actions, headers=[pgettext("learning", "Title"), _("Organisation"), _("Starts on"), _("Ends on")],
        cells=lambda p: [p.title, p.org.name, p.starts_on, p.ends_on],
        url=lambda p: reverse("learning:material_list") + f"?plan={p.pk}",
    )


@login_required
def plan_new(request):
    require_capability(request.user, roles.EDIT_WORK)
    form = _with_org(PlanForm(request.POST or None), request.user)
    return _form_page(request, form, _("New study plan"), lambda d: services.plan_create(by=request.user, **d),
                      lambda p: reverse("learning:plan_list"))


class MaterialForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("learning", "Title"), max_length=120)
    plan = forms.ModelChoiceField(label=gettext_lazy("Study plan"), queryset=None, required=False)
    url = forms.URLField(label=gettext_lazy("Link"), required=False, assume_scheme="https")
    body = forms.CharField(label=gettext_lazy("Text"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    minutes = forms.IntegerField(label=gettext_lazy("Suggested minutes"), initial=30)


@login_required
def material_list(request):
    qs = selectors.materials_for(request.user)
    if not has_capability(request.user, roles.VIEW_WORK) and getattr(request.user, "member", None) is None:
        raise Http404
    if request.GET.get("plan", "").isdigit():
        qs = qs.filter(plan_id=int(request.GET["plan"]))
    actions = [(reverse("learning:material_new"), _("Add material"))] if has_capability(request.user, roles.EDIT_WORK) else []
    actions += [(reverse("learning:record_new"), _("Record study")), (reverse("learning:reflection_new"), _("Write a reflection"))]
    return list_page(
        request, title=_("Study materials"), qs=qs, filename="materials", nav=_nav(), actions=actions,
        headers=[pgettext("learning", "Title"), _("Organisation"), _("Study plan"), _("Suggested minutes"), _("Link")],
        cells=lambda m: [m.title, m.org.name, m.plan.title if m.plan else "", m.minutes, m.url],
    )


@login_required
def material_new(request):
    require_capability(request.user, roles.EDIT_WORK)
    form = _with_org(MaterialForm(request.POST or None), request.user)
    form.fields["plan"].queryset = selectors.plans_for(request.user, roles.EDIT_WORK)
    return _form_page(request, form, _("Add material"), lambda d: services.material_create(by=request.user, **d),
                      lambda m: reverse("learning:material_list"))


class RecordForm(forms.Form):
    member = forms.ModelChoiceField(label=gettext_lazy("Member"), queryset=None)
    material = forms.ModelChoiceField(label=gettext_lazy("Material"), queryset=None, required=False)
    mode = forms.ChoiceField(label=gettext_lazy("Mode"), choices=StudyRecord.Mode.choices)
    studied_on = forms.DateField(label=gettext_lazy("Studied on"), widget=DateInput)
    minutes = forms.IntegerField(label=pgettext_lazy("study time", "Minutes studied"))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


def _members_for(user):
    own = Member.objects.filter(pk=user.member.pk) if getattr(user, "member", None) else Member.objects.none()
    orgs = visible_orgs(user, roles.EDIT_WORK)
    return (Member.objects.filter(org__in=orgs, status=Status.ACTIVE) | own).select_related("org").order_by("org__path", "name")


def _for_whom(user, form):
    """A member recording their own work is not asked who they are: the member field goes, and the
    record is theirs (returned). Someone who records for others picks, their own name offered first."""
    members = _members_for(user)
    own = getattr(user, "member", None)
    if own is not None and not has_capability(user, roles.EDIT_WORK):
        del form.fields["member"]
        return own
    form.fields["member"].queryset = members
    if not members.exists():
        raise Http404
    return None


@login_required
def record_list(request):
    if not has_capability(request.user, roles.VIEW_WORK) and getattr(request.user, "member", None) is None:
        raise Http404
    return list_page(
        request, title=_("Study records"), qs=selectors.records_for(request.user), filename="study-records", nav=_nav(),
        actions=[(reverse("learning:record_new"), _("Record study"))],
        headers=[_("Member"), _("Organisation"), _("Material"), _("Mode"), _("Studied on"), _("Minutes")],
        cells=lambda r: [r.member.name, r.org.name, r.material.title if r.material else r.note, r.get_mode_display(),
                         r.studied_on, r.minutes],
    )


@login_required
def record_new(request):
    form = RecordForm(request.POST or None, initial={"studied_on": timezone.localdate(),
                                                      "member": getattr(request.user, "member", None)})
    own = _for_whom(request.user, form)
    form.fields["material"].queryset = selectors.materials_for(request.user)
    return _form_page(request, form, _("Record study"),
                      lambda d: services.study_record(by=request.user, **{"member": own, **d}),
                      lambda r: reverse("learning:record_list"))


@login_required
def summary(request):
    require_capability(request.user, roles.VIEW_WORK)
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    data = selectors.study_summary(request.user, start=start, end=today)
    return render(request, "learning/summary.html", {**data, "start": start, "end": today, "nav": _nav()})


# ------------------------------------------------------------------ reflections


@login_required
def reflection_list(request):
    if not has_capability(request.user, roles.VIEW_WORK) and getattr(request.user, "member", None) is None:
        raise Http404
    qs = selectors.reflections_for(request.user)
    if request.GET.get("verdict") in Reflection.Verdict.values:
        qs = qs.filter(verdict=request.GET["verdict"])
    return list_page(
        request, title=_("Study reflections"), qs=qs, filename="reflections", nav=_nav(),
        actions=[(reverse("learning:reflection_new"), _("Write a reflection"))],
        headers=[pgettext("learning", "Title"), _("Member"), _("Organisation"), _("Submitted"), _("Originality"), _("Highest overlap")],
        cells=lambda r: [r.title, r.member.name, r.org.name, r.created_at, r.get_verdict_display(), f"{r.score:.0%}"],
        url=lambda r: reverse("learning:reflection_detail", args=[r.pk]),
    )


class ReflectionForm(forms.Form):
    member = forms.ModelChoiceField(label=gettext_lazy("Member"), queryset=None)
    material = forms.ModelChoiceField(label=gettext_lazy("Material"), queryset=None, required=False)
    title = forms.CharField(label=pgettext_lazy("learning", "Title"), max_length=120)
    # Not required here: the service explains an empty reflection in its own words.
    body = forms.CharField(label=gettext_lazy("Reflection"), required=False, widget=forms.Textarea(attrs={"rows": 12}))


@login_required
def reflection_new(request):
    form = ReflectionForm(request.POST or None, initial={"member": getattr(request.user, "member", None)})
    own = _for_whom(request.user, form)
    form.fields["material"].queryset = selectors.materials_for(request.user)
    return _form_page(request, form, _("Write a reflection"),
                      lambda d: services.reflection_submit(by=request.user, **{"member": own, **d}),
                      lambda r: reverse("learning:reflection_detail", args=[r.pk]),
                      intro=_("Every reflection is compared with the others and with registered sources."))


@login_required
def reflection_detail(request, pk):
    # In scope, or the member's own: reflections_for holds both.
    reflection = selectors.reflections_for(request.user).filter(pk=pk).first()
    if reflection is None:
        raise Http404
    can_review = org_in_scope(request.user, roles.EDIT_WORK, reflection.org)
    errors = []
    if request.method == "POST" and can_review:
        try:
            services.reflection_clear(by=request.user, reflection=reflection, note=request.POST.get("note", ""))
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect("learning:reflection_detail", reflection.pk)
    matches = list(reflection.matches.select_related("other_org"))
    for m in matches:
        # Another organisation's reflection is shown by its passages only, never its author.
        m.visible_org = m.other_org.name if m.other_org and org_in_scope(request.user, roles.VIEW_WORK, m.other_org) else ""
    return render(request, "learning/reflection_detail.html", {
        "reflection": reflection, "matches": matches, "can_review": can_review, "errors": errors,
    })


@login_required
def source_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    actions = [(reverse("learning:source_new"), _("Register a source"))] if has_capability(request.user, roles.ASSESS) else []
    return list_page(
        request, title=_("Registered sources"), qs=Source.objects.all(), filename="sources", nav=_nav(),
        actions=actions, headers=[pgettext("learning", "Title"), _("Characters"), _("Registered")],
        cells=lambda s: [s.title, len(s.body), s.created_at],
    )


class SourceForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("learning", "Title"), max_length=200)
    body = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 12}))


@login_required
def source_new(request):
    require_capability(request.user, roles.ASSESS)
    return _form_page(request, SourceForm(request.POST or None), _("Register a source"),
                      lambda d: services.source_register(by=request.user, **d), lambda s: reverse("learning:source_list"))

