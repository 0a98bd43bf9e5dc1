from django.urls import path

from dangjian.dues import views

app_name = "dues"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("generate/", views.generate, name="generate"),
    path("due/<int:pk>/pay/", views.pay, name="pay"),
    path("due/<int:pk>/", views.due_detail, name="due"),
    path("remittance/<int:pk>/void/", views.remittance_void, name="remittance_void"),
    path("batch/", views.batch, name="batch"),
    path("import/", views.import_payments, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("arrears/", views.arrears, name="arrears"),
    path("summary/", views.summary, name="summary"),
    path("bases/", views.bases, name="bases"),
    path("bases/<int:member_pk>/", views.base_edit, name="base_edit"),
    path("mine/", views.mine, name="mine"),
    path("rules/", views.rules_edit, name="rules"),
    path("reductions/", views.reductions, name="reductions"),
    path("reductions/new/<int:member_pk>/", views.reduction_new, name="reduction_new"),
    path("reductions/<int:pk>/decide/", views.reduction_decide, name="reduction_decide"),
]
