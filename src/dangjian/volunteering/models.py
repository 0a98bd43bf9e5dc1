"""Volunteer activities, sign-up, attendance and hours (recorded once)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import TimeStampedModel


class Activity(TimeStampedModel):
    class State(models.TextChoices):
        OPEN = "open", _("open for sign-up")
        DONE = "done", _("attendance recorded")
        CANCELLED = "cancelled", _("cancelled")

    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=100)
    place = models.CharField(_("place"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    # A partner unit's volunteers count towards that unit (resources app), optional.
    partner = models.ForeignKey(
        "resources.PartnerUnit", verbose_name=_("partner unit"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("volunteer activity")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title


class SignUp(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    member = models.ForeignKey("orgs.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    attended = models.BooleanField(_("attended"), null=True)
    # The one record of hours: indicators and reports read it, nobody re-types it.
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "member"], name="one_signup_per_member"),
            models.CheckConstraint(condition=models.Q(hours__gte=0) | models.Q(hours__isnull=True), name="signup_hours_not_negative"),
        ]
