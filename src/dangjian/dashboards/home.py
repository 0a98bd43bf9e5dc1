"""The home page: where the signed-in person stands, and what waits for them, most urgent first.

Everything comes from the apps through core registries (core.home for the
role's work panels and the person's own records, core.todo for what waits for
action), so this page imports no feature app. Which home the user gets (grid
worker, secretary, reviewer, officer, member) is decided from their
capabilities (core.home.home_of). The to-do list is split by who must act: what
the reader must do comes first (the urgent items, then one card per area with
its counts and first three items, the rest folded); what others must do (an
officer sees every branch's work) is summarised per actor and area, with counts.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dangjian.core.home import home_of, panels_for
from dangjian.core.todo import TodoGroup, group_by_actor, todo_for

URGENT_SHOWN = 5  # "needs you now": at most this many, the rest stay in their areas


@login_required
def home(request):
    role_home = home_of(request.user)
    own, others = group_by_actor(todo_for(request.user), role_home.acts_as)
    groups: dict[str, TodoGroup] = {}
    for item in own:
        groups.setdefault(item.area, TodoGroup(item.area)).items.append(item)
    urgent = [i for i in own if i.severity == "bad"][:URGENT_SHOWN]
    panels = panels_for(request.user, role_home)
    return render(request, "home.html", {
        "home": role_home, "work_panels": [p for p in panels if p.work], "panels": [p for p in panels if not p.work],
        "groups": sorted(groups.values(), key=lambda g: g.rank), "items": own, "urgent": urgent, "others": others,
    })
