from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "dangjian.meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from dangjian.meetings import metrics, warning_rules
        metrics.register_all()
        warning_rules.register_all()
        from dangjian.core import todo
        from dangjian.meetings.todo import todo_items

        todo.register(todo_items)

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("life", _("Meetings"), "meetings:list", capability=caps.VIEW_WORK, order=10)
        menu.register("life", _("Secretaries' Party lectures and talks"), "meetings:talks",
                      capability=caps.VIEW_WORK, order=11)
        # The member's own records on the home page.
        from dangjian.core import home
        from dangjian.meetings.mine import home_panels
        home.register(home_panels)
        from dangjian.meetings.home import meetings_due
        home.register(meetings_due, home="secretary")
