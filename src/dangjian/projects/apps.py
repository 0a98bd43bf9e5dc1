from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "dangjian.projects"
    verbose_name = _("Projects")

    def ready(self):
        from dangjian.projects import metrics, warning_rules
        metrics.register_all()
        warning_rules.register_all()
        from dangjian.core import todo
        from dangjian.projects.todo import todo_items

        todo.register(todo_items)
