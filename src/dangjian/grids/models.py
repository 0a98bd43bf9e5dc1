"""Grids (网格), households and residents, member-household links (党员联户),
service plans for tagged members and the visits that fulfil them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core import crypto
from dangjian.core.fields import EncryptedTextField
from dangjian.core.models import (
    CorrectionNote,
    CorrectionRecord,
    SingletonSettings,
    TimeStampedModel,
)


def mask_name(name: str) -> str:
    """王** : the family name only (crypto.mask keeps a tail, names need none)."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


class GridConfig(SingletonSettings):
    """Installation-wide grid settings: one row (pk=1), created with defaults."""

    households_per_member = models.PositiveSmallIntegerField(
        _("households per member (cap)"), default=10,
        help_text=_("How many households one Party member may be linked to."),
    )

    class Meta:
        verbose_name = _("grid settings")



class Grid(TimeStampedModel):
    """A part of a community; belongs to the community-level org for scoping."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("community"), on_delete=models.PROTECT, related_name="grids")
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(pgettext_lazy("grid", "code"), max_length=32, unique=True)
    # Address words (street, building, estate) that route an appeal to this grid.
    keywords = models.CharField(
        _("address keywords"), max_length=300, blank=True,
        help_text=_("Separated by spaces or commas, e.g. estate, street or building names."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["org__path", "code"]

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        return [k for k in self.keywords.replace("，", ",").replace(",", " ").split() if k]


class GridStaff(models.Model):
    """Who works in a grid. A GRID_WORKER grant is narrowed to the grids listed here."""

    class Role(models.TextChoices):
        LEADER = "leader", _("grid leader")
        STAFF = "staff", _("grid staff")

    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grid_posts")
    role = models.CharField(pgettext_lazy("grid staff", "role"), max_length=10, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = _("grid staff")
        constraints = [models.UniqueConstraint(fields=["grid", "user"], name="unique_grid_staff")]


class HouseholdEntry(models.Model):
    """What is entered for a household; a household and each of its earlier versions hold it."""

    address = models.CharField(pgettext_lazy("household", "address"), max_length=200)
    head_name = models.CharField(_("head of household"), max_length=50)
    phone = EncryptedTextField(pgettext_lazy("household", "phone"), blank=True, default="")
    size = models.PositiveSmallIntegerField(_("people"), default=1)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def head_name_masked(self) -> str:
        return mask_name(self.head_name)

    @property
    def phone_masked(self) -> str:
        return crypto.mask_phone(self.phone)


class HouseholdQuerySet(models.QuerySet):
    def in_use(self):
        """Households that count: not marked as entered in error."""
        return self.filter(entered_in_error_at__isnull=True)


class Household(TimeStampedModel, HouseholdEntry):
    grid = models.ForeignKey(Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="households")
    phone_index = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    # Entered by mistake (a duplicate, the wrong grid): kept for the auditors, out of every list and count.
    entered_in_error_at = models.DateTimeField(_("marked entered in error at"), null=True, blank=True, editable=False)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["grid", "address"]

    def __str__(self) -> str:
        return self.address


class HouseholdVersion(HouseholdEntry, CorrectionNote):
    """The household as it was before one correction, move or entered-in-error mark.

    Its own columns rather than JSON: the earlier phone stays encrypted.
    """

    class Kind(models.TextChoices):
        CORRECT = "correct", _("corrected")
        MOVE = "move", _("moved to another grid")
        ENTERED_IN_ERROR = "error", _("marked entered in error")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="versions")
    kind = models.CharField(_("kind of change"), max_length=10, choices=Kind.choices)
    # The values before the change; `changed` names the fields the change touched.
    grid = models.ForeignKey(Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+")
    changed = models.JSONField(_("changed fields"), default=list)

    class Meta(CorrectionNote.Meta):
        verbose_name = _("earlier version of a household")


class GridChange(CorrectionRecord):
    """A grid deactivated or reactivated, a staff post removed, or the grid's name, code or keywords
    corrected: why, by whom, what it was."""

    class Kind(models.TextChoices):
        DEACTIVATE = "deactivate", _("deactivated")
        REACTIVATE = "reactivate", _("reactivated")
        STAFF_REMOVED = "unpost", _("staff post removed")
        CORRECT = "correct", _("name, code or keywords corrected")

    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("kind of change"), max_length=10, choices=Kind.choices)
    # For a removed post, `before` is {"user": username, "name": display name, "role": role};
    # for a correction, `before` and `after` hold the fields that changed (name, code, keywords).

    class Meta(CorrectionRecord.Meta):
        verbose_name = _("grid change")


class ResidentEntry(models.Model):
    """What is entered for a resident; a resident and each of its earlier versions hold it."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    phone = EncryptedTextField(pgettext_lazy("household", "phone"), blank=True, default="")

    class Meta:
        abstract = True

    @property
    def name_masked(self) -> str:
        return mask_name(self.name)

    @property
    def phone_masked(self) -> str:
        return crypto.mask_phone(self.phone)


