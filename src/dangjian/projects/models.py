"""Party-building projects (书记项目 and others): targets, milestones, tasks, progress, budget."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import TimeStampedModel


class Status(models.TextChoices):
    PROPOSAL = "proposal", _("proposal")
    SUBMITTED = "submitted", _("awaiting approval")
    EXECUTING = "executing", _("in execution")
    REVIEW = "review", _("awaiting acceptance")
    ACCEPTED = "accepted", _("accepted after review")


class Kind(models.TextChoices):
    SECRETARY = "secretary", _("Secretary project")
    JOINT = "joint", _("Joint project with partner units")
    OTHER = "other", _("Other Party-building project")


class Project(TimeStampedModel):
    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    partners = models.ManyToManyField("orgs.Org", verbose_name=_("partner organisations"), blank=True, related_name="+")
    partner_units = models.CharField(_("partner units"), max_length=200, blank=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.SECRETARY)
    title = models.CharField(_("title"), max_length=120)
    aim = models.TextField(_("aim"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    budget = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSAL, db_index=True)
    decision_comment = models.CharField(_("comment"), max_length=500, blank=True)
    acceptance_score = models.PositiveSmallIntegerField(_("acceptance score"), null=True, blank=True)
    acceptance_comment = models.TextField(_("acceptance comments"), blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("project")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["org", "status"], name="project_org_status")]

    def __str__(self) -> str:
        return self.title


class Target(models.Model):
    """A measurable target: bound to a registered metric, or reported with evidence."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(_("target"), max_length=120)
    metric_code = models.CharField(_("bound to recorded work"), max_length=60, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, default=0)
    target_value = models.DecimalField(_("target value"), max_digits=12, decimal_places=2)
    due_on = models.DateField(_("due on"))
    reported_value = models.DecimalField(_("reported value"), max_digits=12, decimal_places=2, null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        verbose_name = _("target")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=120)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=120)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(_("deadline"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_on", "due_on"], name="task_owner_open")]

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    file = models.FileField(_("evidence file"), upload_to="projects/%Y/%m/", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("progress update")
        ordering = ["-on", "-id"]


class Spending(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="spendings")
    spent_on = models.DateField(_("date"))
    item = models.CharField(_("item"), max_length=120)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("spending")
        ordering = ["-spent_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="project_spending_positive")]
