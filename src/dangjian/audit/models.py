from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    REVEAL = "reveal", _("reveal")
    EXPORT = "export", _("export")
    IMPORT = "import", _("import")
    LOGIN = "login", _("sign in")
    LOGIN_FAILED = "login_failed", _("failed sign-in")
    LOGOUT = "logout", _("sign out")
    DOWNLOAD = "download", _("download")
    TRANSITION = "transition", _("state change")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("the audit log is append-only")

    def delete(self):
        raise PermissionError("the audit log is append-only")


class AuditEntry(models.Model):
    """One write or reveal. Append-only; each row seals the one before it."""

    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("user"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    target_type = models.CharField(_("record type"), max_length=60, blank=True)
    target_id = models.CharField(_("record"), max_length=40, blank=True)
    target_repr = models.CharField(_("record"), max_length=200, blank=True)
    # The org the record belongs to: auditors see entries of their subtree.
    org_path = models.CharField(max_length=255, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # How the hash was made: 0 plain SHA-256 (entries written before the chain
    # was keyed), 1 HMAC-SHA256 with the audit key, which lives outside the database.
    key_version = models.PositiveSmallIntegerField(default=1)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit log is append-only")


class AuditHead(models.Model):
    """A single row holding the newest hash; locking it serialises appends."""

    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)
