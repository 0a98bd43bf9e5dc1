"""The secretary's home: terms of office ending this year or overdue in their organisations (core.home)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.committees.selectors import org_terms_for
from dangjian.core.home import Line, Panel

SHOWN = 5


def terms_due(user) -> list[Panel]:
    """Elections overdue or due within the reminder window (first/second reminder), the nearest end first."""
    today = timezone.localdate()
    rows = [r for r in org_terms_for(user, today, capability=roles.EDIT_WORK) if r.state in ("first", "second", "overdue")]
    if not rows:
        return []
    rows.sort(key=lambda r: r.term.end)
    return [Panel(
        title=_("Terms ending"),
        summary=_("%(n)d organisations need an election soon, %(m)d of them are overdue") % {
            "n": len(rows), "m": sum(1 for r in rows if r.state == "overdue")},
        lines=[Line(r.org.name, url=reverse("committees:org", args=[r.org.pk]),
                    note=(_("term ended %(end)s") if r.state == "overdue" else _("term ends %(end)s")) % {
                        "end": f"{r.term.end:%Y-%m-%d}"}, severity=r.severity) for r in rows[:SHOWN]],
        url=reverse("committees:list"), url_label=_("Terms of office"), order=30,
    )]
