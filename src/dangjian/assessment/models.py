"""Assessment (考核): a scheme per period set by the superior, scored item by item, graded."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import TimeStampedModel


class ComponentKind(models.TextChoices):
    SUPERIOR = "superior", _("superior assessment items (less deductions)")
    DUTY = "duty", _("responsibility list")
    DEMOCRATIC = "democratic", _("democratic evaluation")


DEFAULT_WEIGHTS = {ComponentKind.SUPERIOR: 60, ComponentKind.DUTY: 0, ComponentKind.DEMOCRATIC: 40}
# DOMAIN.md's published scheme: >= 90 five stars, 80-89 four, 70-79 three, 60-69 two, below 60 one.
DEFAULT_THRESHOLDS = [90, 80, 70, 60]


class SchemeState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SCORING = "scoring", _("scoring")
    PUBLISHED = "published", _("results published")


class Scheme(TimeStampedModel):
    org = models.ForeignKey("orgs.Org", verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("period starts"))
    ends_on = models.DateField(_("period ends"))
    org_kind = models.CharField(_("organisations assessed (kind)"), max_length=20)
    thresholds = models.JSONField(_("grade thresholds"), default=list)
    five_star_cap = models.PositiveSmallIntegerField(_("five-star share cap (%)"), default=30)
    state = models.CharField(_("status"), max_length=10, choices=SchemeState.choices, default=SchemeState.DRAFT)

    class Meta:
        verbose_name = _("assessment scheme")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title


class Component(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="components")
    kind = models.CharField(_("component"), max_length=12, choices=ComponentKind.choices)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "kind"], name="one_component_per_kind")]


class SchemeItem(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("item"), max_length=200)
    max_points = models.PositiveSmallIntegerField(_("points"))
    guidance = models.TextField(_("scoring guidance"), blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class State(models.TextChoices):
    PENDING = "pending", _("awaiting self-report")
    SUBMITTED = "submitted", _("self-report submitted")
    SCORED = "scored", _("scored")
    PUBLISHED = "published", _("published")


class Assessment(TimeStampedModel):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="assessments")
    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.PENDING)
    self_report = models.TextField(_("self-report"), blank=True)
    evidence = models.FileField(_("evidence file"), upload_to="assessment/%Y/", blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    duty_list = models.ForeignKey("duty.DutyList", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rounds = models.ManyToManyField("surveys.Round", blank=True, related_name="+")
    breakdown = models.JSONField(default=dict, blank=True)
    final_score = models.DecimalField(_("final score"), max_digits=6, decimal_places=2, null=True, blank=True)
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment")
        ordering = ["scheme", "org__path"]
        constraints = [models.UniqueConstraint(fields=["scheme", "org"], name="one_assessment_per_org")]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.org}"


class ItemScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(SchemeItem, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="one_score_per_item")]


class Deduction(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="deductions")
    points = models.DecimalField(_("points deducted"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")


class ScoreAppeal(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("awaiting answer")
        ANSWERED = "answered", _("answered")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="appeals")
    text = models.TextField(_("grounds of appeal"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("score appeal")
        ordering = ["-id"]
