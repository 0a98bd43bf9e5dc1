"""Three lists (三张清单): resources offered, needs raised, projects matching them;
bookings of venues and time, deliveries, partner units and their evaluation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.models import TimeStampedModel


class Category(models.TextChoices):
    VENUE = "venue", _("Venue")
    FUNDS = "funds", _("Funds")
    SKILL = "skill", _("Skills")
    VOLUNTEER_TIME = "volunteer_time", _("Volunteer time")
    SERVICE = "service", _("Service")


class PartnerUnit(TimeStampedModel):
    """A unit or member reporting to the community (共建单位, 双报到)."""

    class Kind(models.TextChoices):
        UNIT = "unit", _("Partner unit")
        MEMBER = "member", _("Member reporting to the community")

    org = models.ForeignKey("orgs.Org", verbose_name=_("community"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.UNIT)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner unit")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="partner_unique_name_per_org")]

    def __str__(self) -> str:
        return self.name


class Resource(TimeStampedModel):
    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(
        PartnerUnit, verbose_name=_("partner unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="resources",
    )
    title = models.CharField(_("title"), max_length=100)
    category = models.CharField(pgettext_lazy("resource", "category"), max_length=20, choices=Category.choices,
                                db_index=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"), null=True, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    bookable = models.BooleanField(_("bookable by time"), default=False)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("resource")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class Need(TimeStampedModel):
    class Source(models.TextChoices):
        ORG = "org", _("Organisation")
        GRID = "grid", _("Grid")
        RESIDENT = "resident", _("Resident")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        MATCHED = "matched", _("matched")
        DONE = "done", _("done")
        CLOSED = "closed", pgettext_lazy("need", "closed")

    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=100)
    category = models.CharField(pgettext_lazy("resource", "category"), max_length=20, choices=Category.choices,
                                db_index=True)
    source = models.CharField(_("raised by"), max_length=10, choices=Source.choices, default=Source.ORG)
    place = models.CharField(_("place"), max_length=100, blank=True)
    needed_on = models.DateField(_("needed on"), null=True, blank=True)
    people = models.PositiveIntegerField(_("people"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    # An appeal becomes a need in one action; at most one need per appeal.
    appeal = models.OneToOneField(
        "appeals.Appeal", verbose_name=_("appeal"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="need",
    )

    class Meta:
        verbose_name = _("need")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class Project(TimeStampedModel):
    """A matching project: resources put to work on a need."""

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        RUNNING = "running", _("running")
        DONE = "done", _("done")

    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    need = models.ForeignKey(Need, verbose_name=_("need"), on_delete=models.PROTECT, related_name="projects")
    resources = models.ManyToManyField(Resource, verbose_name=_("resources"), related_name="projects")
    title = models.CharField(_("title"), max_length=100)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PLANNED)

    class Meta:
        verbose_name = _("matching project")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class Booking(models.Model):
    """A time slot of a bookable resource; active bookings of one resource never overlap."""

    resource = models.ForeignKey(Resource, verbose_name=_("resource"), on_delete=models.PROTECT, related_name="bookings")
    org = models.ForeignKey("orgs.Org", verbose_name=_("booked for"), on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    purpose = models.CharField(_("purpose"), max_length=200)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings")
    cancelled = models.BooleanField(_("cancelled"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("booking")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["resource", "starts_at"], name="booking_resource_start")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.starts_at:%Y-%m-%d %H:%M}"


class Delivery(models.Model):
    """What a project delivered: recorded once, reused by reports."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="deliveries")
    delivered_on = models.DateField(_("delivered on"))
    description = models.CharField(_("what was delivered"), max_length=300)
    people_served = models.PositiveIntegerField(_("people served"), default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("delivery")
        ordering = ["-delivered_on", "-id"]


class Evaluation(models.Model):
    """The community's annual evaluation of a partner unit."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("excellent")
        GOOD = "good", _("good")
        FAIR = "fair", _("fair")
        POOR = "poor", _("poor")

    partner = models.ForeignKey(PartnerUnit, verbose_name=_("partner unit"), on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.PositiveSmallIntegerField(_("score"))
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("partner evaluation")
        ordering = ["-year", "partner_id"]
        constraints = [models.UniqueConstraint(fields=["partner", "year"], name="one_evaluation_per_partner_year")]
