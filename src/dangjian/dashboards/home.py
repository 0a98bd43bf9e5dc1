"""The home page: where the signed-in person stands, and what waits for them, most urgent first.

Everything comes from the apps through core registries (core.home for the
person's own records, core.todo for what waits for action), so this page
imports no feature app. The to-do list is summarised: the urgent items first,
then one card per area with its counts and first three items (home.html), the rest folded.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dangjian.core.home import panels_for
from dangjian.core.todo import todo_groups

URGENT_SHOWN = 5  # "needs you now": at most this many, the rest stay in their areas


@login_required
def home(request):
    groups = todo_groups(request.user)
    items = [i for g in groups for i in g.items]
    urgent = [i for i in items if i.severity == "bad"][:URGENT_SHOWN]
    return render(request, "home.html", {
        "panels": panels_for(request.user), "groups": groups, "items": items, "urgent": urgent
    })
