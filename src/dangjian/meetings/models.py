from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.models import CorrectionRecord, SingletonSettings, TimeStampedModel


class MeetingType(models.TextChoices):
    BRANCH_GENERAL = "branch_general", _("Branch general meeting")
    COMMITTEE = "committee", _("Branch committee meeting")
    GROUP = "group", _("Party group meeting")
    LECTURE = "lecture", _("Party lecture")
    THEME_DAY = "theme_day", _("Theme Party day")
    LIFE_MEETING = "life_meeting", _("Organisational life meeting")
    APPRAISAL = "appraisal", _("Democratic appraisal of members")


class Frequency(models.IntegerChoices):
    """How often a meeting type is due, as months per period (calendar-aligned)."""

    OFF = 0, _("not required")
    MONTHLY = 1, _("monthly")
    QUARTERLY = 3, _("quarterly")
    HALF_YEARLY = 6, _("half-yearly")
    YEARLY = 12, _("yearly")


class MeetingRule(models.Model):
    """One row per meeting type; seeded with DOMAIN.md defaults, edited by a superuser."""

    meeting_type = models.CharField(_("meeting type"), max_length=20, choices=MeetingType.choices, unique=True)
    every_months = models.PositiveSmallIntegerField(_("frequency"), choices=Frequency.choices)
    default_every_months = models.PositiveSmallIntegerField(_("default frequency"), choices=Frequency.choices)

    class Meta:
        verbose_name = _("meeting rule")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_meeting_type_display()


class LifeRule(SingletonSettings):
    """Thresholds of the six-month rule (Party Constitution) and its early warnings. A singleton (pk=1)."""

    first_warning_months = models.PositiveSmallIntegerField(_("first warning after (months)"), default=3)
    second_warning_months = models.PositiveSmallIntegerField(_("second warning after (months)"), default=5)
    limit_months = models.PositiveSmallIntegerField(_("regarded as having left after (months)"), default=6)

    class Meta:
        verbose_name = _("organisational life rule")



