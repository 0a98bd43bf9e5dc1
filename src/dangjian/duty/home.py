"""The reviewer's home: responsibility lists with items waiting for their rating as superior (core.home)."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core.home import Line, Panel
from dangjian.duty.selectors import unrated_items

SHOWN = 6


def waiting_for_rating(user) -> list[Panel]:
    rows = list(unrated_items(user).order_by().values("duty_list_id", "duty_list__org__name")
                .annotate(n=Count("pk")).order_by("duty_list__org__path", "duty_list_id"))
    if not rows:
        return []
    return [Panel(
        title=_("Responsibility items to rate"),
        summary=_("%(n)d items in %(lists)d responsibility lists wait for your rating.") % {
            "n": sum(r["n"] for r in rows), "lists": len(rows)},
        lines=[Line(_("%(org)s: %(n)d items") % {"org": r["duty_list__org__name"], "n": r["n"]},
                    url=reverse("duty:detail", args=[r["duty_list_id"]])) for r in rows[:SHOWN]],
        url=reverse("duty:list"), url_label=_("Responsibility lists"), order=20,
    )]
