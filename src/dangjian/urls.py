from django.urls import include, path

from dangjian.api.root import api
from dangjian.dashboards.home import home
from dangjian.operations import views as operations_views

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("dangjian.accounts.urls")),
    path("audit/", include("dangjian.audit.urls")),
    path("orgs/", include("dangjian.orgs.urls")),
    path("imports/", include("dangjian.imports.urls")),
    path("dues/", include("dangjian.dues.urls")),
    path("recruitment/", include("dangjian.recruitment.urls")),
    path("meetings/", include("dangjian.meetings.urls")),
    path("grids/", include("dangjian.grids.urls")),
    path("appeals/", include("dangjian.appeals.urls")),
    path("departments/", include("dangjian.departments.urls")),
    path("projects/", include("dangjian.projects.urls")),
    path("duty/", include("dangjian.duty.urls")),
    path("surveys/", include("dangjian.surveys.urls")),
    path("assessment/", include("dangjian.assessment.urls")),
    path("resources/", include("dangjian.resources.urls")),
    path("volunteering/", include("dangjian.volunteering.urls")),
    path("funds/", include("dangjian.funds.urls")),
    path("learning/", include("dangjian.learning.urls")),
    path("committees/", include("dangjian.committees.urls")),
    path("evaluation/", include("dangjian.evaluation.urls")),
    path("dashboards/", include("dangjian.dashboards.urls")),
    path("operations/", include("dangjian.operations.urls")),
    path("healthz", operations_views.healthz, name="healthz"),
    path("api/", api.urls),
]

handler500 = "dangjian.core.errors.server_error"
