from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "dangjian.projects"
    verbose_name = _("Projects")

    def ready(self):
        from dangjian.projects import metrics, warning_rules
        metrics.register_all()
        warning_rules.register_all()
        from dangjian.core import todo
        from dangjian.projects.todo import todo_items

        todo.register(todo_items)
        # 党章第九条: assigned work left undone six months, one of the conditions meetings.lapse names.
        from dangjian.core import provided
        from dangjian.projects.selectors import work_lapsed
        provided.provide("work_lapsed_ids", work_lapsed)

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("evaluation", _("Projects"), "projects:list", capability=caps.VIEW_WORK, order=10)
        # The member's own records on the home page.
        from dangjian.core import home
        from dangjian.projects.mine import home_panels
        home.register(home_panels)
