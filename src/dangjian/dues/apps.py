from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The main navigation's label (templates/partials/mainnav.html) is translated here.
NAV_LABEL = _("Dues")


class DuesConfig(AppConfig):
    name = "dangjian.dues"
    verbose_name = _("Membership dues")

    def ready(self):
        from dangjian.dues import metrics, warning_rules
        metrics.register_all()
        warning_rules.register_all()
        from dangjian.core import todo
        from dangjian.dues.todo import todo_items

        todo.register(todo_items)
        from dangjian.core import provided
        from dangjian.dues.selectors import paid_to

        # The introduction letter of a membership transfer states the month dues are paid to.
        provided.provide("dues_paid_to", lambda: paid_to)
        # 党章第九条: six months without dues, one of the conditions meetings.lapse names.
        from dangjian.dues.selectors import lapsed_ids
        provided.provide("dues_lapsed_ids", lapsed_ids)
        from dangjian.dues.selectors import unpaid_since
        provided.provide("dues_unpaid_since", unpaid_since)


        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("life", _("Dues"), "dues:ledger", capability=caps.VIEW_WORK, order=20)
        menu.register("mine", _("My dues"), "dues:mine", member=True, order=20)
        # The member's own records on the home page.
        from dangjian.core import home
        from dangjian.dues.mine import home_panels
        home.register(home_panels)
        from dangjian.dues.home import dues_this_month
        home.register(dues_this_month, home="secretary")
