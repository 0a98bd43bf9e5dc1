from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "dangjian.meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from dangjian.meetings import metrics, warning_rules
        metrics.register_all()
        warning_rules.register_all()
        from dangjian.core import todo
        from dangjian.meetings.todo import todo_items

        todo.register(todo_items)
