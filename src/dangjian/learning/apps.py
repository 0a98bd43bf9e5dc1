from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "dangjian.learning"
    verbose_name = _("Experience and study")

    def ready(self):
        from dangjian.core import todo
        from dangjian.learning.todo import todo_items

        todo.register(todo_items)
