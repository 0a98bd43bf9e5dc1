from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "dangjian.resources"
    verbose_name = _("Resources and partner units")

    def ready(self):
        from dangjian.core import provided, todo
        from dangjian.resources.selectors import resources_near
        from dangjian.resources.todo import todo_items

        todo.register(todo_items)
        # Evaluation's mobilisation lists the resources near an org with a warning
        # (user, area, categories, limit=).
        provided.provide("resources_near", resources_near)


        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        menu.register("governance", _("Resources"), "resources:resource_list", capability=caps.VIEW_WORK, order=30)
