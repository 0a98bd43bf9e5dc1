"""Responsibility lists (责任清单): per year and organisation, quantitative and qualitative items."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import TimeStampedModel


class ItemKind(models.TextChoices):
    QUANTITATIVE = "quantitative", _("quantitative (from recorded work)")
    QUALITATIVE = "qualitative", _("qualitative (rated by the superior)")


class DutyTemplate(TimeStampedModel):
    """Issued by a superior to every organisation of one kind below it, in one action."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    org_kind = models.CharField(_("for organisations of kind"), max_length=20)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)

    class Meta:
        verbose_name = _("responsibility list template")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class ItemFields(models.Model):
    title = models.CharField(_("item"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=ItemKind.choices)
    metric_code = models.CharField(_("metric"), max_length=60, blank=True)
    target_value = models.DecimalField(_("target value"), max_digits=12, decimal_places=2, null=True, blank=True)
    points = models.PositiveSmallIntegerField(_("points"), default=10)

    class Meta:
        abstract = True


class DutyTemplateItem(ItemFields):
    template = models.ForeignKey(DutyTemplate, on_delete=models.CASCADE, related_name="items")

    class Meta:
        ordering = ["id"]


class DutyList(TimeStampedModel):
    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    role = models.CharField(_("post"), max_length=60, blank=True, help_text=_("e.g. secretary; blank for the organisation"))
    template = models.ForeignKey(DutyTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="lists")

    class Meta:
        verbose_name = _("responsibility list")
        ordering = ["-year", "org__path", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "template"], name="one_list_per_org_template")]

    def __str__(self) -> str:
        return f"{self.org} {self.year} {self.title}"


class DutyItem(ItemFields):
    duty_list = models.ForeignKey(DutyList, on_delete=models.CASCADE, related_name="items")
    rating = models.DecimalField(_("rating"), max_digits=6, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rated_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("responsibility item")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title
