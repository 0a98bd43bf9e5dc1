from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "dangjian.projects"
    verbose_name = _("Projects")

    def ready(self):
        from dangjian.core import todo
        from dangjian.projects import metrics
        from dangjian.projects.todo import todo_items

        metrics.register_all()
        todo.register(todo_items)
