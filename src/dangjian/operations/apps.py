from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "dangjian.operations"
    verbose_name = _("Operations")

    def ready(self):
        from dangjian.core import jobs
        from dangjian.operations import schedules, services

        jobs.register_starter(services.job_start)
        post_migrate.connect(schedules.schedules_sync_after_migrate, sender=self)

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.core import menu
        from dangjian.core.scoping import has_any_capability
        menu.register("system", _("My jobs"), "operations:job_list", anyone=True, when=has_any_capability, order=30)
        menu.register("system", _("Operations"), "operations:overview", superuser=True, order=40)
