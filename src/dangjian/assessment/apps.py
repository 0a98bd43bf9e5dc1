from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "dangjian.assessment"
    verbose_name = _("Assessment")

    def ready(self):
        from dangjian.assessment.todo import todo_items
        from dangjian.core import todo

        todo.register(todo_items)
        # What waits for the reviewer's score, on their home page.
        from dangjian.assessment.home import waiting_for_score
        from dangjian.core import home
        home.register(waiting_for_score, home="reviewer")

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("evaluation", _("Assessment"), "assessment:list", capability=caps.VIEW_WORK, order=40)
