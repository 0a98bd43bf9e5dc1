from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "dangjian.grids"
    verbose_name = _("Grids and service")

    def ready(self):
        from dangjian.grids import metrics
        metrics.register_all()
        from dangjian.core import todo
        from dangjian.grids.selectors import grid_todo

        todo.register(grid_todo)
