from django.urls import path

from dangjian.evaluation import views, weaklax_views

app_name = "evaluation"
urlpatterns = [
    path("", views.period_list, name="periods"),
    path("periods/<int:pk>/", views.period_detail, name="period"),
    path("periods/<int:pk>/config/", views.period_config, name="config"),
    path("periods/<int:pk>/orgs/<int:org_id>/<slug:code>/", views.drill, name="drill"),
    path("ahp/check/", views.ahp_check, name="ahp_check"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("schemes/", views.scheme_list, name="schemes"),
    path("schemes/<int:pk>/", views.scheme_edit, name="scheme_edit"),
    path("warnings/", views.alert_list, name="alerts"),
    path("warnings/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("rectifications/", views.rect_list, name="rect_list"),
    path("rectifications/<int:pk>/", views.rect_detail, name="rect_detail"),
    path("weak/", weaklax_views.weak_list, name="weak_list"),
    path("weak/decide/", weaklax_views.weak_decide, name="weak_decide"),
    path("weak/settings/", weaklax_views.weak_settings, name="weak_settings"),
    path("weak/<int:pk>/", weaklax_views.weak_detail, name="weak_detail"),
]
