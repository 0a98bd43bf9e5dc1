"""Functional departments (职能部门) and the street's summons to a case (吹哨报到).

A street keeps its departments (city management, housing, police station...)
and their contacts as records. When a case needs them, the street summons a
department with a deadline ("吹哨"); the department answers ("报到") through
its own login or the API. An unanswered summons past its deadline escalates.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core import crypto
from dangjian.core.fields import EncryptedTextField
from dangjian.core.models import TimeStampedModel


class Department(TimeStampedModel):
    org = models.ForeignKey("orgs.Org", verbose_name=_("street"), on_delete=models.PROTECT,
                            related_name="departments")
    name = models.CharField(pgettext_lazy("department", "name"), max_length=100)
    code = models.CharField(pgettext_lazy("department", "code"), max_length=20)
    duties = models.CharField(_("duties"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("functional department")
        verbose_name_plural = _("functional departments")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="department_code_per_street")]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A department's contact; `user` is their login (granted the narrowed department role)."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(pgettext_lazy("contact", "name"), max_length=50)
    title = models.CharField(pgettext_lazy("contact", "title"), max_length=50, blank=True)
    phone = EncryptedTextField(pgettext_lazy("contact", "phone"), blank=True, default="")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("login"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="department_posts")

    class Meta:
        verbose_name = _("department contact")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.department} · {self.name}"

    @property
    def phone_masked(self) -> str:
        return crypto.mask_phone(self.phone)


class Summons(TimeStampedModel):
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="summonses")
    # A string reference, not an import: departments and appeals sit side by side on the features line.
    appeal = models.ForeignKey("appeals.Appeal", verbose_name=_("case"), on_delete=models.PROTECT,
                               related_name="summonses")
    request = models.CharField(_("what is asked"), max_length=500)
    summoned_at = models.DateTimeField(_("summoned at"), db_index=True)
    summoned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    due_at = models.DateTimeField(_("answer by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answer = models.TextField(pgettext_lazy("summons", "answer"), blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("summons")
        verbose_name_plural = _("summonses")
        ordering = ["-summoned_at", "-id"]

    def __str__(self) -> str:
        return f"{self.department} · {self.appeal}"

    @property
    def answered_on_time(self) -> bool:
        return self.answered_at is not None and self.answered_at <= self.due_at

    def is_overdue(self, now) -> bool:
        return self.answered_at is None and now > self.due_at
