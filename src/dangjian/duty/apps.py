from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "dangjian.duty"
    verbose_name = _("Responsibility lists")

    def ready(self):
        from dangjian.duty import metrics
        metrics.register_all()
        from dangjian.core import todo
        from dangjian.duty.todo import todo_items

        todo.register(todo_items)
        # What waits for the reviewer's score, on their home page.
        from dangjian.core import home
        from dangjian.duty.home import waiting_for_rating
        home.register(waiting_for_rating, home="reviewer")

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("evaluation", _("Responsibility lists"), "duty:list", capability=caps.VIEW_WORK, order=20)
