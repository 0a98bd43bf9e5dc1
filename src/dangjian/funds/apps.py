from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "dangjian.funds"
    verbose_name = _("Activity funds")

    def ready(self):
        from dangjian.funds import metrics
        metrics.register_all()

        from dangjian.accounts import roles as caps
        from dangjian.core import menu, references
        from dangjian.funds import selectors
        menu.register("governance", _("Activity funds"), "funds:list", capability=caps.VIEW_WORK, order=45)
        # The meeting's and the project's pages list the money spent on them (without importing funds).
        references.register_related("meetings.Meeting", "funds", selectors.meeting_spending)
        references.register_related("projects.Project", "funds", selectors.project_spending)
