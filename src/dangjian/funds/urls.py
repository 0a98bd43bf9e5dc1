from django.urls import path

from dangjian.funds import views

app_name = "funds"
urlpatterns = [
    path("", views.spending_list, name="list"),
    path("new/", views.spending_new, name="new"),
    path("<int:pk>/", views.spending_detail, name="detail"),
]
