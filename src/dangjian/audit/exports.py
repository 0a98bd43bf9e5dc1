"""Every xlsx download is one audited EXPORT: the recorder `dangjian.core.xlsx` calls."""

from dangjian.audit.services import Action, audit_record


def record_export(*, by, what: str, org=None, changes: dict) -> None:
    audit_record(actor=by, action=Action.EXPORT, org=org, target_repr=what, changes=changes)
