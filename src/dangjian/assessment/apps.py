from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "dangjian.assessment"
    verbose_name = _("Assessment")

    def ready(self):
        from dangjian.assessment.todo import todo_items
        from dangjian.core import todo

        todo.register(todo_items)
