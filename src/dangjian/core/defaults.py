"""What a form opens on when the user has not said: their own organisation.

A secretary with one branch, or a member recording their own work, should not
have to pick from a list to reach the only sensible answer, and should never
land on "everything I manage" when a page needs one organisation.
"""

from django.db.models import QuerySet


def own_org(user, orgs):
    """Of `orgs` (a queryset or list of the orgs the user may act on here), the one to open on, or None.

    The user's own org (their roster member's) or the nearest org above it
    among `orgs`; else the only org there is. Two small queries at most.
    """
    member = getattr(user, "member", None)
    if member is not None and member.org_id:
        org = member.org
        path, step = org.path, org.steplen
        ancestry = [path[:k] for k in range(step, len(path) + 1, step)]
        if isinstance(orgs, QuerySet):
            mine = list(orgs.filter(path__in=ancestry))
        else:
            mine = [o for o in orgs if o.path in ancestry]
        if mine:
            return max(mine, key=lambda o: len(o.path))
    first_two = list(orgs[:2])
    return first_two[0] if len(first_two) == 1 else None
