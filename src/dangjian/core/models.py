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


class CorrectionNote(models.Model):
    """Why, who and when, for a kept earlier version. A record whose earlier values need their own
    columns (an encrypted phone must not sit in plain JSON) adds them to this."""

    reason = models.CharField(_("reason"), max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]


class CorrectionRecord(CorrectionNote):
    """An earlier version of a record: the values before and after a change, why, who, when."""

    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)

    class Meta(CorrectionNote.Meta):
        abstract = True
