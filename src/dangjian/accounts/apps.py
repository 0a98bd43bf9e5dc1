from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dangjian.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from dangjian.accounts.roles import declare

        declare()
