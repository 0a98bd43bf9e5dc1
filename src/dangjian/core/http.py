"""Authorising a request, once: what a user may not do or see does not exist for them (404, never 403).

Views, API endpoints and services call these instead of testing capabilities
by hand. Fetching one object goes through `scoping.get_scoped_or_404`.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from dangjian.core.scoping import has_capability, is_superior, is_unrestricted, org_in_scope


def require_capability(user, capability: str, *, through: tuple[str, ...] = ()) -> None:
    """The user holds the capability somewhere in the tree (or, through, over some linked records); else 404."""
    if not has_capability(user, capability, through=through):
        raise Http404


def require_in_scope(user, capability: str, org) -> None:
    """The org lies in a subtree where the user holds the capability; else 404."""
    if not org_in_scope(user, capability, org):
        raise Http404


def require_superuser(user) -> None:
    """Installation-wide settings (rules, thresholds): the superuser only; else 404."""
    if not is_unrestricted(user):
        raise Http404


def require_superior(user, org, *, view: str, assess: str) -> None:
    """Approval, acceptance and rating come from above: `assess` over the org's parent.

    Someone who sees the org (`view`) but is not its superior is refused with a
    reason; someone who does not see it at all gets 404.
    """
    require_in_scope(user, view, org)
    if not is_superior(user, org, assess):
        raise ValidationError({"__all__": _("Only the superior Party organisation can approve or rate this")})
