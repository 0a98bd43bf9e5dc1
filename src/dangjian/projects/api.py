"""JSON API for projects: list, detail with live target values, create, transitions."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import pgettext_lazy
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Created

from dangjian.accounts import roles
from dangjian.api.pagination import Page
from dangjian.core.scoping import get_scoped_or_404
from dangjian.orgs.models import Org
from dangjian.projects import selectors, services
from dangjian.projects.models import Project

router = Router(tags=[pgettext_lazy("api tag", "Projects")])


class ProjectOut(Schema):
    id: int
    org_id: int
    kind: str
    title: str
    aim: str
    starts_on: dt.date
    ends_on: dt.date
    budget: Decimal
    status: str
    acceptance_score: int | None


class TargetOut(Schema):
    id: int
    name: str
    metric_code: str
    unit: str
    baseline: Decimal
    target_value: Decimal
    due_on: dt.date
    value: float | None
    percent: int | None


class ProjectDetail(ProjectOut):
    targets: list[TargetOut]
    spent: Decimal


class ProjectIn(Schema):
    org_id: int
    kind: str = "secretary"
    title: str
    aim: str
    starts_on: dt.date
    ends_on: dt.date
    budget: Decimal = Decimal(0)


class TargetIn(Schema):
    name: str
    unit: str
    target_value: Decimal
    due_on: dt.date
    metric_code: str = ""
    baseline: Decimal = Decimal(0)


class TransitionIn(Schema):
    comment: str = ""
    score: int | None = None


def _detail(project: Project) -> dict:
    data = ProjectOut.from_orm(project).dict()
    data["targets"] = [
        {"id": tp.target.pk, "name": tp.target.name, "metric_code": tp.target.metric_code, "unit": tp.target.unit,
         "baseline": tp.target.baseline, "target_value": tp.target.target_value, "due_on": tp.target.due_on,
         "value": tp.value, "percent": tp.percent}
        for tp in selectors.progress_for(project)
    ]
    data["spent"] = selectors.spent(project)
    return data


@router.get("", response=list[ProjectOut])
@paginate(Page)
def list_projects(request, status: str = ""):
    return selectors.projects_for(request.user, status=status)


@router.get("/{int:project_id}", response=ProjectDetail)
def get_project(request, project_id: int):
    return _detail(get_object_or_404(selectors.visible_projects(request.user), pk=project_id))


@router.post("", response={201: ProjectOut})
def create_project(request, payload: ProjectIn):
    org = get_scoped_or_404(Org.objects.all(), request.user, roles.EDIT_WORK, path_field="path", pk=payload.org_id)
    data = payload.dict(exclude={"org_id"}) | {"org": org}
    return Created(201, services.project_create(by=request.user, data=data))


@router.post("/{int:project_id}/targets", response={201: TargetOut})
def add_target(request, project_id: int, payload: TargetIn):
    project = get_scoped_or_404(Project.objects.all(), request.user, roles.EDIT_WORK, pk=project_id)
    target = services.target_add(by=request.user, project=project, **payload.dict())
    tp = selectors.target_progress(target)
    return Created(201, {**TargetIn(**payload.dict()).dict(), "id": target.pk, "value": tp.value, "percent": tp.percent})


@router.post("/{int:project_id}/{action}", response=ProjectOut)
def transition(request, project_id: int, action: str, payload: TransitionIn):
    project = get_object_or_404(selectors.visible_projects(request.user), pk=project_id)
    return services.project_transition(by=request.user, project=project, action=action, **payload.dict())
