from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "dangjian.evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        from dangjian.core import todo
        from dangjian.evaluation.metrics import register_all
        from dangjian.evaluation.todo import evaluation_todo

        register_all()
        todo.register(evaluation_todo)
