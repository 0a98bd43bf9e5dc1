"""Membership dues (党费): each member's base, the monthly ledger, payments, remittances."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import TimeStampedModel


class DuesRules(models.Model):
    """The installation's dues brackets: one row (pk=1), seeded with DOMAIN.md defaults.

    Each bracket's upper bound is inclusive: a base of exactly 3000.00 pays the
    0.5 % rate, 3000.01 pays 1 %.
    """

    employed_limit_1 = models.DecimalField(_("employed: upper bound of bracket 1"), max_digits=10, decimal_places=2, default=Decimal("3000"))
    employed_limit_2 = models.DecimalField(_("employed: upper bound of bracket 2"), max_digits=10, decimal_places=2, default=Decimal("5000"))
    employed_limit_3 = models.DecimalField(_("employed: upper bound of bracket 3"), max_digits=10, decimal_places=2, default=Decimal("10000"))
    employed_rate_1 = models.DecimalField(_("employed: rate of bracket 1 (%)"), max_digits=5, decimal_places=2, default=Decimal("0.5"))
    employed_rate_2 = models.DecimalField(_("employed: rate of bracket 2 (%)"), max_digits=5, decimal_places=2, default=Decimal("1"))
    employed_rate_3 = models.DecimalField(_("employed: rate of bracket 3 (%)"), max_digits=5, decimal_places=2, default=Decimal("1.5"))
    employed_rate_4 = models.DecimalField(_("employed: rate above bracket 3 (%)"), max_digits=5, decimal_places=2, default=Decimal("2"))
    retired_limit_1 = models.DecimalField(_("retired: upper bound of bracket 1"), max_digits=10, decimal_places=2, default=Decimal("5000"))
    retired_rate_1 = models.DecimalField(_("retired: rate of bracket 1 (%)"), max_digits=5, decimal_places=2, default=Decimal("0.5"))
    retired_rate_2 = models.DecimalField(_("retired: rate above bracket 1 (%)"), max_digits=5, decimal_places=2, default=Decimal("1"))
    # 2008 党费规定 一、第六条 (core.references.ARTICLES["dues.fixed"]).
    fixed_default = models.DecimalField(_("rural members: default monthly amount"), max_digits=6, decimal_places=2, default=Decimal("0.50"))
    fixed_min = models.DecimalField(_("rural members: lowest amount"), max_digits=6, decimal_places=2, default=Decimal("0.20"))
    fixed_max = models.DecimalField(_("rural members: highest amount"), max_digits=6, decimal_places=2, default=Decimal("1.00"))
    special_amount = models.DecimalField(_("students, unemployed, on relief: monthly amount"), max_digits=6, decimal_places=2, default=Decimal("0.20"))
    warn_months = models.PositiveSmallIntegerField(_("arrears warning after (months)"), default=3)
    alarm_months = models.PositiveSmallIntegerField(_("arrears alarm after (months)"), default=5)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dues rules")


class DuesBase(TimeStampedModel):
    """A member's monthly after-tax salary (the base), or a fixed amount override."""

    member = models.OneToOneField("orgs.Member", on_delete=models.CASCADE, related_name="dues_base")
    monthly_base = models.DecimalField(_("monthly after-tax salary"), max_digits=10, decimal_places=2, null=True, blank=True)
    fixed_amount = models.DecimalField(_("fixed monthly amount"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("dues base")


class Due(models.Model):
    """One member's dues for one month: base, rate and amount frozen when generated."""

    member = models.ForeignKey("orgs.Member", on_delete=models.PROTECT, related_name="dues")
    # The branch the member belonged to for that month: scope and remittance follow it.
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="dues")
    month = models.DateField(_("month"), help_text="first day of the month")
    employment = models.CharField(_("employment"), max_length=20)
    base = models.DecimalField(_("base"), max_digits=10, decimal_places=2, null=True, blank=True)
    rate = models.DecimalField(_("rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(_("amount due"), max_digits=10, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("monthly due")
        ordering = ["-month", "org__path", "member_id"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="one_due_per_member_month")]
        indexes = [
            models.Index(fields=["org", "month"], name="due_org_month"),
            # One month across the whole tree (the arrears to-do), member ids without the table.
            models.Index(fields=["month", "member"], name="due_month_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%Y-%m}"


class Payment(models.Model):
    """The payment of one due. One due, one payment: a second one is refused."""

    due = models.OneToOneField(Due, on_delete=models.PROTECT, related_name="payment")
    amount = models.DecimalField(_("amount paid"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    payer = models.ForeignKey(
        "orgs.Member", verbose_name=_("paid by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="dues_paid_for_others", help_text="set when someone pays on the member's behalf",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dues payment")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive")]


class Remittance(models.Model):
    """Dues an organisation handed to its superior for one month."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="dues_remittances")
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("amount remitted"), max_digits=12, decimal_places=2)
    remitted_on = models.DateField(_("remitted on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dues remittance")
        ordering = ["-month", "org__path"]
        constraints = [
            models.UniqueConstraint(fields=["org", "month"], name="one_remittance_per_org_month"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="remittance_amount_positive"),
        ]


class VoidRecord(models.Model):
    """Who recorded the row, who voided it, when and why."""

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    voided_at = models.DateTimeField(_("voided at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        abstract = True
        ordering = ["-voided_at", "-id"]


class VoidedPayment(VoidRecord):
    """A payment taken back (entry mistake): a full copy of it, why, by whom, when.

    Voiding moves the row here, so the ledger, arrears and every metric read
    only valid payments without a filter, and the mistake stays on record.
    """

    original_id = models.PositiveBigIntegerField(_("original payment number"))
    due = models.ForeignKey(Due, on_delete=models.PROTECT, related_name="voided_payments")
    amount = models.DecimalField(_("amount paid"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    payer = models.ForeignKey("orgs.Member", verbose_name=_("paid by"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    replaced_by = models.PositiveBigIntegerField(_("replaced by payment"), null=True, blank=True)

    class Meta:
        verbose_name = _("voided dues payment")
        ordering = ["-voided_at", "-id"]


class VoidedRemittance(VoidRecord):
    """A remittance taken back: a full copy of it, why, by whom, when."""

    original_id = models.PositiveBigIntegerField(_("original remittance number"))
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="voided_remittances")
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("amount remitted"), max_digits=12, decimal_places=2)
    remitted_on = models.DateField(_("remitted on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("voided dues remittance")
        ordering = ["-voided_at", "-id"]


class Reduction(models.Model):
    """少交/免交: a member in real difficulty pays less or nothing for some months.

    2008 党费规定 一、第七条 (core.references.ARTICLES["dues.reduction"]): the
    branch studies it and proposes, the superior committee approves; only an
    approved reduction changes what the ledger asks for.
    """

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed by the branch")
        APPROVED = "approved", _("approved by the superior")
        REFUSED = "refused", _("refused by the superior")

    member = models.ForeignKey("orgs.Member", on_delete=models.PROTECT, related_name="dues_reductions")
    amount = models.DecimalField(_("monthly amount (0 exempts)"), max_digits=6, decimal_places=2)
    first_month = models.DateField(_("from month"))
    last_month = models.DateField(_("to month"))
    reason = models.CharField(_("reason"), max_length=200)
    proposed_on = models.DateField(_("branch proposed on"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PROPOSED)
    decided_on = models.DateField(_("superior decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("dues reduction or exemption")
        ordering = ["-first_month", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="reduction_amount_not_negative")]
