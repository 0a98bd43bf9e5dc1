from django.urls import path

from dangjian.grids import views

app_name = "grids"
urlpatterns = [
    path("", views.grid_list, name="list"),
    path("<int:pk>/", views.grid_detail, name="detail"),
    path("<int:pk>/<str:which>/", views.grid_action, name="action"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("households/<int:pk>/reveal/<str:field>/", views.household_reveal, name="household_reveal"),
    path("households/<int:pk>/<str:which>/", views.household_action, name="household_action"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
]
