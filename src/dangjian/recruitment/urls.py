from django.urls import path

from dangjian.recruitment import views

app_name = "recruitment"
urlpatterns = [
    path("", views.applicant_list, name="list"),
    path("new/", views.applicant_create, name="create"),
    path("<int:pk>/", views.applicant_detail, name="detail"),
    path("<int:pk>/edit/", views.applicant_edit, name="edit"),
    path("<int:pk>/step/", views.step_record, name="step"),
    path("<int:pk>/step/<slug:code>/", views.step_detail, name="step_detail"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/mentors/", views.mentor_add, name="mentor_add"),
    path("<int:pk>/mentors/end/", views.mentor_end, name="mentor_end"),
    path("<int:pk>/reviews/", views.review_add, name="review_add"),
    path("rules/", views.rules_edit, name="rules"),
]
