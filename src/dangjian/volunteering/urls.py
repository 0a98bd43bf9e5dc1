from django.urls import path

from dangjian.volunteering import views

app_name = "volunteering"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_new, name="new"),
    path("hours/", views.hours, name="hours"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/signup/", views.signup, name="signup"),
]
