from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "dangjian.committees"
    verbose_name = _("Committees and terms")

    def ready(self):
        from dangjian.committees import metrics, warning_rules
        metrics.register_all()
        warning_rules.register_all()
        from dangjian.committees.todo import committees_todo
        from dangjian.core import todo

        todo.register(committees_todo)
