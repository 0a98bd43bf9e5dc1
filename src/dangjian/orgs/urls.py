from django.urls import path

from dangjian.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.org_index, name="org_index"),
    path("<int:pk>/", views.org_detail, name="org_detail"),
    path("<int:pk>/children/", views.tree_children, name="tree_children"),
    path("<int:pk>/new/", views.org_create, name="org_create"),
    path("<int:pk>/edit/", views.org_edit, name="org_edit"),
    path("<int:pk>/move/", views.org_move, name="org_move"),
    path("branches/options/", views.branch_options, name="branch_options"),
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/status/", views.member_status, name="member_status"),
    path("members/<int:pk>/entered-in-error/", views.member_entered_in_error, name="member_entered_in_error"),
    path("members/<int:pk>/reveal/<str:field>/", views.member_reveal, name="member_reveal"),
    path("members/<int:pk>/transfer/", views.transfer_request, name="transfer_request"),
    path("transfers/", views.transfer_inbox, name="transfer_inbox"),
    path("transfers/<int:pk>/decide/", views.transfer_decide, name="transfer_decide"),
]
