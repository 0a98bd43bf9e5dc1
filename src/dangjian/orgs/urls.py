from django.urls import path

from dangjian.orgs import views

app_name = "orgs"
urlpatterns = [
    path("members/", views.member_list, name="member_list"),
]
