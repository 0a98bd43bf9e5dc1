from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "dangjian.audit"
    verbose_name = _("Audit log")

    def ready(self):
        from dangjian.audit.exports import record_export
        from dangjian.core.xlsx import set_export_recorder

        set_export_recorder(record_export)

        # The main menu's entries: each shows only to whom its page opens (core.menu).
        from dangjian.audit.capabilities import VIEW_AUDIT
        from dangjian.core import menu
        menu.register("system", _("Audit log"), "audit:list", capability=VIEW_AUDIT, order=10)
