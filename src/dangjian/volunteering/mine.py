"""The member's own volunteer hours and sign-ups, for the home page (core.home)."""

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.home import Line, Panel
from dangjian.volunteering.models import Activity, SignUp


def home_panels(user) -> list[Panel]:
    if not user.member_id:
        return []
    mine = SignUp.objects.filter(member_id=user.member_id)
    hours = mine.filter(activity__starts_at__year=timezone.localdate().year).aggregate(h=Sum("hours"))["h"] or 0
    coming = mine.filter(activity__state=Activity.State.OPEN, activity__starts_at__gte=timezone.now()).select_related(
        "activity").order_by("activity__starts_at")[:3]
    lines = [Line(s.activity.title, note=f"{timezone.localtime(s.activity.starts_at):%Y-%m-%d %H:%M}") for s in coming]
    return [Panel(title=_("My volunteer service"), summary=_("%(h)s volunteer hours this year.") % {"h": hours},
                  lines=lines, url=reverse("volunteering:list"), url_label=_("Activities open for sign-up"),
                  order=50)]
