from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts import roles
from dangjian.core.forms import apply_errors, flash_errors, save_form
from dangjian.core.http import require_capability
from dangjian.core.references import related_work
from dangjian.core.scoping import get_scoped_or_404, has_capability, org_in_scope, visible_orgs
from dangjian.core.xlsx import export_xlsx
from dangjian.projects import selectors, services
from dangjian.projects.forms import (
    DecisionForm,
    MilestoneForm,
    ProgressForm,
    ProjectForm,
    ReportForm,
    SpendingForm,
    TargetForm,
    TaskForm,
)
from dangjian.projects.models import Milestone, Project, Status, Target, Task


def owners_for(org):
    """People who can see the org's work: grants on the org or any ancestor."""
    paths = [org.path[:i] for i in range(4, len(org.path) + 1, 4)]
    return get_user_model().objects.filter(grants__org__path__in=paths, is_active=True).distinct().order_by("username")


@login_required
def project_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    status = request.GET.get("status", "")
    qs = selectors.projects_for(request.user, status=status if status in Status.values else "")
    if request.GET.get("export") == "xlsx":
        rows = ((p.title, p.org.name, p.get_kind_display(), p.get_status_display(), p.starts_on, p.ends_on,
                 float(p.budget), p.acceptance_score) for p in qs.iterator())
        return export_xlsx(by=request.user, what=_("Projects"), filename="projects", rows=rows, headers=[
            _("Title"), _("Organisation"), _("Type"), _("Status"), _("Starts on"), _("Ends on"),
            _("Budget (yuan)"), _("Acceptance score")])
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "projects/list.html", {
        "page": page, "statuses": Status.choices, "status": status,
        "can_edit": has_capability(request.user, roles.EDIT_WORK),
    })


@login_required
def project_new(request):
    require_capability(request.user, roles.EDIT_WORK)
    form = ProjectForm(request.POST or None, orgs=visible_orgs(request.user, roles.EDIT_WORK),
                       partner_orgs=visible_orgs(request.user, roles.VIEW_WORK))
    project = save_form(request, form, lambda d: services.project_create(
        by=request.user, data={k: v for k, v in d.items() if k != "partners"}, partners=d.get("partners") or []))
    if project:
        return redirect("projects:detail", project.pk)
    return render(request, "projects/form.html", {"form": form})


@login_required
def project_edit(request, pk):
    project = get_scoped_or_404(Project.objects.all(), request.user, roles.EDIT_WORK, pk=pk)
    form = ProjectForm(request.POST or None, instance=project)
    if save_form(request, form, lambda d: services.project_update(
            by=request.user, project=Project.objects.get(pk=pk), data=d)):
        return redirect("projects:detail", pk)
    return render(request, "projects/form.html", {"form": form, "project": project})


SUBFORMS = {"target": TargetForm, "milestone": MilestoneForm, "task": TaskForm, "progress": ProgressForm,
            "spending": SpendingForm}


def _subform(name, project, data=None, files=None):
    if name == "task":
        return TaskForm(data, owners=owners_for(project.org), prefix=name)
    return SUBFORMS[name](data, files, prefix=name) if name == "progress" else SUBFORMS[name](data, prefix=name)


def _save_subform(request, project, which, form):
    d = form.cleaned_data
    if which == "target":
        services.target_add(by=request.user, project=project, **d)
    elif which == "milestone":
        services.milestone_add(by=request.user, project=project, **d)
    elif which == "task":
        services.task_add(by=request.user, project=project, **d)
    elif which == "progress":
        services.progress_add(by=request.user, project=project, text=d["text"], file=d.get("file"))
    else:
        services.spending_add(by=request.user, project=project, **d)


@login_required
def project_detail(request, pk):
    project = get_object_or_404(selectors.visible_projects(request.user), pk=pk)
    can_edit = org_in_scope(request.user, roles.EDIT_WORK, project.org)
    can_assess = org_in_scope(request.user, roles.ASSESS, project.org)
    forms = {name: _subform(name, project) for name in SUBFORMS}
    which = request.POST.get("which", "")
    if request.method == "POST" and which in SUBFORMS:
        if not can_edit:
            raise Http404
        form = _subform(which, project, request.POST, request.FILES)
        forms[which] = form
        if form.is_valid():
            try:
                _save_subform(request, project, which, form)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("projects:detail", pk)
    return render(request, "projects/detail.html", {
        "project": project, "progress": selectors.progress_for(project), "forms": forms,
        "milestones": project.milestones.all(), "tasks": project.tasks.select_related("owner"),
        "updates": project.updates.select_related("by")[:50], "spendings": project.spendings.all(),
        "spent": selectors.spent(project), "can_edit": can_edit, "can_assess": can_assess,
        "transitions": _allowed(project, can_edit, can_assess), "decision": DecisionForm(),
        "report_form": ReportForm(), "today": timezone.localdate(),
        "related_work": related_work(project, user=request.user),
    })


def _allowed(project, can_edit, can_assess):
    labels = {"submit": _("Submit for approval"), "approve": _("Approve"), "reject": _("Return the proposal"),
              "request_acceptance": _("Request acceptance"), "accept": _("Accept the project"), "return": _("Return for more work")}
    out = []
    for action, (source, _dest, cap, _c) in services.TRANSITIONS.items():
        if project.status == source and (can_assess if cap == roles.ASSESS else can_edit):
            out.append((action, labels[action]))
    return out


@login_required
@require_POST
def project_transition(request, pk, action):
    project = get_object_or_404(selectors.visible_projects(request.user), pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        services.project_transition(by=request.user, project=project, action=action,
                                    comment=form.cleaned_data.get("comment") or "", score=form.cleaned_data.get("score"))
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Status updated."))
    return redirect("projects:detail", pk)


@login_required
@require_POST
def target_report(request, pk):
    target = get_scoped_or_404(Target.objects.select_related("project__org"), request.user, roles.VIEW_WORK,
                               path_field="project__org__path", pk=pk)
    form = ReportForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"value": _("Enter a number and the evidence.")})
        services.target_report(by=request.user, target=target, **form.cleaned_data)
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("projects:detail", target.project_id)


@login_required
@require_POST
def item_done(request, kind, pk):
    if kind not in ("task", "milestone"):
        raise Http404
    model = Task if kind == "task" else Milestone
    qs = model.objects.select_related("project__org")
    if kind == "task" and qs.filter(pk=pk, owner=request.user).exists():
        item = get_scoped_or_404(qs, request.user, roles.VIEW_WORK, path_field="project__org__path", pk=pk)
    else:
        item = get_scoped_or_404(qs, request.user, roles.EDIT_WORK, path_field="project__org__path", pk=pk)
    try:
        services.item_complete(by=request.user, item=item)
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("projects:detail", item.project_id)
