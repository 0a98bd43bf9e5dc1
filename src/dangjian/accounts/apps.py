from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dangjian.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from dangjian.accounts.roles import declare

        declare()

        # Which home page each role opens on (core.home).
        from dangjian.accounts import homes
        homes.declare()

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("system", _("Account and security"), "accounts:security", anyone=True, order=80)
        menu.register("system", _("API documentation"), "api:openapi-view", capability=caps.VIEW_WORK, through=("grid",), order=90)
