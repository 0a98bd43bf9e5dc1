"""Party organisations' activity and work funds (党组织活动经费): what each organisation spent, when, on what,
and where the money came from. The money side of the efficiency analysis (docs/metrics.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import TimeStampedModel


class FundSource(models.TextChoices):
    # Dues kept by the higher committee and allocated back to the grassroots for education and activities.
    DUES = "dues", _("Dues allocated back")
    # Funds guaranteed by the public budget (财政保障的党组织工作经费).
    BUDGET = "budget", _("Public budget guarantee")
    OTHER = "other", _("Other source")


class Spending(TimeStampedModel):
    """One payment out of an organisation's activity funds. Corrected in place, every change audited."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    spent_on = models.DateField(_("date"), db_index=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    purpose = models.CharField(_("purpose"), max_length=200)
    source = models.CharField(_("source of funds"), max_length=10, choices=FundSource.choices)
    # Optional links to the work the money paid for: string references (no import of meetings or projects,
    # which sit beside funds on the features line); the meeting's and the project's pages list them back
    # through core.references.
    meeting = models.ForeignKey("meetings.Meeting", verbose_name=_("meeting"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    project = models.ForeignKey("projects.Project", verbose_name=_("project"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("activity funds spending")
        verbose_name_plural = _("activity funds spending")
        ordering = ["-spent_on", "-id"]
        indexes = [models.Index(fields=["org", "spent_on"], name="funds_org_spent_on")]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="funds_spending_positive")]

    def __str__(self) -> str:
        return f"{self.spent_on} · {self.purpose} · {self.amount}"
