"""The member's open democratic evaluations, for the home page (core.home)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dangjian.core.home import Line, Panel
from dangjian.surveys.models import MemberLink
from dangjian.surveys.selectors import rounds_open_to


def home_panels(user) -> list[Panel]:
    if not user.member_id:
        return []
    rounds = list(rounds_open_to(user.member).order_by("closes_at", "pk")[:5])
    if not rounds:
        return []
    taken = set(MemberLink.objects.filter(member_id=user.member_id, round__in=rounds).values_list("round_id", flat=True))
    lines = [
        Line(r.title, url=reverse("surveys:take", args=[r.pk]),
             note=pgettext("evaluation", "answered") if r.pk in taken else _("open until %(date)s") % {
                 "date": f"{timezone.localtime(r.closes_at):%Y-%m-%d}"},
             severity="ok" if r.pk in taken else "warn")
        for r in rounds
    ]
    waiting = len(rounds) - len(taken)
    return [Panel(
        title=_("Democratic evaluation"),
        summary=_("%(n)d evaluations wait for your answers.") % {"n": waiting} if waiting
        else _("You have answered every open evaluation."),
        lines=lines, order=5,
    )]
