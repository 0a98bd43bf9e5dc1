from django.urls import path

from dangjian.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("org/<int:pk>/", views.org_overview, name="org"),
    path("org/<int:pk>/indicator/<slug:code>/", views.drill, name="drill"),
    path("org/<int:pk>/report.pdf", views.report, {"fmt": "pdf"}, name="report_pdf"),
    path("org/<int:pk>/report.xlsx", views.report, {"fmt": "xlsx"}, name="report_xlsx"),
    path("compare/", views.compare, name="compare"),
    path("screen/", views.screen, name="screen"),
    path("screen/data/", views.screen_data, name="screen_data"),
    path("export/<slug:page>/<slug:key>.xlsx", views.export, name="export"),
]
