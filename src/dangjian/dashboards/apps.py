from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dangjian.dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("evaluation", _("Dashboards"), "dashboards:index", capability=caps.VIEW_WORK, order=60)
