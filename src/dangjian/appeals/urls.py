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
    path("categories/", views.categories, name="categories"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("classifier/", views.classifier_report, name="classifier"),
    # Staff pages name a case by its id: the tracking code is the resident's secret (never in a staff URL).
    path("case/<int:pk>/", views.appeal_detail, name="detail"),
    path("case/<int:pk>/accept/", views.appeal_accept, name="accept"),
    path("case/<int:pk>/finish/", views.appeal_finish, name="finish"),
    path("case/<int:pk>/step/", views.appeal_step, name="step"),
    path("case/<int:pk>/category/", views.appeal_categorise, name="categorise"),
    path("case/<int:pk>/correct/", views.appeal_correct, name="correct"),
    path("case/<int:pk>/reveal/<str:field>/", views.appeal_reveal, name="reveal"),
    path("case/<int:pk>/household/", views.appeal_household, name="household"),
    path("case/<int:pk>/merge/", views.appeal_merge, name="merge"),
    path("case/<int:pk>/callback/", views.appeal_callback, name="callback"),
    path("case/<int:pk>/approve-decline/", views.appeal_approve_decline, name="approve_decline"),
]
