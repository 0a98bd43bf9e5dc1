from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The main navigation's label (templates/partials/mainnav.html), translated here.
NAV_LABEL = _("Volunteering")


class VolunteeringConfig(AppConfig):
    name = "dangjian.volunteering"
    verbose_name = _("Volunteer service")

    def ready(self):
        from dangjian.volunteering import metrics
        metrics.register_all()
        from dangjian.core import todo
        from dangjian.volunteering.todo import todo_items

        todo.register(todo_items)

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        from dangjian.core.scoping import has_capability
        menu.register("governance", _("Volunteering"), "volunteering:list", capability=caps.VIEW_WORK, order=40)
        menu.register("mine", _("Volunteer activities"), "volunteering:list", member=True, when=lambda u: not has_capability(u, caps.VIEW_WORK), order=50)
        # The member's own records on the home page.
        from dangjian.core import home
        from dangjian.volunteering.mine import home_panels
        home.register(home_panels)
