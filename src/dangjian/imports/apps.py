from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "dangjian.imports"
    verbose_name = _("Import and export")

    def ready(self):
        from dangjian.core import todo
        from dangjian.imports.todo import todo_items

        todo.register(todo_items)
