"""Residents' appeals (群众诉求): intake, the handling workflow and its timers."""

import copy
import datetime as dt
import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core import crypto
from dangjian.core.fields import EncryptedTextField
from dangjian.core.models import SingletonSettings, TimeStampedModel


class Category(models.TextChoices):
    """The ten categories fixed in code before the managed taxonomy (AppealCategory): kept for the data
    migration that seeds the taxonomy and for code that names a seeded category ("other" is the fallback)."""

    SANITATION = "sanitation", _("Environment and sanitation")
    PROPERTY = "property", _("Property management")
    TRAFFIC = "traffic", _("Roads and traffic")
    NOISE = "noise", _("Noise nuisance")
    NEIGHBOUR = "neighbour", _("Neighbour disputes")
    ELDERLY = "elderly", _("Elderly care")
    EMPLOYMENT = "employment", _("Employment assistance")
    SAFETY = "safety", _("Public security")
    REPAIR = "repair", _("Housing repairs")
    POLICY = "policy", _("Policy enquiries")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    WEB = "web", _("public web form")
    PHONE = "phone", pgettext_lazy("appeal", "phone")
    WALK_IN = "walk_in", _("walk-in")
    API = "api", _("API")
    GRID = "grid", _("collected by grid staff")


class State(models.TextChoices):
    RECEIVED = "received", _("received")
    ACCEPTED = "accepted", _("accepted")
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", pgettext_lazy("appeal", "closed")
    REJECTED = "rejected", _("not accepted")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASIC = "basic", _("basically satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


class AssigneeKind(models.TextChoices):
    GRID = "grid", _("grid")
    DEPARTMENT = "department", _("department")
    PARTNER = "partner", _("partner unit")


# AppealConfig.current(), per process: the deadlines change a few times a year.
CONFIG_TTL = 30.0
_config_cache: dict = {}


def forget_config() -> None:
    _config_cache.clear()


# The taxonomy as every form lists it (appeals.selectors.category_rows), per process, like the deadlines.
_category_cache: dict = {}


def forget_categories() -> None:
    _category_cache.clear()


class AppealConfig(SingletonSettings):
    """Installation-wide deadlines (DOMAIN.md defaults). One row, pk=1."""

    accept_hours = models.PositiveIntegerField(_("accept within (hours)"), default=24)
    resolve_days = models.PositiveIntegerField(_("resolve within (days)"), default=7)
    complex_days = models.PositiveIntegerField(_("complex cases resolve within (days)"), default=15)
    # Unrated resolved appeals close on their own after this many days.
    rating_days = models.PositiveIntegerField(_("days a resident has to rate"), default=7)

    class Meta:
        verbose_name = _("appeal settings")

    @classmethod
    def current(cls):
        """The row, read at most once per CONFIG_TTL seconds per process (every submission needs it).
        Saving clears this process's copy at once; other processes see the change within CONFIG_TTL."""
        cached = _config_cache.get("row")
        now = time.monotonic()
        if cached is None or now - _config_cache["at"] > CONFIG_TTL:
            cached = super().current()
            _config_cache.update(row=cached, at=now)
        return copy.copy(cached)  # callers may change their copy; the cached one stays as read

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        forget_config()


    @property
    def accept_delta(self) -> dt.timedelta:
        return dt.timedelta(hours=self.accept_hours)

    def resolve_delta(self, *, complex_case: bool) -> dt.timedelta:
        return dt.timedelta(days=self.complex_days if complex_case else self.resolve_days)


class AppealCategory(TimeStampedModel):
    """One node of the appeal taxonomy: a first-level category or (with a parent) a second-level one.

    Appeals store the code, which never changes. A category is never deleted: it is retired (no longer
    offered) and renamed with its earlier names kept (AppealCategoryName); an appeal keeps the name it
    was categorised under (Appeal.category_name).
    """

    code = models.SlugField(pgettext_lazy("appeal category", "code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    parent = models.ForeignKey("self", verbose_name=_("first-level category"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    default_unit = models.CharField(_("default handling unit"), max_length=100, blank=True)
    # Blank: the installation's deadlines (AppealConfig).
    accept_hours = models.PositiveIntegerField(_("accept within (hours)"), null=True, blank=True)
    resolve_days = models.PositiveIntegerField(_("resolve within (days)"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        forget_categories()

    class Meta:
        verbose_name = _("appeal category")
        verbose_name_plural = _("appeal categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def level(self) -> int:
        return 2 if self.parent_id else 1

    @property
    def top_code(self) -> str:
        """The first-level code: what the classifier learns and suggests."""
        return self.parent.code if self.parent_id else self.code


class AppealCategoryName(models.Model):
    """A name a category carried, from when (its first name and every rename)."""

    category = models.ForeignKey(AppealCategory, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=50)
    since = models.DateTimeField(_("since"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["category", "since", "id"]


OPEN_STATES = (State.RECEIVED, State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS)
HANDLING_STATES = (State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS)


class Appeal(TimeStampedModel):
    # 13 symbols of 31 (64 bits) since issue 16; the 8-symbol codes given out before keep working.
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    # Set by the submitting client (form render, API caller): a retry stores nothing twice.
    client_nonce = models.CharField(max_length=40, blank=True, default="", editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    org = models.ForeignKey("orgs.Org", verbose_name=_("community"), on_delete=models.PROTECT, related_name="appeals")
    grid = models.ForeignKey(
        "grids.Grid", verbose_name=_("grid"), null=True, blank=True, on_delete=models.SET_NULL, related_name="appeals"
    )
    text = models.TextField(_("appeal"))
    address = models.CharField(pgettext_lazy("appeal", "address"), max_length=200, blank=True)
    resident_name = models.CharField(_("resident name"), max_length=50, blank=True)
    phone = EncryptedTextField(pgettext_lazy("appeal", "phone"), blank=True, default="")
    phone_index = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    # Codes of AppealCategory rows (stable); the name the appeal was categorised under is kept beside.
    suggested_category = models.CharField(_("suggested category"), max_length=20, blank=True)
    category = models.CharField(pgettext_lazy("appeal", "category"), max_length=20, blank=True, db_index=True)
    category_name = models.CharField(_("category name"), max_length=50, blank=True)
    category_confirmed = models.BooleanField(_("category confirmed"), default=False)
    is_complex = models.BooleanField(_("complex case"), default=False)

    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RECEIVED, db_index=True)
    assignee_kind = models.CharField(_("assigned to"), max_length=12, choices=AssigneeKind.choices, blank=True)
    assignee_name = models.CharField(_("department or unit"), max_length=100, blank=True)
    assignee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="assigned_appeals",
    )
    resolution = models.TextField(_("resolution"), blank=True)
    rating = models.CharField(_("satisfaction"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=500, blank=True)

    received_at = models.DateTimeField(_("received at"), db_index=True)
    accept_due_at = models.DateTimeField(_("accept by"))
    resolve_due_at = models.DateTimeField(_("resolve by"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # Resolved later than resolve_due_at at least once (kept across reopenings).
    resolved_late = models.BooleanField(default=False)

    # The resident's answer at 回访 (call-back), recorded by whoever calls back (never the handling unit) or by
    # the resident through the tracking code: the resolution and satisfaction rates count only these answers.
    callback_resolved = models.BooleanField(_("resolved, in the resident's words"), null=True, blank=True)
    callback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("called back by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # A declined appeal leaves the rates' denominator only once the superior approved the decline.
    decline_approved_at = models.DateTimeField(_("decline approved at"), null=True, blank=True)
    decline_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decline approved by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    # People behind a case: the household it came from and the member serving that household (党员联户) when it
    # was linked, kept as it was then (a later change of the link does not rewrite whose case it was).
    household = models.ForeignKey(
        "grids.Household", verbose_name=_("household"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="appeals",
    )
    household_member = models.ForeignKey(
        "orgs.Member", verbose_name=_("member serving the household"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="household_appeals",
    )

    # One problem, many callers: a duplicate is merged into the case that carries it (its master); the
    # duplicate's tracking code then shows the master's progress, and the rates count the master only.
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="duplicates",
    )

    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_to = models.ForeignKey(
        "orgs.Org", verbose_name=_("escalated to"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client_nonce"], condition=~models.Q(client_nonce=""), name="appeal_client_nonce_once"
            ),
        ]
        indexes = [models.Index(fields=["org", "state"], name="appeal_org_state")]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def phone_masked(self) -> str:
        return crypto.mask_phone(self.phone)

    @property
    def category_label(self) -> str:
        """The name the appeal was categorised under (a later rename does not change it)."""
        return self.category_name or self.category

    @property
    def resident_name_masked(self) -> str:
        from dangjian.grids.models import mask_name

        return mask_name(self.resident_name)

    def accept_overdue(self, now: dt.datetime) -> bool:
        return self.state == State.RECEIVED and now > self.accept_due_at

    def resolve_overdue(self, now: dt.datetime) -> bool:
        return self.state in OPEN_STATES and now > self.resolve_due_at

    def is_overdue(self, now: dt.datetime) -> bool:
        return self.accept_overdue(now) or self.resolve_overdue(now)


class AppealEvent(models.Model):
    """One step of an appeal's history: every transition, escalation and correction."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(_("step"), max_length=20)
    from_state = models.CharField(max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=State.choices, blank=True)
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Who, when there is no user: "resident" or "system".
    by_label = models.CharField(max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def step_label(self) -> str:
        from dangjian.appeals.workflow import EVENT_LABELS

        return EVENT_LABELS.get(self.step, self.step)


class IntakeCounter(models.Model):
    """Public requests per client address per time window, shared by all server processes."""

    key = models.CharField(max_length=80)
    window = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="intake_counter_window")]


class IntakeChallenge(models.Model):
    """The public form's check question, kept on the server and answered once.

    The page carries only the random token; a retry of the same submission finds
    the appeal the token already brought in.
    """

    token = models.CharField(max_length=64, unique=True)
    answer = models.PositiveSmallIntegerField()
    issued_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)
    appeal = models.ForeignKey(Appeal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")


class ClassifierRun(models.Model):
    """One training of the category classifier (on a schedule, or by command): the fitted model, which
    every server process loads when a newer run exists, and its held-out accuracy per category."""

    trained_at = models.DateTimeField(_("trained at"), db_index=True)
    shipped = models.PositiveIntegerField(_("shipped examples"), default=0)
    confirmed = models.PositiveIntegerField(_("staff-confirmed examples"), default=0)
    # {"accuracy": .., "test": n, "baseline": .., "per_category": {code: {"n": .., "correct": .., "accuracy": ..}}}
    report = models.JSONField(_("held-out accuracy"), default=dict)
    model = models.BinaryField(editable=False)

    class Meta:
        ordering = ["-trained_at", "-id"]
