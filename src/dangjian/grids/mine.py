"""The member's own 联户 households and the visits they made, for the home page (core.home)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.home import Line, Panel
from dangjian.grids.models import HouseholdLink, Visit


def home_panels(user) -> list[Panel]:
    if not user.member_id:
        return []
    open_links = HouseholdLink.objects.filter(member_id=user.member_id, ended_on__isnull=True)
    linked = open_links.count()
    links = list(open_links.select_related("household__grid").order_by("since")[:5])
    visits = Visit.objects.filter(visitor_id=user.member_id)
    year = timezone.localdate().year
    count = visits.filter(visited_on__year=year).count()
    if not links and not count:
        return []
    lines = [Line(str(link.household), note=str(link.household.grid)) for link in links]
    lines += [Line(v.summary[:40], note=f"{v.visited_on:%Y-%m-%d}")
              for v in visits.order_by("-visited_on", "-pk")[:2]]
    return [Panel(
        title=_("My linked households"),
        summary=_("%(n)d households linked to me; %(v)d visits made this year.") % {
            "n": linked, "v": count},
        lines=lines, order=40,
    )]
