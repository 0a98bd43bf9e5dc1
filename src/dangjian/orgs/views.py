"""Org tree and roster pages. Each view fetches through the scoping selector
(out of scope is 404), validates input, calls one service and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangjian.accounts import roles
from dangjian.core.http import require_capability
from dangjian.core.references import related_work
from dangjian.core.scoping import (
    get_scoped_or_404,
    has_capability,
    org_in_scope,
    scope_roots,
    visible_orgs,
)
from dangjian.orgs import selectors, services
from dangjian.orgs.forms import (
    EnteredInErrorForm,
    MemberFilterForm,
    MemberForm,
    OrgForm,
    OrgMoveForm,
    StatusForm,
    TransferForm,
    add_service_errors,
)
from dangjian.orgs.models import Member, Org, Status

PAGE_SIZE = 50


def _org_or_404(user, pk, capability=roles.VIEW_ROSTER) -> Org:
    return get_scoped_or_404(Org.objects.all(), user, capability, path_field="path", pk=pk)


def _member_or_404(user, pk, capability=roles.VIEW_ROSTER) -> Member:
    member = get_scoped_or_404(Member.objects.select_related("org"), user, capability, pk=pk)
    # A record entered in error is read-only, and only auditors still see it.
    if member.status == Status.ENTERED_IN_ERROR and (
        capability != roles.VIEW_ROSTER or not selectors.member_visible_to(user, member)
    ):
        raise Http404
    return member


def _org_url(org: Org) -> str:
    return reverse("orgs:org_detail", args=[org.pk])


def _member_url(member: Member) -> str:
    return reverse("orgs:member_detail", args=[member.pk])


def _page(request, org: Org | None, template: str, extra: dict):
    """Render an org-area page with the sidebar tree opened down to `org`."""
    context = {"tree": selectors.org_tree(request.user, org), "current_org": org, **extra}
    return render(request, template, context)


def _roster_search(request):
    """The filter form is posted, so that an ID number or phone typed in the search box
    never appears in a URL (or an access log): it goes on as its blind index.

    Returns the redirect to the filtered page, or for HTMX None after pointing
    request.GET at the filters (the fragment is rendered with HX-Push-Url).
    """
    query = QueryDict(mutable=True)
    query.update(MemberFilterForm(request.POST).query())
    url = f"{request.path}?{query.urlencode()}"
    if not request.htmx:
        return redirect(url)
    request.GET = query
    request.roster_push_url = url
    return None


def _roster_fragment(request, context):
    response = render(request, "orgs/_roster.html", context)
    if getattr(request, "roster_push_url", None):
        response["HX-Push-Url"] = request.roster_push_url
    return response


def _roster_page(request, org: Org | None) -> dict:
    form = MemberFilterForm(request.GET or None)
    members = selectors.member_search(request.user, org=org, **form.filters())
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"filter_form": form, "page": page, "query": query.urlencode()}


def _save(request, form, write, *, done: str, then):
    """On a valid POST run one service; its rule errors show inline in the form.

    Returns the redirect after success, or None to render the form again.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    except ObjectDoesNotExist as exc:  # a service's scope check: out of scope is missing
        raise Http404 from exc
    messages.success(request, done)
    return redirect(then(result))


# --- Tree and org pages ---------------------------------------------------------


@login_required
def org_index(request):
    root = scope_roots(request.user, roles.VIEW_ROSTER).first()
    if root is None:
        raise Http404
    return redirect("orgs:org_detail", pk=root.pk)


@login_required
@require_GET
def tree_children(request, pk):
    org = _org_or_404(request.user, pk)
    nodes = [selectors.TreeNode(org=c) for c in selectors.org_children(org)]
    return render(request, "orgs/_tree_nodes.html", {"nodes": nodes})


