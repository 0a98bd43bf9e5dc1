from django.urls import path

from dangjian.imports import views

app_name = "imports"
urlpatterns = [
    path("roster/", views.roster_import, name="roster_import"),
]
