from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "dangjian.meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from dangjian.core import todo
        from dangjian.meetings.todo import todo_items

        todo.register(todo_items)
