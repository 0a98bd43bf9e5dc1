from django.urls import path

from dangjian.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/otp/", views.login_otp, name="login_otp"),
    path("logout/", views.logout_view, name="logout"),
    path("security/", views.security, name="security"),
    path("security/totp/", views.totp_setup, name="totp_setup"),
    path("security/tokens/new/", views.token_create, name="token_create"),
    path("security/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
