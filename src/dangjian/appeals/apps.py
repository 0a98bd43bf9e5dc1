from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "dangjian.appeals"
    verbose_name = _("Residents' appeals")

    def ready(self):
        from dangjian.appeals import metrics, warning_rules
        metrics.register_all()
        warning_rules.register_all()
        from dangjian.appeals.selectors import appeal_todo
        from dangjian.core import todo

        todo.register(appeal_todo)
