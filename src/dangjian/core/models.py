from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SingletonSettings(models.Model):
    """Installation-wide rule values kept in one row (pk=1), with the defaults as field defaults."""

    class Meta:
        abstract = True

    @classmethod
    def current(cls):
        return cls.objects.get_or_create(pk=1)[0]


class CorrectionRecord(models.Model):
    """An earlier version of a record: the values before and after a change, why, who, when."""

    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)
    reason = models.CharField(_("reason"), max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]
