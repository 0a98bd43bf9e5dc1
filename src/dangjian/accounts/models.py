import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.roles import Role


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    member = models.OneToOneField(
        "orgs.Member", verbose_name=_("roster member"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="user",
    )

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleGrant(models.Model):
    """A role held on an org node; it covers the node's subtree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("role grant")
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="unique_role_grant")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.org}"


class ApiToken(models.Model):
    """A per-user API token. Only its SHA-256 is stored; it is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=50)
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Tokens from before expiry existed have none: they lapse API_TOKEN_DAYS after creation.
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    @property
    def expires(self):
        return self.expires_at or self.created_at + dt.timedelta(days=settings.API_TOKEN_DAYS)

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def new_raw(cls) -> str:
        return "dj_" + secrets.token_urlsafe(32)
