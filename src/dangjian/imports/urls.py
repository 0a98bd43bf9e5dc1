from django.urls import path

from dangjian.imports import views

app_name = "imports"
urlpatterns = [
    path("roster/", views.roster_import, name="roster_import"),
    path("roster/template.xlsx", views.template_xlsx, name="template_xlsx"),
    path("roster/template.csv", views.template_csv, name="template_csv"),
    path("roster/export.xlsx", views.roster_export, name="roster_export"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/retry/", views.job_retry, name="job_retry"),
    path("jobs/<int:pk>/errors.xlsx", views.job_errors, name="job_errors"),
]
