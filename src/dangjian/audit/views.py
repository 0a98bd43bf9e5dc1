from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from dangjian.audit.capabilities import VIEW_AUDIT
from dangjian.audit.display import actor_shown, entry_changes, record_kind
from dangjian.audit.models import Action, AuditEntry
from dangjian.core.http import require_capability
from dangjian.core.scoping import scope_q


@login_required
def audit_list(request):
    require_capability(request.user, VIEW_AUDIT)
    entries = AuditEntry.objects.filter(scope_q(request.user, VIEW_AUDIT, path_field="org_path"))
    # Entries without an org (sign-ins, tokens) are visible to the whole-tree auditor only.
    if scope_q(request.user, VIEW_AUDIT, path_field="org_path") == Q():
        entries = AuditEntry.objects.all()
    action = request.GET.get("action", "")
    if action in Action.values:
        entries = entries.filter(action=action)
    q = request.GET.get("q", "").strip()
    if q:
        entries = entries.filter(Q(actor_name__icontains=q) | Q(target_repr__icontains=q))
    page = Paginator(entries.order_by("-id"), 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.shown_changes = entry_changes(entry)
        entry.kind = record_kind(entry)
        entry.actor_shown = actor_shown(entry)
    return render(request, "audit/list.html", {"page": page, "actions": Action.choices, "action": action, "q": q})
