from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The main navigation's label (templates/partials/mainnav.html), translated here.
NAV_LABEL = _("Volunteering")


class VolunteeringConfig(AppConfig):
    name = "dangjian.volunteering"
    verbose_name = _("Volunteer service")

    def ready(self):
        from dangjian.volunteering import metrics
        metrics.register_all()
        from dangjian.core import todo
        from dangjian.volunteering.todo import todo_items

        todo.register(todo_items)
