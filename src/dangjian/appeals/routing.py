"""Routing an appeal to a grid by the words of its address (and text)."""

from django.db.models import Q

from dangjian.grids.models import Grid
from dangjian.orgs.models import Org


def candidate_grids(org: Org):
    """Active grids of the org's subtree, or of the org's ancestors (a branch inside a community)."""
    ancestors = [org.path[:i] for i in range(Org.steplen, len(org.path) + 1, Org.steplen)]
    return Grid.objects.filter(Q(org__path__subtree=org.path) | Q(org__path__in=ancestors), is_active=True)


def route_to_grid(org: Org, *, address: str, text: str = "") -> Grid | None:
    """The grid whose keywords best match; address words count double. None if nothing matches."""
    best, best_score = None, 0
    for grid in candidate_grids(org).order_by("code"):
        score = 0
        for word in grid.keyword_list():
            score += 2 * address.count(word) + text.count(word)
        if score > best_score:
            best, best_score = grid, score
    return best
