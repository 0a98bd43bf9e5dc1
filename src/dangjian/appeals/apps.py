from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "dangjian.appeals"
    verbose_name = _("Residents' appeals")

    def ready(self):
        from django.db.models.signals import post_migrate

        from dangjian.appeals import metrics, selectors, warning_rules
        from dangjian.appeals.models import OPEN_STATES
        from dangjian.appeals.selectors import appeals_today, open_in_grid
        from dangjian.appeals.todo import todo_items
        from dangjian.core import provided, references, todo

        post_migrate.connect(_taxonomy_after_migrate, sender=self)
        metrics.register_all()
        warning_rules.register_all()

        todo.register(todo_items)
        # The grid worker's home opens on their grids' queue of open appeals.
        from dangjian.appeals.home import grid_queue
        from dangjian.core import home
        home.register(grid_queue, home="grid_worker")
        # A grid with open appeals cannot be closed; its page lists them.
        references.register_open("grids.Grid", "appeals", open_in_grid)

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("governance", _("Appeals"), "appeals:list", capability=caps.VIEW_WORK, through=("grid",), order=20)
        # Recording an appeal by hand: staff who edit work in the org tree, or a grid worker for their grids.
        menu.register("system", _("Appeal categories"), "appeals:categories", superuser=True, order=45)
        menu.register_route("appeals:new", capability=caps.EDIT_WORK, through=("grid",))
        # People behind a case: a member's and a grid's cases on their pages, with their 三率.
        references.register_related("orgs.Member", "appeals", selectors.member_cases)
        references.register_related("grids.Grid", "appeals", selectors.grid_cases)
        # Departments summoned to appeals are judged by the appeals' own 三率 (issue 19).
        provided.provide("appeal_rates_grouped", lambda: selectors.rates_grouped)
        provided.provide("appeal_rates_by_community", lambda: selectors.rates_by_community)
        provided.provide("appeal_composite", lambda: selectors.composite)
        provided.provide("appeal_open_states", lambda: tuple(str(s) for s in OPEN_STATES))

        # The dashboard's big screen reads today's appeals of an org (user, org, today).
        provided.provide("appeals_today", appeals_today)


def _taxonomy_after_migrate(sender, using="default", **kwargs) -> None:
    """A flushed database (transactional tests) gets the seed taxonomy back; an installed one is left alone."""
    from django.db import connections
    from django.utils import timezone

    from dangjian.appeals.models import AppealCategory, AppealCategoryName
    from dangjian.appeals.taxonomy import seed_rows

    if "appeals_appealcategory" in connections[using].introspection.table_names():
        seed_rows(AppealCategory, AppealCategoryName, timezone.now())