@login_required
def org_detail(request, pk):
    user = request.user
    org = _org_or_404(user, pk)
    if request.method == "POST" and (done := _roster_search(request)):
        return done
    today = timezone.localdate()
    context = {
        "org": org,
        "secretary": Member.objects.filter(pk=org.secretary_id).select_related("org").first(),
        "term": selectors.term_state(org.term_end, today),
        "children": list(selectors.org_children(org)),
        "counts": selectors.org_member_counts(org),
        "can_edit_org": org_in_scope(user, roles.EDIT_ORGS, org),
        "can_add_member": org.is_branch and org_in_scope(user, roles.EDIT_ROSTER, org),
        **_roster_page(request, org),
    }
    if request.htmx and request.htmx.target == "roster":
        return _roster_fragment(request, context)
    return _page(request, org, "orgs/org_detail.html", context)


@login_required
def org_create(request, pk):
    parent = _org_or_404(request.user, pk, roles.EDIT_ORGS)
    form = OrgForm(request.POST or None)
    done = _save(
        request, form, lambda data: services.org_create(by=request.user, parent=parent, data=data),
        done=_("Organisation created."), then=_org_url,
    )
    return done or _page(request, parent, "orgs/org_form.html", {"form": form, "parent": parent})


@login_required
def org_edit(request, pk):
    org = _org_or_404(request.user, pk, roles.EDIT_ORGS)
    form = OrgForm(request.POST or None, instance=org)
    done = _save(
        request, form, lambda data: services.org_update(by=request.user, org=org, data=data),
        done=_("Organisation saved."), then=_org_url,
    )
    return done or _page(request, org, "orgs/org_form.html", {"form": form, "org": org})


@login_required
def org_move(request, pk):
    org = _org_or_404(request.user, pk, roles.EDIT_ORGS)
    form = OrgMoveForm(request.POST or None, user=request.user)
    done = _save(
        request, form, lambda data: services.org_move(by=request.user, org=org, new_parent=data["parent"]),
        done=_("Organisation moved with everything below it."), then=_org_url,
    )
    if done:
        return done
    parents = visible_orgs(request.user, roles.EDIT_ORGS).exclude(path__subtree=org.path).order_by("path")[:500]
    return _page(request, org, "orgs/org_move.html", {"form": form, "org": org, "parents": parents})


# --- Roster -------------------------------------------------------------------------


@login_required
def member_list(request):
    require_capability(request.user, roles.VIEW_ROSTER)
    if request.method == "POST" and (done := _roster_search(request)):
        return done
    context = {**_roster_page(request, None), "can_add_member": has_capability(request.user, roles.EDIT_ROSTER)}
    if request.htmx and request.htmx.target == "roster":
        return _roster_fragment(request, context)
    return _page(request, None, "orgs/member_list.html", context)


@login_required
def member_detail(request, pk):
    member = _member_or_404(request.user, pk)
    user = request.user
    context = {
        "member": member,
        "tags": list(member.tags.all()),
        "can_reveal": org_in_scope(user, roles.REVEAL, member.org),
        "can_edit": org_in_scope(user, roles.EDIT_ROSTER, member.org),
        "can_transfer": org_in_scope(user, roles.TRANSFER, member.org),
        **selectors.member_history(member),
        # Work other apps record about the member (e.g. appeals from the households they serve).
        "related_work": related_work(member, user=user),
    }
    if member.status != Status.ENTERED_IN_ERROR and context["can_edit"]:
        context["error_form"] = EnteredInErrorForm()
        context["error_days"] = services.entered_in_error_days()
    return _page(request, member.org, "orgs/member_detail.html", context)


