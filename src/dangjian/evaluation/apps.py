from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class EvaluationConfig(AppConfig):
    name = "dangjian.evaluation"
    verbose_name = pgettext_lazy("evaluation", "Evaluation")

    def ready(self):
        from dangjian.core import todo
        from dangjian.evaluation.metrics import register_all
        from dangjian.evaluation.todo import todo_items

        register_all()
        todo.register(todo_items)
