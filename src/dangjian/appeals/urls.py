from django.urls import path

from dangjian.appeals import views

app_name = "appeals"
urlpatterns = [
    path("", views.appeal_list, name="list"),
    path("submit/", views.submit, name="submit"),
    path("track/", views.track, name="track"),
    path("track/rate/", views.rate, name="rate"),
    path("track/note/", views.add_note, name="note"),
    path("new/", views.appeal_new, name="new"),
    path("metrics/", views.metrics, name="metrics"),
    path("settings/", views.config, name="config"),
    path("declines/", views.declines, name="declines"),
    path("case/<str:code>/", views.appeal_detail, name="detail"),
    path("case/<str:code>/step/", views.appeal_step, name="step"),
    path("case/<str:code>/category/", views.appeal_categorise, name="categorise"),
    path("case/<str:code>/correct/", views.appeal_correct, name="correct"),
    path("case/<str:code>/household/", views.appeal_household, name="household"),
    path("case/<str:code>/merge/", views.appeal_merge, name="merge"),
    path("case/<str:code>/callback/", views.appeal_callback, name="callback"),
    path("case/<str:code>/approve-decline/", views.appeal_approve_decline, name="approve_decline"),
    path("case/<str:code>/reveal/<str:field>/", views.appeal_reveal, name="reveal"),
]
