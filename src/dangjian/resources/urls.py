from django.urls import path

from dangjian.resources import views

app_name = "resources"
urlpatterns = [
    path("", views.resource_list, name="resource_list"),
    path("new/", views.resource_new, name="resource_new"),
    path("<int:pk>/", views.resource_detail, name="resource_detail"),
    path("needs/", views.need_list, name="need_list"),
    path("needs/new/", views.need_new, name="need_new"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/from-appeal/<int:appeal_id>/", views.need_from_appeal, name="need_from_appeal"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_new, name="partner_new"),
    path("partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("bookings/", views.booking_list, name="booking_list"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
]
