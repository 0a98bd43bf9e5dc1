from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "dangjian.orgs"
    verbose_name = _("Organisations and members")

    def ready(self):
        from dangjian.orgs import metrics

        metrics.register_all()
        from dangjian.core import todo
        from dangjian.orgs.todo import todo_items

        todo.register(todo_items)
