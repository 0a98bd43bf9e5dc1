from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts import roles
from dangjian.accounts.models import User
from dangjian.core.forms import apply_errors
from dangjian.core.http import require_capability
from dangjian.core.scoping import org_in_scope, scope_q, visible_orgs
from dangjian.grids import selectors, services
from dangjian.grids.forms import (
    GridCorrectForm,
    GridForm,
    GridStatusForm,
    HouseholdCorrectForm,
    HouseholdErrorForm,
    HouseholdForm,
    HouseholdMoveForm,
    HouseholdVisitForm,
    LinkEndForm,
    LinkForm,
    MemberVisitForm,
    PlanForm,
    ResidentCorrectForm,
    ResidentErrorForm,
    ResidentForm,
    StaffForm,
    StaffRemoveForm,
)
from dangjian.grids.models import Grid, GridConfig, GridStaff, Household, Resident
from dangjian.orgs.models import Org


def _can_edit(user, grid: Grid) -> bool:
    return Grid.objects.filter(scope_q(user, roles.EDIT_WORK, path_field="org__path", through={"grid": "pk"}),
                               pk=grid.pk).exists()


@login_required
def grid_list(request):
    require_capability(request.user, roles.VIEW_WORK, through=("grid",))
    orgs = [o for o in visible_orgs(request.user, roles.EDIT_WORK).filter(kind__in=services.GRID_ORG_KINDS).order_by("path")
            if org_in_scope(request.user, roles.EDIT_WORK, o)]
    orgs = Org.objects.filter(pk__in=[o.pk for o in orgs]).order_by("path")
    form = GridForm(request.POST or None, orgs=orgs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                grid = services.grid_create(by=request.user, **form.cleaned_data)
                return redirect("grids:detail", pk=grid.pk)
            except ValidationError as exc:
                apply_errors(form, exc)
        status = 400
    grids = selectors.grids_for(request.user).order_by("org__path", "code")
    return render(request, "grids/grid_list.html", {"grids": grids, "form": form, "can_create": orgs.exists()},
                  status=status)


def _grid_forms(grid, data=None, which=None):
    members = selectors.linkable_members(grid)
    households = grid.households.in_use().order_by("address")

    def bound(name):
        return data if which == name else None

    return {
        "household_form": HouseholdForm(bound("household")),
        "link_form": LinkForm(bound("link"), members=members, households=households),
        "visit_form": HouseholdVisitForm(bound("visit"), households=households, members=members,
                                         initial={"visited_on": timezone.localdate()}),
        "staff_form": StaffForm(bound("staff")),
        "unpost_form": StaffRemoveForm(bound("unpost"), posts=grid.staff.select_related("user").order_by("pk")),
        "deactivate_form": GridStatusForm(bound("deactivate"), prefix="deactivate"),
        "reactivate_form": GridStatusForm(bound("reactivate"), prefix="reactivate"),
        "correct_form": GridCorrectForm(bound("correct"), initial={
            "name": grid.name, "code": grid.code, "keywords": grid.keywords}),
    }


def _render_grid(request, grid, forms, status=200):
    context = {"grid": grid, **selectors.grid_overview(request.user, grid), **forms,
               "can_edit": _can_edit(request.user, grid), "cap": GridConfig.current().households_per_member,
               "can_manage": org_in_scope(request.user, roles.EDIT_WORK, grid.org),
               "changes": grid.changes.select_related("by"),
               # A deactivated grid takes no additions; a refused one still shows its message.
               "show_add_forms": grid.is_active or any(
                   forms[k].is_bound for k in ("household_form", "link_form", "visit_form", "staff_form"))}
    if org_in_scope(request.user, roles.VIEW_AUDIT, grid.org):
        context["households_in_error"] = selectors.households_in_error(request.user).filter(grid=grid)
    return render(request, "grids/grid_detail.html", context, status=status)


@login_required
def grid_detail(request, pk):
    grid = selectors.grid_get(request.user, pk)
    return _render_grid(request, grid, _grid_forms(grid))


@login_required
@require_POST
def grid_action(request, pk, which):
    grid = selectors.grid_get(request.user, pk, roles.EDIT_WORK)
    forms = _grid_forms(grid, request.POST, which)
    form = forms.get(f"{which}_form")
    if form is None:
        raise Http404
    if form.is_valid():
        d = form.cleaned_data
        try:
            if which == "household":
                services.household_create(by=request.user, grid=grid, address=d["address"], head_name=d["head_name"],
                                          phone=d["phone"], size=d["size"], note=d["note"])
            elif which == "staff":
                user = User.objects.filter(username=d["username"], is_active=True).first()
                if user is None:
                    raise ValidationError({"username": _("There is no such user")})
                services.grid_staff_set(by=request.user, grid=grid, user=user, role=d["role"])
            elif which == "link":
                services.household_link(by=request.user, member=d["member"], household=d["household"])
            elif which == "visit":
                services.visit_record(by=request.user, household=d["household"], visitor=d["visitor"],
                                      visited_on=d["visited_on"], summary=d["summary"])
            elif which == "unpost":
                services.grid_staff_remove(by=request.user, post=d["post"], reason=d["reason"])
                messages.success(request, _("The worker was taken off the grid; the post is kept in the grid's changes."))
            elif which == "correct":
                services.grid_correct(by=request.user, grid=grid, reason=d["reason"], name=d["name"], code=d["code"],
                                      keywords=d["keywords"])
                messages.success(request, _("The grid was corrected; the earlier values are kept."))
            elif which == "deactivate":
                services.grid_deactivate(by=request.user, grid=grid, reason=d["reason"])
                messages.success(request, _("The grid is deactivated."))
            else:
                services.grid_reactivate(by=request.user, grid=grid, reason=d["reason"])
                messages.success(request, _("The grid is in use again."))
            return redirect("grids:detail", pk=grid.pk)
        except (Grid.DoesNotExist, GridStaff.DoesNotExist, Household.DoesNotExist, Org.DoesNotExist) as exc:
            raise Http404 from exc
        except ValidationError as exc:
            apply_errors(form, exc)
    return _render_grid(request, grid, forms, status=400)


# The household page's forms, by the last part of the URL they post to.
HOUSEHOLD_FORMS = {
    "correct": "correct_form", "move": "move_form", "entered-in-error": "error_form",
    "resident": "resident_form", "resident-correct": "resident_correct_form",
    "resident-entered-in-error": "resident_error_form", "unlink": "unlink_form",
}


def _household_forms(user, household: Household, data=None, which=None) -> dict:
    def bound(name):
        return data if which == name else None

    others = selectors.residents_but_head(household)
    return {
        "correct_form": HouseholdCorrectForm(bound("correct"), initial={
            "address": household.address, "size": household.size, "note": household.note}),
        "move_form": HouseholdMoveForm(bound("move"), grids=selectors.move_targets(user, household)),
        "error_form": HouseholdErrorForm(bound("entered-in-error")),
        "resident_form": ResidentForm(bound("resident")),
        "resident_correct_form": ResidentCorrectForm(bound("resident-correct"), residents=others),
        "resident_error_form": ResidentErrorForm(bound("resident-entered-in-error"), residents=others),
        "unlink_form": LinkEndForm(bound("unlink"), initial={"ended_on": timezone.localdate()},
                                   links=household.links.filter(ended_on__isnull=True).select_related("member")),
    }


def _household_context(request, household: Household, forms: dict | None = None) -> dict:
    user = request.user
    context = {"household": household, **selectors.household_history(household),
               "can_reveal": household.entered_in_error_at is None and org_in_scope(user, roles.REVEAL, household.grid.org)}
    if household.entered_in_error_at is None and _can_edit(user, household.grid):
        context.update({
            **(forms or _household_forms(user, household)),
            "error_window_open": services.household_error_window_open(household),
            "error_days": services.entered_in_error_days(),
            "references": services.household_references(household),
        })
    return context


@login_required
def household_detail(request, pk):
    household = selectors.household_page_get(request.user, pk)
    return render(request, "grids/household_detail.html", _household_context(request, household))


def _household_write(request, household: Household, which: str, form) -> tuple[str, str]:
    """Run the posted form's service: (the message to show, where to go next)."""
    d, by = form.cleaned_data, request.user
    page = reverse("grids:household", args=[household.pk])
    if which == "correct":
        services.household_correct(by=by, household=household, reason=d["reason"], **form.changes())
        return _("The household was corrected; the earlier version is kept."), page
    if which == "move":
        services.household_move(by=by, household=household, grid=d["grid"], reason=d["reason"])
        return _("The household was moved to %(grid)s.") % {"grid": d["grid"].name}, page
    if which == "entered-in-error":
        services.household_mark_entered_in_error(by=by, household=household, reason=d["reason"])
        return (_("The household is marked as entered in error; it is kept for the auditors."),
                reverse("grids:detail", args=[household.grid_id]))
    if which == "resident":
        services.resident_create(by=by, household=household, name=d["name"], phone=d["phone"])
        return _("The resident was added."), page
    if which == "resident-correct":
        services.resident_correct(by=by, resident=d["resident"], reason=d["reason"], **form.changes())
        return _("The resident was corrected; the earlier version is kept."), page
    if which == "resident-entered-in-error":
        services.resident_mark_entered_in_error(by=by, resident=d["resident"], reason=d["reason"])
        return _("The resident was removed as entered in error; the earlier version is kept."), page
    services.household_unlink(by=by, link=d["link"], on=d["ended_on"], reason=d["reason"])
    return _("The link was ended; it is kept with the reason."), page


@login_required
@require_POST
def household_action(request, pk, which):
    """A form of the household page: on success back to the page, else the page with the errors (400)."""
    household = selectors.household_get(request.user, pk, roles.EDIT_WORK)
    if which not in HOUSEHOLD_FORMS:
        raise Http404
    forms = _household_forms(request.user, household, request.POST, which)
    form = forms[HOUSEHOLD_FORMS[which]]
    if form.is_valid():
        try:
            message, url = _household_write(request, household, which, form)
            messages.success(request, message)
            return redirect(url)
        except (Grid.DoesNotExist, Household.DoesNotExist, Resident.DoesNotExist, Org.DoesNotExist) as exc:
            raise Http404 from exc
        except ValidationError as exc:
            apply_errors(form, exc)
    return render(request, "grids/household_detail.html", _household_context(request, household, forms),
                  status=400)


@login_required
@require_POST
def household_reveal(request, pk, field):
    household = selectors.household_get(request.user, pk)
    if field not in ("head_name", "phone"):
        raise Http404
    try:
        value = services.household_reveal(by=request.user, household=household, field=field)
    except Org.DoesNotExist as exc:
        raise Http404 from exc
    return HttpResponse(f'<span class="sensitive">{escape(value)}</span>')


@login_required
def plan_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    orgs = visible_orgs(request.user, roles.EDIT_WORK).order_by("path")
    form = PlanForm(request.POST or None, orgs=orgs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                plan = services.service_plan_create(by=request.user, **form.cleaned_data)
                return redirect("grids:plan_detail", pk=plan.pk)
            except ValidationError as exc:
                apply_errors(form, exc)
        status = 400
    plans = selectors.plans_for(request.user).order_by("-starts_on", "org__path")
    return render(request, "grids/plan_list.html", {"plans": plans, "form": form, "can_create": orgs.exists()},
                  status=status)


@login_required
def plan_detail(request, pk):
    plan = selectors.plan_get(request.user, pk)
    form = MemberVisitForm(request.POST or None, members=selectors.plan_targets(plan),
                           initial={"visited_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        selectors.plan_get(request.user, pk, roles.EDIT_WORK)
        if form.is_valid():
            try:
                services.visit_record(by=request.user, member=form.cleaned_data["member"], plan=plan,
                                      visited_on=form.cleaned_data["visited_on"], summary=form.cleaned_data["summary"])
                return redirect("grids:plan_detail", pk=plan.pk)
            except ValidationError as exc:
                apply_errors(form, exc)
        status = 400
    rows = selectors.plan_progress(plan)
    return render(request, "grids/plan_detail.html", {
        "plan": plan, "rows": rows, "form": form, "done": sum(r.complete for r in rows),
        "visits": plan.visits.select_related("member").order_by("-visited_on")[:50],
    }, status=status)

