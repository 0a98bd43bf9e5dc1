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
