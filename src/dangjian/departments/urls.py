from django.urls import path

from dangjian.departments import views

app_name = "departments"
urlpatterns = [
    path("", views.department_list, name="list"),
    path("<int:pk>/", views.department_detail, name="detail"),
    path("summonses/", views.summons_list, name="summonses"),
    path("summonses/<int:pk>/", views.summons_detail, name="summons"),
    path("summon/<int:appeal_id>/", views.summon, name="summon"),
    path("metrics/", views.metrics, name="metrics"),
]
