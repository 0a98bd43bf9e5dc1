from django.urls import path

from dangjian.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.scheme_list, name="list"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/pdf/", views.assessment_pdf_view, name="pdf"),
]
