from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "dangjian.surveys"
    verbose_name = _("Questionnaires and democratic evaluation")

    def ready(self):
        from dangjian.core import todo
        from dangjian.surveys.todo import todo_items

        todo.register(todo_items)
        # The member's open evaluations, each with their own link, on their home page.
        from dangjian.core import home
        from dangjian.surveys.mine import home_panels
        home.register(home_panels)

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("evaluation", _("Evaluation"), "surveys:index", capability=caps.VIEW_WORK, order=30)
