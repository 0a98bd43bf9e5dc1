from django.urls import path

from dangjian.operations import views

app_name = "operations"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/file/", views.job_file, name="job_file"),
    path("jobs/<int:pk>/retry/", views.job_retry, name="job_retry"),
    path("jobs/start/<slug:kind>/", views.job_start, name="job_start"),
]
