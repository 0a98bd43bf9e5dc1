import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.core.forms import apply_errors
from dangjian.core.http import require_capability
from dangjian.core.scoping import get_scoped_or_404, org_in_scope, visible_orgs
from dangjian.departments import selectors, services
from dangjian.departments.forms import (
    AnswerForm,
    ContactForm,
    DepartmentForm,
    PeriodForm,
    SummonForm,
)
from dangjian.departments.models import Department, Summons
from dangjian.orgs.models import OrgKind

THROUGH = ("department",)


def _street_orgs(user):
    """Where the user may keep departments: their EDIT_WORK subtrees' street-level nodes and above."""
    return visible_orgs(user, roles.EDIT_WORK).filter(kind__in=(OrgKind.STREET_COMMITTEE, OrgKind.COUNTY_COMMITTEE)).order_by("path")


@login_required
def department_list(request):
    require_capability(request.user, roles.VIEW_WORK, through=THROUGH)
    orgs = _street_orgs(request.user)
    form = DepartmentForm(request.POST or None, orgs=orgs)
    status = 200
    if request.method == "POST":
        if not orgs.exists():
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            try:
                dept = services.department_create(by=request.user, org=d["org"], name=d["name"], code=d["code"],
                                                  duties=d["duties"])
                return redirect("departments:detail", pk=dept.pk)
            except Department.DoesNotExist as exc:
                raise Http404 from exc
            except ValidationError as exc:
                apply_errors(form, exc)
        status = 400
    departments = selectors.departments_for(request.user).order_by("org__path", "code")
    return render(request, "departments/list.html", {
        "departments": departments, "form": form if orgs.exists() else None}, status=status)


@login_required
def department_detail(request, pk):
    require_capability(request.user, roles.VIEW_WORK, through=THROUGH)
    dept = get_scoped_or_404(selectors.departments_for(request.user), request.user, roles.VIEW_WORK,
                             through={"department": "pk"}, pk=pk)
    can_edit = org_in_scope(request.user, roles.EDIT_WORK, dept.org)
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            user = None
            if d["username"]:
                user = get_user_model().objects.filter(username=d["username"], is_active=True).first()
                if user is None:
                    form.add_error("username", ValidationError(_no_such_user()))
            if not form.errors:
                try:
                    services.contact_add(by=request.user, department=dept, name=d["name"], title=d["title"],
                                         phone=d["phone"], user=user)
                    return redirect("departments:detail", pk=dept.pk)
                except ValidationError as exc:
                    apply_errors(form, exc)
        status = 400
    summonses = selectors.summonses_for(request.user).filter(department=dept).order_by("-summoned_at")[:50]
    return render(request, "departments/detail.html", {
        "department": dept, "contacts": dept.contacts.select_related("user"), "summonses": summonses,
        "form": form if can_edit else None, "now": timezone.now()}, status=status)


def _no_such_user() -> str:
    return _("No active account has this username")


@login_required
def summon(request, appeal_id):
    """吹哨: summon departments of the case's street; only who may edit the street's work. Staff URLs name a case
    by its id (the tracking code is the resident's secret)."""
    appeal = selectors.appeal_model().objects.select_related("org").filter(pk=appeal_id).first()
    if appeal is None or not org_in_scope(request.user, roles.VIEW_WORK, appeal.org):
        raise Http404
    departments = selectors.departments_for(request.user, roles.EDIT_WORK).filter(is_active=True).filter(
        org__path__in=[appeal.org.path[:n] for n in range(4, len(appeal.org.path) + 1, 4)])
    if not departments.exists():
        raise Http404
    form = SummonForm(request.POST or None, departments=departments, initial={
        "due_at": timezone.localtime() + dt.timedelta(days=3)})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.summons_create(by=request.user, appeal=appeal, department=d["department"],
                                        due_at=d["due_at"], request=d["request"])
                return redirect("departments:summonses")
            except Department.DoesNotExist as exc:
                raise Http404 from exc
            except ValidationError as exc:
                apply_errors(form, exc)
        status = 400
    open_ = selectors.summonses_for(request.user).filter(appeal=appeal)
    return render(request, "departments/summon.html", {"appeal": appeal, "form": form, "summonses": open_},
                  status=status)


@login_required
def summons_list(request):
    require_capability(request.user, roles.VIEW_WORK, through=THROUGH)
    qs = selectors.summonses_for(request.user).order_by("-summoned_at", "-id")
    if request.GET.get("open"):
        qs = qs.filter(answered_at__isnull=True)
    if request.GET.get("overdue"):
        qs = qs.filter(selectors.overdue_q(timezone.now()))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "departments/summonses.html", {"page": page, "now": timezone.now()})


@login_required
def summons_detail(request, pk):
    require_capability(request.user, roles.VIEW_WORK, through=THROUGH)
    summons = get_scoped_or_404(selectors.summonses_for(request.user), request.user, roles.VIEW_WORK,
                                path_field="appeal__org__path", through={"department": "department"}, pk=pk)
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.summons_answer(by=request.user, summons=summons, answer=form.cleaned_data["answer"])
                return redirect("departments:summons", pk=summons.pk)
            except Summons.DoesNotExist as exc:
                raise Http404 from exc
            except ValidationError as exc:
                apply_errors(form, exc)
        status = 400
    can_answer = summons.answered_at is None and summons.department.contacts.filter(user=request.user).exists()
    return render(request, "departments/summons.html", {
        "s": summons, "appeal": summons.appeal, "form": form, "can_answer": can_answer or form.errors,
        "overdue": summons.is_overdue(timezone.now())}, status=status)


@login_required
def metrics(request):
    """Departments and communities side by side, by the same 三率."""
    require_capability(request.user, roles.VIEW_WORK, through=THROUGH)
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start, end = (today.replace(day=1) - dt.timedelta(days=365)).replace(day=1), today
    if form.is_valid():
        start, end = form.cleaned_data["start"] or start, form.cleaned_data["end"] or end
    if end < start:
        start, end = end, start
    data = selectors.side_by_side(request.user, start, end)
    return render(request, "departments/metrics.html", {"form": form, "start": start, "end": end, **data})

