from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "dangjian.imports"
    verbose_name = _("Import and export")

    def ready(self):
        from dangjian.core import todo
        from dangjian.imports.todo import todo_items

        todo.register(todo_items)

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("orgs", _("Import and export"), "imports:roster_import", capability=caps.IMPORT_ROSTER, order=40)
