from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "dangjian.appeals"
    verbose_name = _("Residents' appeals")

    def ready(self):
        from dangjian.appeals import metrics, warning_rules
        from dangjian.appeals.selectors import open_in_grid
        from dangjian.appeals.todo import todo_items
        from dangjian.core import references, todo

        metrics.register_all()
        warning_rules.register_all()

        todo.register(todo_items)
        # A grid with open appeals cannot be closed; its page lists them.
        references.register_open("grids.Grid", "appeals", open_in_grid)

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("governance", _("Appeals"), "appeals:list", capability=caps.VIEW_WORK, through=("grid",), order=20)
        # Recording an appeal by hand: staff who edit work in the org tree, or a grid worker for their grids.
        menu.register_route("appeals:new", capability=caps.EDIT_WORK, through=("grid",))