class Resident(TimeStampedModel, ResidentEntry):
    """A person living in a household. Residents have no account.

    The head of household's own row is written with the household and follows its corrections
    (selectors.household_head); the other residents are corrected or removed one by one.
    """

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="residents")
    phone_index = models.CharField(max_length=40, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("resident")


class ResidentVersion(ResidentEntry, CorrectionNote):
    """A resident (not the head) as it was before a correction, or removed as entered in error.

    A removed resident leaves `Resident`, so every list of residents leaves it out without a filter;
    nothing else refers to a resident, and its full copy is kept here.
    """

    class Kind(models.TextChoices):
        CORRECT = "correct", _("corrected")
        ENTERED_IN_ERROR = "error", _("removed: entered in error")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="resident_versions")
    original_id = models.BigIntegerField(_("resident id"))
    kind = models.CharField(_("kind of change"), max_length=10, choices=Kind.choices)
    # The values before the change; `changed` names the fields a correction touched.
    changed = models.JSONField(_("changed fields"), default=list)

    class Meta(CorrectionNote.Meta):
        verbose_name = _("earlier version of a resident")


class HouseholdLink(models.Model):
    """党员联户: a Party member looks after a household. Ended links are kept."""

    member = models.ForeignKey("orgs.Member", verbose_name=_("member"), on_delete=models.CASCADE, related_name="household_links")
    household = models.ForeignKey(Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="links")
    since = models.DateField(_("since"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # Why and by whom it was ended (links ended before reasons were asked have none).
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        verbose_name = _("member-household link")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "household"], condition=models.Q(ended_on__isnull=True),
                name="one_open_link_per_member_household",
            )
        ]


class PlanKind(models.TextChoices):
    ELDERLY_VISIT = "elderly_visit", _("home study visit for elderly members")
    HARDSHIP_HELP = "hardship_help", _("help for members in hardship")
    MIGRANT_CONTACT = "migrant_contact", _("contact with migrant members")


# The roster tag each plan kind serves (orgs.Tag names).
PLAN_TAGS = {
    PlanKind.ELDERLY_VISIT: "老党员",
    PlanKind.HARDSHIP_HELP: "困难党员",
    PlanKind.MIGRANT_CONTACT: "流动党员",
}


class ServicePlan(TimeStampedModel):
    """Per period: every member of the org's subtree carrying the tag gets N visits."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="service_plans")
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    visits_per_member = models.PositiveSmallIntegerField(_("visits per member"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("service plan")
        ordering = ["-starts_on", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["org", "kind", "starts_on"], name="one_plan_per_org_kind_period"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="plan_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"

    @property
    def tag_name(self) -> str:
        return PLAN_TAGS[self.kind]


class Visit(TimeStampedModel):
    """One visit, recorded once; plans, grids and assessments count the same row."""

    class Kind(models.TextChoices):
        HOUSEHOLD = "household", _("household visit")
        MEMBER = "member", _("visit to a member")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The org the visit counts for: the grid's community, or the visited member's branch.
    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="visits")
    grid = models.ForeignKey(Grid, null=True, blank=True, on_delete=models.PROTECT, related_name="visits")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT, related_name="visits")
    member = models.ForeignKey(
        "orgs.Member", verbose_name=_("member visited"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="visits_received",
    )
    plan = models.ForeignKey(ServicePlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits")
    visitor = models.ForeignKey(
        "orgs.Member", verbose_name=_("visiting member"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="visits_made",
    )
    visited_on = models.DateField(_("visited on"), db_index=True)
    summary = models.CharField(_("summary"), max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("visit")
        ordering = ["-visited_on", "-id"]
        constraints = [
            # Recorded once: the same visit cannot be entered twice.
            models.UniqueConstraint(
                fields=["household", "visited_on", "visitor"], condition=models.Q(household__isnull=False),
                name="visit_once_household",
            ),
            models.UniqueConstraint(
                fields=["member", "visited_on", "plan"], condition=models.Q(member__isnull=False),
                name="visit_once_member",
            ),
        ]
