from django.urls import path

from dangjian.duty import views

app_name = "duty"
urlpatterns = [
    path("", views.list_view, name="list"),
    path("new/", views.list_new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("items/<int:pk>/rate/", views.rate, name="rate"),
    path("templates/", views.templates_view, name="templates"),
    path("templates/<int:pk>/", views.template_detail, name="template"),
]
