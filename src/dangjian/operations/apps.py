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
