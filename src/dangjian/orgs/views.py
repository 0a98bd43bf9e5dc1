from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from dangjian.accounts import roles
from dangjian.core.scoping import scoped
from dangjian.orgs.models import Member


@login_required
def member_list(request):
    members = scoped(Member.objects.select_related("org"), request.user, roles.VIEW_ROSTER).order_by("org__path", "id")
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    return render(request, "orgs/member_list.html", {"page": page})
