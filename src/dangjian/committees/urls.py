from django.urls import path

from dangjian.committees import views

app_name = "committees"
urlpatterns = [
    path("", views.org_list, name="list"),
    path("orgs/<int:pk>/", views.org_detail, name="org"),
    path("orgs/<int:pk>/new-term/", views.term_new, name="term_new"),
    path("terms/<int:pk>/correct/", views.term_correct, name="term_correct"),
    path("rules/", views.rules_view, name="rules"),
]
