from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts import roles
from dangjian.core.forms import apply_errors, flash_errors, save_form
from dangjian.core.http import require_capability
from dangjian.core.scoping import (
    get_scoped_or_404,
    has_capability,
    is_superior,
    org_in_scope,
    scoped,
    visible_orgs,
)
from dangjian.core.xlsx import export_xlsx
from dangjian.duty import selectors, services
from dangjian.duty.forms import ItemForm, ListForm, RateForm, TemplateForm
from dangjian.duty.models import DutyItem, DutyList, DutyTemplate


def _year(request):
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


@login_required
def list_view(request):
    require_capability(request.user, roles.VIEW_WORK)
    year = _year(request)
    qs = selectors.lists_for(request.user, year=year)
    if request.GET.get("export") == "xlsx":
        def rows():
            lists = list(qs.prefetch_related("items"))
            values = selectors.bulk_values(lists)
            for dl in lists:
                for s in selectors.list_scores(dl, values=values)[0]:
                    yield (dl.org.name, dl.year, dl.title, s.item.title, s.item.get_kind_display(), s.item.points,
                           s.value, s.score, s.source)
        return export_xlsx(by=request.user, what=_("Responsibility lists"), filename="duty", rows=rows(), headers=[
            _("Organisation"), _("Year"), _("Title"), _("Item"), _("Type"), _("Points"), _("Measured value"), _("Score"), _("Source")])
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "duty/list.html", {
        "page": page, "year": year, "can_edit": has_capability(request.user, roles.EDIT_WORK),
        "can_assess": has_capability(request.user, roles.ASSESS),
    })


@login_required
def list_new(request):
    require_capability(request.user, roles.EDIT_WORK)
    form = ListForm(request.POST or None, orgs=visible_orgs(request.user, roles.EDIT_WORK),
                    initial={"year": timezone.localdate().year})
    dl = save_form(request, form, lambda d: services.duty_list_create(by=request.user, **d))
    if dl:
        return redirect("duty:detail", dl.pk)
    return render(request, "duty/form.html", {"form": form, "heading": _("New responsibility list")})


@login_required
def detail(request, pk):
    dl = get_scoped_or_404(DutyList.objects.select_related("org", "template"), request.user, roles.VIEW_WORK, pk=pk)
    can_edit = org_in_scope(request.user, roles.EDIT_WORK, dl.org)
    can_rate = is_superior(request.user, dl.org, roles.ASSESS)
    form = ItemForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            try:
                services.duty_item_add(by=request.user, duty_list=dl, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("duty:detail", pk)
    scores, total = selectors.list_scores(dl)
    return render(request, "duty/detail.html", {"dl": dl, "scores": scores, "total": total, "form": form,
                                                "can_edit": can_edit, "can_rate": can_rate, "rate_form": RateForm()})


@login_required
@require_POST
def rate(request, pk):
    item = get_scoped_or_404(DutyItem.objects.select_related("duty_list__org"), request.user, roles.VIEW_WORK,
                             path_field="duty_list__org__path", pk=pk)
    form = RateForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"rating": _("Enter a rating and a reason.")})
        services.duty_item_rate(by=request.user, item=item, **form.cleaned_data)
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("duty:detail", item.duty_list_id)


@login_required
def templates_view(request):
    require_capability(request.user, roles.ASSESS)
    qs = scoped(DutyTemplate.objects.select_related("org"), request.user, roles.ASSESS)
    form = TemplateForm(request.POST or None, orgs=visible_orgs(request.user, roles.ASSESS),
                        initial={"year": timezone.localdate().year})
    t = save_form(request, form, lambda d: services.template_create(by=request.user, **d))
    if t:
        return redirect("duty:template", t.pk)
    return render(request, "duty/templates.html", {"templates": qs, "form": form})


@login_required
def template_detail(request, pk):
    t = get_scoped_or_404(DutyTemplate.objects.select_related("org"), request.user, roles.ASSESS, pk=pk)
    form = ItemForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("issue"):
                n = services.template_issue(by=request.user, template=t)
                messages.success(request, _("Issued to %(n)s organisations.") % {"n": n})
                return redirect("duty:template", pk)
            if form.is_valid():
                services.template_item_add(by=request.user, template=t, **form.cleaned_data)
                return redirect("duty:template", pk)
        except ValidationError as exc:
            apply_errors(form, exc)
    return render(request, "duty/template.html", {"t": t, "items": t.items.all(), "form": form,
                                                  "lists": t.lists.select_related("org")})
