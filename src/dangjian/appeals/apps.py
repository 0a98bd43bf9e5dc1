from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "dangjian.appeals"
    verbose_name = _("Residents' appeals")

    def ready(self):
        from django.db.models.signals import post_migrate

        from dangjian.appeals import metrics, warning_rules
        from dangjian.appeals.selectors import open_in_grid
        from dangjian.appeals.todo import todo_items
        from dangjian.core import references, todo

        post_migrate.connect(_taxonomy_after_migrate, sender=self)
        metrics.register_all()
        warning_rules.register_all()

        todo.register(todo_items)
        # A grid with open appeals cannot be closed; its page lists them.
        references.register_open("grids.Grid", "appeals", open_in_grid)


def _taxonomy_after_migrate(sender, using="default", **kwargs) -> None:
    """A flushed database (transactional tests) gets the seed taxonomy back; an installed one is left alone."""
    from django.db import connections
    from django.utils import timezone

    from dangjian.appeals.models import AppealCategory, AppealCategoryName
    from dangjian.appeals.taxonomy import seed_rows

    if "appeals_appealcategory" in connections[using].introspection.table_names():
        seed_rows(AppealCategory, AppealCategoryName, timezone.now())