class Meeting(TimeStampedModel):
    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        # Kept with its reason; no longer counts as planned, never as held.
        CANCELLED = "cancelled", _("cancelled")

    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    meeting_type = models.CharField(_("meeting type"), max_length=20, choices=MeetingType.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PLANNED)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=100)
    topic = models.CharField(_("topic"), max_length=200)
    host = models.ForeignKey(
        "orgs.Member", verbose_name=_("host"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # 党课's lecturer (主讲人): the secretary gives at least one a year (ARTICLES["secretary.duties"]).
    lecturer = models.ForeignKey(
        "orgs.Member", verbose_name=_("lecturer"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes = models.TextField(_("minutes"), blank=True)
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        verbose_name = _("meeting")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["org", "state", "starts_at"], name="meeting_org_state_time")]

    def __str__(self) -> str:
        return f"{self.get_meeting_type_display()} · {self.topic}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        LEAVE = "leave", _("on leave")
        ABSENT = "absent", _("absent")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("orgs.Member", verbose_name=_("member"), on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    reason = models.CharField(_("reason for leave"), max_length=200, blank=True)
    # False: a row kept from before attendance followed the meeting type, for a member the meeting did not
    # expect (a 支委会 recorded for the whole branch, migration 0006). Shown on the meeting's page as such;
    # counted in no figure (participation, the six-month rule).
    expected = models.BooleanField(_("expected at the meeting"), default=True)

    class Meta:
        verbose_name = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")]
        indexes = [
            models.Index(fields=["member", "status"], name="attendance_member_status"),
            # Who attended the meetings of a period, without reading the table (the six-month rule).
            models.Index(fields=["meeting", "status", "member"], name="att_meeting_status_member"),
        ]


class LastLife(models.Model):
    """A member's last organisational life: the start of the last held meeting they were expected at and attended
    or were excused from (the six-month rule, 党章第九条, ARTICLES["member.lapsed"]).

    Derived from Attendance and kept in step by the meetings services (meetings.life_dates.refresh after every
    write that changes attendance, a meeting's state or its date); no row while a member has none. The rule is
    then a range on `last_at` instead of a search through every member's attendance. `manage.py life_dates`
    recomputes it and reports any drift.
    """

    member = models.OneToOneField("orgs.Member", verbose_name=_("member"), on_delete=models.CASCADE,
                                  primary_key=True, related_name="+")
    last_at = models.DateTimeField(_("last organisational life"))

    class Meta:
        verbose_name = _("last organisational life")
        indexes = [models.Index(fields=["last_at"], name="lastlife_last_at")]


class MeetingCorrection(CorrectionRecord):
    """One change to a meeting after it was planned or recorded: what it was before, why, who."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("plan changed")
        CANCEL = "cancel", _("cancelled")
        RECORD = "record", _("record corrected")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(_("kind of change"), max_length=10, choices=Kind.choices)
    # `before` and `after` hold {field: value}; attendance as {member id: [status, reason]}.

    class Meta(CorrectionRecord.Meta):
        verbose_name = _("meeting correction")


class Attachment(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="meetings/%Y/%m/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Outcome(models.TextChoices):
    EXCELLENT = "excellent", _("excellent")
    QUALIFIED = "qualified", _("qualified")
    BASIC = "basic", _("basically qualified")
    UNQUALIFIED = "unqualified", _("unqualified")


class Appraisal(TimeStampedModel):
    """Annual democratic appraisal of one member (民主评议党员): one per member and year."""

    member = models.ForeignKey("orgs.Member", verbose_name=_("member"), on_delete=models.CASCADE, related_name="+")
    # The branch that appraised the member; kept if the member later transfers.
    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("democratic appraisal")
        ordering = ["-year", "org__path", "id"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="one_appraisal_per_member_year")]

    def __str__(self) -> str:
        return f"{self.year} · {self.get_outcome_display()}"


class Talk(models.Model):
    """A heart-to-heart talk (谈心谈话): who talked with whom, when (支部工作条例 第二十一条, ARTICLES["secretary.duties"]).

    The secretary talks with the members at least once a year; the record is what the yearly check reads.
    """

    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    talker = models.ForeignKey("orgs.Member", verbose_name=_("talked"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("orgs.Member", verbose_name=_("with member"), on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    note = models.CharField(_("what was talked about"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("heart-to-heart talk")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["talker", "held_on"], name="talk_talker_date")]


class Measure(models.TextChoices):
    """What the branch decides for a member appraised 不合格 (ARTICLES["member.unqualified"])."""

    CORRECT = "correct", _("correct within a deadline")  # 限期改正
    PERSUADE = "persuade", _("persuade to leave the Party")  # 劝其退党
    REMOVE = "remove", _("remove from the Party")  # 除名


class FollowUp(models.Model):
    """One decision of the branch on a member appraised 不合格, and how it ended (处置不合格党员).

    ARTICLES["member.unqualified"]: 限期改正 (generally six months to a year), 劝其退党 or 除名 (党章第九条).
    Steps follow each other on one appraisal: 限期改正 ends with a review, corrected (closed) or not
    (then 劝退 or 除名); 劝退 ends with the member leaving (退党) or refusing (then 除名); 劝退 and 除名
    end the membership through orgs.services.membership_end (branch meeting, superior's approval).
    One step is open at a time.
    """

    class Result(models.TextChoices):
        OPEN = "", pgettext_lazy("unqualified", "open")
        CORRECTED = "corrected", pgettext_lazy("unqualified", "corrected")
        NOT_CORRECTED = "not_corrected", _("not corrected")
        REFUSED = "refused", _("refused to leave")
        ENDED = "ended", _("membership ended")

    appraisal = models.ForeignKey(Appraisal, verbose_name=_("democratic appraisal"), on_delete=models.CASCADE,
                                  related_name="followups")
    measure = models.CharField(_("decision"), max_length=10, choices=Measure.choices)
    decided_on = models.DateField(_("branch meeting decided on"))
    deadline = models.DateField(_("correct by"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=14, choices=Result.choices, default="", blank=True)
    result_on = models.DateField(_("result on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up of an unqualified member")
        ordering = ["decided_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal"], condition=models.Q(result=""), name="one_open_followup"),
            models.CheckConstraint(condition=~models.Q(measure="correct") | models.Q(deadline__isnull=False),
                                   name="followup_correct_has_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} · {self.decided_on:%Y-%m-%d}"


class GoodReason(models.Model):
    """A good reason (正当理由) for a member's absence from organisational life, dues or assigned work over a
    period: while it covers part of the last six months, 党章第九条 (ARTICLES["member.lapsed"]) does not hold."""

    member = models.ForeignKey("orgs.Member", verbose_name=_("member"), on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("good reason"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("good reason")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["member", "ends_on"], name="goodreason_member_end")]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="goodreason_ends_after_start")]
