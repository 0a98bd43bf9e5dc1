from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "dangjian.appeals"
    verbose_name = _("Residents' appeals")

    def ready(self):
        from dangjian.appeals import metrics, selectors, warning_rules
        from dangjian.appeals.models import OPEN_STATES
        from dangjian.appeals.selectors import open_in_grid
        from dangjian.appeals.todo import todo_items
        from dangjian.core import provided, references, todo

        metrics.register_all()
        warning_rules.register_all()

        todo.register(todo_items)
        # A grid with open appeals cannot be closed; its page lists them.
        references.register_open("grids.Grid", "appeals", open_in_grid)
        # People behind a case: a member's and a grid's cases on their pages, with their 三率.
        references.register_related("orgs.Member", "appeals", selectors.member_cases)
        references.register_related("grids.Grid", "appeals", selectors.grid_cases)
        # Departments summoned to appeals are judged by the appeals' own 三率 (issue 19).
        provided.provide("appeal_rates", lambda: selectors.rates_of)
        provided.provide("appeal_rates_by_community", lambda: selectors.rates_by_community)
        provided.provide("appeal_composite", lambda: selectors.composite)
        provided.provide("appeal_open_states", lambda: tuple(str(s) for s in OPEN_STATES))
