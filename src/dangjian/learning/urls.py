from django.urls import path

from dangjian.learning import views

app_name = "learning"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("materials/", views.material_list, name="material_list"),
    path("materials/new/", views.material_new, name="material_new"),
    path("records/", views.record_list, name="record_list"),
    path("records/new/", views.record_new, name="record_new"),
    path("summary/", views.summary, name="summary"),
    path("reflections/", views.reflection_list, name="reflection_list"),
    path("reflections/new/", views.reflection_new, name="reflection_new"),
    path("reflections/<int:pk>/", views.reflection_detail, name="reflection_detail"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/new/", views.source_new, name="source_new"),
]
