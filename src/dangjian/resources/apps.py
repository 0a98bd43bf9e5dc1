from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "dangjian.resources"
    verbose_name = _("Resources and partner units")

    def ready(self):
        from dangjian.core import todo
        from dangjian.resources.todo import todo_items

        todo.register(todo_items)

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("governance", _("Resources"), "resources:resource_list", capability=caps.VIEW_WORK, order=30)
