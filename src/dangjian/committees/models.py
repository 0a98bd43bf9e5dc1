from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.models import CorrectionRecord, SingletonSettings, TimeStampedModel
from dangjian.orgs.models import OrgKind


class TermRule(models.Model):
    """Length of a committee's term by org kind; seeded with DOMAIN.md defaults."""

    kind = models.CharField(pgettext_lazy("org kind", "kind"), max_length=20, choices=OrgKind.choices, unique=True)
    years = models.PositiveSmallIntegerField(_("term length (years)"))
    default_years = models.PositiveSmallIntegerField(_("default term length (years)"))

    class Meta:
        verbose_name = _("term rule")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class CommitteeRule(SingletonSettings):
    """Installation-wide thresholds. A singleton (pk=1)."""

    committee_threshold = models.PositiveSmallIntegerField(_("members from which a branch elects a committee"), default=7)
    first_warning_months = models.PositiveSmallIntegerField(_("first warning before the term ends (months)"), default=6)
    second_warning_months = models.PositiveSmallIntegerField(_("second warning before the term ends (months)"), default=1)
    # The regulations' figures as settings (quoted in core/references.py, REGULATIONS["committees"]).
    surplus_percent = models.PositiveSmallIntegerField(_("competitive election: candidates more than seats by (%)"), default=20)
    competitive_from_seats = models.PositiveSmallIntegerField(
        _("competitive election required from this many seats"), default=3)
    committee_min = models.PositiveSmallIntegerField(_("smallest branch committee"), default=3)
    committee_max = models.PositiveSmallIntegerField(_("largest branch committee"), default=7)
    branch_min_full = models.PositiveSmallIntegerField(_("full members a branch needs at least"), default=3)
    branch_max = models.PositiveSmallIntegerField(_("members a branch has at most"), default=50)
    community_branches_five_years = models.BooleanField(
        _("branches of a village or community Party organisation serve its term length"), default=True)

    class Meta:
        verbose_name = _("committee rule")



class ElectionMethod(models.TextChoices):
    COMPETITIVE = "competitive", _("more candidates than seats")
    EQUAL = "equal", _("as many candidates as seats")


class Term(TimeStampedModel):
    """One term of office of an org's committee, with the election that opened it."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    start = models.DateField(_("term start"))
    end = models.DateField(_("term end"))
    elected_on = models.DateField(_("election date"))
    method = models.CharField(_("election method"), max_length=12, choices=ElectionMethod.choices)
    eligible_voters = models.PositiveIntegerField(_("members entitled to vote"))
    voters_present = models.PositiveIntegerField(_("voters present"))
    # Null for terms recorded before the count was kept.
    candidates = models.PositiveIntegerField(_("candidates"), null=True, blank=True)
    approved_on = models.DateField(_("approved by the superior on"), null=True, blank=True)
    approval_document = models.CharField(_("approval document number"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("term")
        ordering = ["org__path", "-start", "-id"]
        indexes = [models.Index(fields=["org", "start"], name="term_org_start")]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d} ~ {self.end:%Y-%m-%d}"


class Position(models.TextChoices):
    SECRETARY = "secretary", _("secretary")
    DEPUTY = "deputy", _("deputy secretary")
    MEMBER = "member", _("committee member")


class Duty(models.TextChoices):
    NONE = "", _("—")
    ORGANISATION = "organisation", _("organisation committee member")
    PROPAGANDA = "propaganda", _("propaganda committee member")
    DISCIPLINE = "discipline", _("discipline inspection committee member")
    YOUTH = "youth", _("youth committee member")
    WOMEN = "women", _("women's committee member")
    SECURITY = "security", _("security committee member")
    OTHER = "other", _("other duty")


class Seat(models.Model):
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="seats")
    member = models.ForeignKey("orgs.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("position"), max_length=10, choices=Position.choices)
    duty = models.CharField(_("duty"), max_length=20, choices=Duty.choices, blank=True)
    votes = models.PositiveIntegerField(_("votes for"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee seat")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["term", "member"], name="one_seat_per_member_and_term")]


class TermCorrection(CorrectionRecord):
    """A term corrected after it was recorded: what it was before (seats included), why, who, when.

    `before` and `after` hold {field: value}, seats as [{"member": id, "position", "duty", "votes"}].
    """

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="corrections")

    class Meta(CorrectionRecord.Meta):
        verbose_name = _("term correction")
