from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "dangjian.surveys"
    verbose_name = _("Questionnaires and democratic evaluation")

    def ready(self):
        from dangjian.core import todo
        from dangjian.surveys.todo import todo_items

        todo.register(todo_items)
