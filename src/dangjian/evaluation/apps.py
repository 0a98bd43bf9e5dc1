from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
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

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("evaluation", _("Evaluation periods"), "evaluation:periods", capability=caps.VIEW_WORK, order=50)
        menu.register("evaluation", _("Weak and lax organisations"), "evaluation:weak_list", capability=caps.VIEW_WORK,
                      order=55)
