"""The member's own study records and reflections, for the home page (core.home)."""

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.home import Line, Panel
from dangjian.learning.models import Reflection, StudyRecord


def home_panels(user) -> list[Panel]:
    if not user.member_id:
        return []
    year = timezone.localdate().year
    records = StudyRecord.objects.filter(member_id=user.member_id)
    totals = records.filter(studied_on__year=year).aggregate(n=Count("pk"), minutes=Sum("minutes"))
    lines = [Line(r.material.title if r.material else (r.note or str(r.get_mode_display())),
                  note=_("%(date)s, %(minutes)d minutes") % {"date": f"{r.studied_on:%Y-%m-%d}", "minutes": r.minutes})
             for r in records.select_related("material").order_by("-studied_on", "-pk")[:3]]
    lines += [Line(r.title, url=reverse("learning:reflection_detail", args=[r.pk]),
                   note=f"{timezone.localtime(r.created_at):%Y-%m-%d}")
              for r in Reflection.objects.filter(member_id=user.member_id).order_by("-created_at")[:2]]
    return [Panel(
        title=_("My study"),
        summary=_("This year: %(n)d study records, %(minutes)d minutes.") % {
            "n": totals["n"], "minutes": totals["minutes"] or 0},
        lines=lines, url=reverse("learning:record_list"), url_label=_("All my study records"),
        actions=[(reverse("learning:record_new"), _("Record study")),
                 (reverse("learning:reflection_new"), _("Write a reflection"))],
        order=30,
    )]
