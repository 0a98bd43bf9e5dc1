from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "dangjian.learning"
    verbose_name = _("Experience and study")

    def ready(self):
        from dangjian.core import todo
        from dangjian.learning.todo import todo_items

        todo.register(todo_items)

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.accounts import roles as caps
        from dangjian.core import menu
        from dangjian.core.scoping import has_capability
        menu.register("life", _("Study"), "learning:case_list", capability=caps.VIEW_WORK, order=40)
        menu.register("mine", _("My study records"), "learning:record_list", member=True, when=lambda u: not has_capability(u, caps.VIEW_WORK), order=30)
        menu.register("mine", _("My study reflections"), "learning:reflection_list", member=True, when=lambda u: not has_capability(u, caps.VIEW_WORK), order=40)
        # The member's own records on the home page.
        from dangjian.core import home
        from dangjian.learning.mine import home_panels
        home.register(home_panels)
