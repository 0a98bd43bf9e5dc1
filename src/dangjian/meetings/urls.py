from django.urls import path

from dangjian.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/hold/", views.meeting_hold, name="hold"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/correct/", views.meeting_correct, name="correct"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("compliance/", views.compliance_view, name="compliance"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("life/", views.life_view, name="life"),
    path("members/<int:pk>/", views.member_history, name="member"),
    path("appraisals/", views.appraisal_list, name="appraisals"),
    path("appraisals/new/", views.appraisal_new, name="appraisal_new"),
    path("appraisals/unqualified/", views.unqualified_list, name="unqualified"),
    path("appraisals/<int:pk>/followup/", views.unqualified_followup, name="unqualified_followup"),
    path("lapsed/", views.lapsed_view, name="lapsed"),
    path("members/<int:pk>/good-reason/", views.good_reason_new, name="good_reason"),
    path("rules/", views.rules_view, name="rules"),
    path("talks/", views.talks_view, name="talks"),
]
