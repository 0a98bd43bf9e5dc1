from django.urls import path

from dangjian.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_new, name="new"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/<slug:action>/", views.project_transition, name="transition"),
    path("targets/<int:pk>/report/", views.target_report, name="target_report"),
    path("<slug:kind>/<int:pk>/done/", views.item_done, name="done"),
]
