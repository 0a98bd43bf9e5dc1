from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "dangjian.committees"
    verbose_name = _("Committees and terms")

    def ready(self):
        from dangjian.committees import metrics, warning_rules
        from dangjian.committees.selectors import committee_terms, current_committee_threshold
        from dangjian.committees.todo import todo_items
        from dangjian.core import provided, todo

        metrics.register_all()
        warning_rules.register_all()

        todo.register(todo_items)
        # Elections due, on the secretary's home page.
        from dangjian.committees.home import terms_due
        from dangjian.core import home
        home.register(terms_due, home="secretary")
        # Meetings needs the threshold (who holds committee meetings) without importing committees.
        provided.provide("committee_threshold", current_committee_threshold)

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("orgs", _("Committees"), "committees:list", capability=caps.VIEW_WORK, order=50)

        # ... nor who sat on a committee when (who is expected at a committee meeting): a function of org ids.
        provided.provide("committee_terms", lambda: committee_terms)
