from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangjian.core"
    verbose_name = "Core"

    def ready(self):
        from dangjian.core import lookups  # noqa: F401  registers path__subtree
