from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "dangjian.duty"
    verbose_name = _("Responsibility lists")

    def ready(self):
        from dangjian.duty import metrics
        metrics.register_all()
        from dangjian.core import todo
        from dangjian.duty.todo import todo_items

        todo.register(todo_items)
