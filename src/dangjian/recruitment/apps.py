from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The main navigation's label (templates/partials/mainnav.html) is translated here.
NAV_LABEL = _("Recruitment")


class RecruitmentConfig(AppConfig):
    name = "dangjian.recruitment"
    verbose_name = _("Recruitment")

    def ready(self):
        from dangjian.recruitment import metrics
        metrics.register_all()
        from dangjian.core import todo
        from dangjian.recruitment.todo import todo_items

        todo.register(todo_items)

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("life", _("Recruitment"), "recruitment:list", capability=caps.VIEW_WORK, order=30)
