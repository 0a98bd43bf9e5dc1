from django.urls import path

from dangjian.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("questionnaires/new/", views.questionnaire_new, name="questionnaire_new"),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire"),
    path("questionnaires/<int:pk>/rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("t/<str:token>/", views.answer, name="answer"),
    path("rounds/<int:pk>/take/", views.take, name="take"),
]