@login_required
@require_POST
def member_entered_in_error(request, pk):
    member = _member_or_404(request.user, pk, roles.EDIT_ROSTER)
    form = EnteredInErrorForm(request.POST)
    if form.is_valid():
        try:
            services.member_mark_entered_in_error(by=request.user, member=member, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The record is marked as entered in error; it is kept for the auditors."))
            return redirect("orgs:member_list")
    context = {"member": member, "tags": list(member.tags.all()), "error_form": form,
               "error_days": services.entered_in_error_days(), "can_edit": True,
               **selectors.member_history(member)}
    return _page(request, member.org, "orgs/member_detail.html", context)


@login_required
@require_POST
def member_reveal(request, pk, field):
    if field not in services.SENSITIVE:
        raise Http404
    member = _member_or_404(request.user, pk, roles.REVEAL)
    value = services.member_reveal(by=request.user, member=member, field=field)
    return render(request, "orgs/_revealed.html", {"value": value})


@login_required
def member_create(request):
    user = request.user
    require_capability(user, roles.EDIT_ROSTER)
    initial = {}
    org = None
    if request.GET.get("org"):
        org = _org_or_404(user, request.GET["org"], roles.EDIT_ROSTER)
        initial["org"] = org
    form = MemberForm(request.POST or None, user=user, initial=initial)
    done = _save(
        request, form, lambda data: services.member_create(by=user, data=form.member_data(), tags=data["tags"]),
        done=_("Member added to the roster."), then=_member_url,
    )
    return done or _page(request, org, "orgs/member_form.html", {"form": form})


@login_required
def member_edit(request, pk):
    member = _member_or_404(request.user, pk, roles.EDIT_ROSTER)
    form = MemberForm(request.POST or None, user=request.user, instance=member)
    done = _save(
        request, form,
        lambda data: services.member_update(by=request.user, member=member, data=form.member_data(), tags=data["tags"]),
        done=_("Member record saved."), then=_member_url,
    )
    return done or _page(request, member.org, "orgs/member_form.html", {"form": form, "member": member})


@login_required
def member_status(request, pk):
    member = _member_or_404(request.user, pk, roles.EDIT_ROSTER)
    # A page that starts an end of membership (meetings' lapsed members: 除名 after 自行脱党) names the status
    # and the reason in the link; the dates stay for whoever records the superior's approval.
    initial = {k: request.GET[k][:200] for k in ("status", "reason") if request.GET.get(k)}
    form = StatusForm(request.POST or None, member=member, initial=initial)
    done = _save(
        request, form,
        lambda data: services.member_set_status(
            by=request.user, member=member, status=data["status"], reason=data["reason"], on=data["changed_on"],
            decided_on=data.get("decided_on"),
        ) or member,
        done=_("Status changed."), then=_member_url,
    )
    return done or _page(request, member.org, "orgs/member_status.html", {"form": form, "member": member})


# --- Transfers ----------------------------------------------------------------------


@login_required
def transfer_request(request, pk):
    member = _member_or_404(request.user, pk, roles.TRANSFER)
    form = TransferForm(request.POST or None)
    done = _save(
        request, form,
        lambda data: services.transfer_request(by=request.user, member=member, **data).member,
        done=_("Transfer requested; it waits for the receiving organisation."), then=_member_url,
    )
    return done or _page(request, member.org, "orgs/transfer_form.html", {"form": form, "member": member})


@login_required
@require_GET
def branch_options(request):
    """<option>s for the receiving-branch picker: any branch, by code or name."""
    require_capability(request.user, roles.TRANSFER)
    text = request.GET.get("q") or request.GET.get("to_org") or ""
    return render(request, "orgs/_org_options.html", {"orgs": selectors.branch_search(text)})


@login_required
def transfer_inbox(request):
    require_capability(request.user, roles.TRANSFER)
    context = {
        "awaiting": selectors.transfers_awaiting(request.user),
        "sent": selectors.transfers_sent(request.user),
        "today": timezone.localdate(),
    }
    return _page(request, None, "orgs/transfer_inbox.html", context)


@login_required
@require_POST
def transfer_decide(request, pk):
    transfer = selectors.transfers_awaiting(request.user).filter(pk=pk).first()
    if transfer is None:
        raise Http404
    accept = request.POST.get("decision") == "accept"
    try:
        services.transfer_decide(by=request.user, transfer=transfer, accept=accept,
                                 late_reason=request.POST.get("late_reason", "")[:200])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if accept:
            messages.success(request, _("Transfer accepted: %(name)s now belongs to %(org)s.") % {
                "name": transfer.member.name, "org": transfer.to_org or transfer.external_org_name})
        else:
            messages.success(request, _("Transfer declined."))
    return redirect(reverse("orgs:transfer_inbox"))
