from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "dangjian.grids"
    verbose_name = _("Grids and service")

    def ready(self):
        from dangjian.accounts.roles import Role
        from dangjian.core import roles, todo
        from dangjian.grids import metrics
        from dangjian.grids.selectors import posted_grid_ids
        from dangjian.grids.todo import todo_items

        metrics.register_all()

        todo.register(todo_items)
        # A grid worker's grant on a community reaches only the grids they are posted to.
        roles.narrow(Role.GRID_WORKER, through="grid", ids=posted_grid_ids)

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("governance", _("Grids"), "grids:list", capability=caps.VIEW_WORK, through=("grid",), order=10)
        # The member's own records on the home page.
        from dangjian.core import home
        from dangjian.grids.mine import home_panels
        home.register(home_panels)
        from dangjian.grids.home import visits_due
        home.register(visits_due, home="grid_worker")
