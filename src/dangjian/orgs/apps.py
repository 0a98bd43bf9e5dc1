from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "dangjian.orgs"
    verbose_name = _("Organisations and members")

    def ready(self):
        from dangjian.orgs import metrics

        metrics.register_all()
        from dangjian.core import todo
        from dangjian.orgs.todo import todo_items

        todo.register(todo_items)

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("orgs", _("Org tree"), "orgs:org_index", capability=caps.VIEW_ROSTER, order=10)
        menu.register("orgs", _("Roster"), "orgs:member_list", capability=caps.VIEW_ROSTER, order=20)
        menu.register("orgs", _("Transfers"), "orgs:transfer_inbox", capability=caps.TRANSFER, order=30)
