from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "dangjian.appeals"
    verbose_name = _("Residents' appeals")

    def ready(self):
        from dangjian.appeals import metrics, warning_rules
        from dangjian.appeals.selectors import appeals_today, open_in_grid
        from dangjian.appeals.todo import todo_items
        from dangjian.core import provided, references, todo

        metrics.register_all()
        warning_rules.register_all()

        todo.register(todo_items)
        # A grid with open appeals cannot be closed; its page lists them.
        references.register_open("grids.Grid", "appeals", open_in_grid)
        # The dashboard's big screen reads today's appeals of an org (user, org, today).
        provided.provide("appeals_today", appeals_today)
