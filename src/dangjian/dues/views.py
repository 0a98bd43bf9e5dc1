import base64
import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from dangjian.accounts import roles
from dangjian.core.dates import parse_month
from dangjian.core.defaults import own_org
from dangjian.core.forms import submitted
from dangjian.core.http import require_capability
from dangjian.core.jobs import job_start
from dangjian.core.references import ARTICLES
from dangjian.core.scoping import (
    get_scoped_or_404,
    has_capability,
    is_superior,
    org_in_scope,
    scoped,
    visible_orgs,
)
from dangjian.core.text import join_items, join_messages
from dangjian.core.xlsx import attachment, export_xlsx, workbook_bytes
from dangjian.dues import importing, rules, selectors, services
from dangjian.dues.forms import (
    BaseForm,
    CorrectPaymentForm,
    GenerateForm,
    ImportForm,
    PaymentForm,
    ReductionDecideForm,
    ReductionForm,
    RemittanceForm,
    RulesForm,
    VoidForm,
)
from dangjian.dues.models import Due, Reduction, Remittance, VoidedRemittance
from dangjian.orgs.models import BRANCH_KINDS, Member, Org, OrgKind, Status

MASK = "****"


def _org(request, capability=roles.VIEW_WORK) -> Org | None:
    pk = request.GET.get("org") or request.POST.get("org")
    if not pk:
        return None
    return get_scoped_or_404(Org.objects.all(), request.user, capability, path_field="path", pk=pk)


def _require_view(request) -> None:
    require_capability(request.user, roles.VIEW_WORK)


def _money(value) -> str:
    return "" if value is None else f"{value:.2f}"


def _base_cell(user, org, value):
    return value if org_in_scope(user, roles.REVEAL, org) else (MASK if value is not None else None)


def _context(request, **extra):
    return {
        "orgs": visible_orgs(request.user, roles.VIEW_WORK).order_by("path")[:300],
        "can_edit": has_capability(request.user, roles.EDIT_WORK),
        **extra,
    }


@login_required
def ledger(request):
    _require_view(request)
    org = _org(request)
    month = parse_month(request.GET.get("month"))
    state = request.GET.get("state", "")
    dues = selectors.dues_for(request.user, org=org, month=month, state=state)
    if request.GET.get("export") == "xlsx":
        headers = [pgettext("dues export", "Name"), pgettext("dues export", "Organisation"),
                   pgettext("dues export", "Month"), pgettext("dues export", "Employment"),
                   pgettext("dues export", "Salary base"), pgettext("dues export", "Rate (%)"),
                   pgettext("dues export", "Due"), pgettext("dues export", "Paid"),
                   pgettext("dues export", "Paid on"), pgettext("dues export", "Paid by"),
                   pgettext("dues export", "Note")]
        rows = [
            [d.member.name, d.org.name, f"{d.month:%Y-%m}", d.employment, _base_cell(request.user, d.org, d.base),
             d.rate, d.amount, *(_payment_cells(d))]
            for d in dues
        ]
        return export_xlsx(by=request.user, stamp=False, filename=_("Dues ledger") + ".xlsx", what=_("Dues ledger export"),
                           headers=headers,
                           rows=rows, org=org, changes={"revealed": has_capability(request.user, roles.REVEAL)})
    page = Paginator(dues, 50).get_page(request.GET.get("page"))
    return render(request, "dues/ledger.html", _context(
        request, page=page, org=org, month=month, state=state,
        generate_form=GenerateForm(initial={"month": f"{timezone.localdate():%Y-%m}"}),
    ))


def _payment_cells(due) -> list:
    payment = getattr(due, "payment", None)
    if payment is None:
        return [None, None, "", ""]
    return [payment.amount, payment.paid_on, payment.payer.name if payment.payer else "", payment.note]


@login_required
@require_POST
def generate(request):
    org = _org(request, roles.EDIT_WORK)
    if org is None:
        raise Http404
    form = GenerateForm(request.POST)
    back = f"{reverse('dues:ledger')}?org={org.pk}"
    if not form.is_valid():
        messages.error(request, join_messages(m for ms in form.errors.values() for m in ms))
        return redirect(back)
    try:
        result = services.ledger_generate(by=request.user, org=org, month=form.cleaned_data["month"])
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
        return redirect(back)
    month = form.cleaned_data["month"]
    messages.success(request, ngettext(
        "Generated %(created)d due; %(existing)d already existed and were left unchanged.",
        "Generated %(created)d dues; %(existing)d already existed and were left unchanged.", result.created,
    ) % {"created": result.created, "existing": result.existing})
    if result.missing_base:
        n = len(result.missing_base)
        messages.warning(request, ngettext(
            "%(n)d member has no salary base yet; no due was generated for: %(names)s",
            "%(n)d members have no salary base yet; no dues were generated for: %(names)s", n,
        ) % {"n": n, "names": join_items(m.name for m in result.missing_base[:10])})
    return redirect(f"{back}&month={month:%Y-%m}")


def _payers(user, due: Due):
    return scoped(Member.objects.filter(status=Status.ACTIVE, org=due.org).exclude(pk=due.member_id),
                  user, roles.VIEW_WORK).order_by("name")


@login_required
def pay(request, pk: int):
    due = get_scoped_or_404(Due.objects.select_related("member", "org"), request.user, roles.EDIT_WORK, pk=pk)
    form = PaymentForm(request.POST or None, payers=_payers(request.user, due), initial={"amount": due.amount})
    if submitted(request, form, lambda **data: services.payment_record(by=request.user, due=due, **data)):
        messages.success(request, _("Recorded the dues of %(name)s for %(month)s.")
                         % {"name": due.member.name, "month": f"{due.month:%Y-%m}"})
        return redirect(f"{reverse('dues:ledger')}?org={due.org_id}&month={due.month:%Y-%m}")
    return render(request, "dues/pay.html", {"due": due, "form": form})


@login_required
def batch(request):
    """A month's dues for one branch on one page: this month and the user's own branch unless they chose."""
    require_capability(request.user, roles.EDIT_WORK)
    org = _org(request, roles.EDIT_WORK)
    if org is None and not (request.GET.get("org") or request.POST.get("org")):
        org = own_org(request.user, visible_orgs(request.user, roles.EDIT_WORK).filter(
            kind__in=BRANCH_KINDS).exclude(kind=OrgKind.GROUP).order_by("path"))
    month = parse_month(request.GET.get("month") or request.POST.get("month"))
    if month is None and not (request.GET.get("month") or request.POST.get("month")):
        month = timezone.localdate().replace(day=1)
    choose = {"orgs": visible_orgs(request.user, roles.EDIT_WORK).order_by("path")[:300], "org_required": True}
    if org is None or month is None:
        return render(request, "dues/batch.html", _context(request, dues=None, org=org, month=month, **choose))
    dues = list(scoped(Due.objects.select_related("member", "org"), request.user, roles.EDIT_WORK)
                .filter(org__path__subtree=org.path, month=month, payment__isnull=True).order_by("member__name", "pk"))
    # The row numbers the user sees (1, 2, 3 ... in the table's order) name the rows in every message.
    position = {d.pk: n for n, d in enumerate(dues, start=1)}
    errors = {}
    paid_on_text = request.POST.get("paid_on") or f"{timezone.localdate():%Y-%m-%d}"
    if request.method == "POST":
        chosen = set(request.POST.getlist("due"))
        try:
            paid_on = dt.date.fromisoformat(paid_on_text)
        except ValueError:
            paid_on = None
        rows = []
        for due in dues:
            if str(due.pk) not in chosen:
                continue
            try:
                amount = Decimal(request.POST.get(f"amount_{due.pk}", "").strip())
            except InvalidOperation:
                amount = None
            rows.append({"row": position[due.pk], "due": due, "amount": amount, "paid_on": paid_on,
                         "note": request.POST.get(f"note_{due.pk}", "")})
        try:
            recorded = services.payments_record_batch(by=request.user, rows=rows)
        except services.BatchError as exc:
            by_position = {n: d for d, n in position.items()}
            errors = {by_position[n]: e for n, e in exc.row_errors.items()}
            first, first_errors = next(iter(exc.row_errors.items()))
            due = next(d for d in dues if d.pk == by_position[first])
            messages.error(request, ngettext(
                "Row %(row)d (%(name)s): %(message)s (%(n)d row has errors; no payment was recorded)",
                "Row %(row)d (%(name)s): %(message)s (%(n)d rows have errors; no payment was recorded)",
                len(exc.row_errors)) % {"row": first, "name": due.member.name,
                                        "message": next(iter(first_errors.values())), "n": len(exc.row_errors)})
        except ValidationError as exc:
            messages.error(request, join_messages(exc.messages))
        else:
            messages.success(request, ngettext("Recorded the dues of %(n)d member for %(month)s.",
                                               "Recorded the dues of %(n)d members for %(month)s.", len(recorded))
                             % {"n": len(recorded), "month": f"{month:%Y-%m}"})
            return redirect(f"{reverse('dues:ledger')}?org={org.pk}&month={month:%Y-%m}")
    rows = [(position[d.pk], d, errors.get(d.pk, {}), request.POST.get(f"amount_{d.pk}", d.amount),
             request.POST.get(f"note_{d.pk}", ""), str(d.pk) in request.POST.getlist("due"))
            for d in dues]
    return render(request, "dues/batch.html", _context(
        request, dues=rows, org=org, month=month, paid_on=paid_on_text, posted=request.method == "POST", **choose))


@login_required
def import_payments(request):
    require_capability(request.user, roles.EDIT_WORK)
    form = ImportForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        # Checked and recorded by the queue's worker, all rows or none; the job page shows the outcome.
        job = job_start(by=request.user, kind="dues_import", upload=form.cleaned_data["file"])
        return redirect("operations:job_detail", job.pk)
    marked = base64.b64encode(outcome.marked).decode() if outcome and outcome.marked else ""
    return render(request, "dues/import.html", _context(request, form=form, outcome=outcome, marked=marked))


@login_required
def import_template(request):
    org = _org(request, roles.EDIT_WORK)
    month = parse_month(request.GET.get("month"))
    if org is None:
        raise Http404
    dues = scoped(Due.objects.select_related("member", "org"), request.user, roles.EDIT_WORK).filter(
        org__path__subtree=org.path, payment__isnull=True).order_by("month", "member__name")
    if month:
        dues = dues.filter(month=month)
    data, _count = workbook_bytes(headers=importing.headers(), rows=importing.template_rows(dues))
    return attachment(data, _("Dues payment import template") + ".xlsx")


@login_required
def arrears(request):
    _require_view(request)
    org = _org(request)
    rows = selectors.arrears(request.user, org=org)
    if request.GET.get("export") == "xlsx":
        return export_xlsx(
            by=request.user, stamp=False, filename=_("Dues arrears") + ".xlsx", what=_("Dues arrears list export"), org=org,
            headers=[pgettext("dues export", "Name"), pgettext("dues export", "Organisation"),
                     pgettext("dues export", "Months owed"), pgettext("dues export", "Months owed in a row"),
                     pgettext("dues export", "Amount owed"), pgettext("dues export", "Months owing")],
            rows=[[a.member.name, a.member.org.name, len(a.months), a.streak, a.total,
                   join_items(f"{m:%Y-%m}" for m in a.months)] for a in rows],
        )
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "dues/arrears.html", _context(request, rows=page, page=page, org=org,
                                                         config=services.dues_rules()))


@login_required
def summary(request):
    _require_view(request)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    totals = selectors.org_totals(request.user, first=dt.date(year, 1, 1), last=dt.date(year, 12, 1))
    if request.GET.get("export") == "xlsx":
        return export_xlsx(
            by=request.user, stamp=False, filename=_("Dues collection summary %(year)d") % {"year": year} + ".xlsx",
            what=_("Dues collection summary %(year)d export") % {"year": year},
            headers=[pgettext("dues summary", "Organisation"), pgettext("dues summary", "Dues owed"),
                     pgettext("dues summary", "Dues paid"), pgettext("dues summary", "Amount due"),
                     pgettext("dues summary", "Collected"), pgettext("dues summary", "Outstanding"),
                     pgettext("dues summary", "Remitted"), pgettext("dues summary", "Not remitted")],
            rows=[[t.org.name, t.due_count, t.paid_count, t.due_total, t.collected, t.outstanding, t.remitted,
                   t.unremitted] for t in totals],
        )
    form = RemittanceForm(request.POST or None)
    if request.method == "POST":
        org = _org(request, roles.EDIT_WORK)
        if org is None:
            raise Http404
        if submitted(request, form, lambda **data: services.remittance_record(by=request.user, org=org, **data)):
            messages.success(request, _("Dues remittance recorded."))
            return redirect(f"{reverse('dues:summary')}?year={year}")
    in_year = {"month__year": year}
    remittances = scoped(Remittance.objects.filter(**in_year).select_related("org"), request.user,
                         roles.VIEW_WORK).order_by("org__path", "month")
    voided_remittances = scoped(VoidedRemittance.objects.filter(**in_year).select_related("org", "voided_by"),
                                request.user, roles.VIEW_WORK)
    return render(request, "dues/summary.html", _context(
        request, totals=totals, year=year, form=form, remittances=remittances,
        voided_remittances=voided_remittances, void_form=VoidForm(),
        write_orgs=visible_orgs(request.user, roles.EDIT_WORK).order_by("path")[:300]))


@login_required
def bases(request):
    _require_view(request)
    org = _org(request)
    config = services.dues_rules()
    members = selectors.bases_for(request.user, org=org)
    rows = []
    for m in members:
        base = getattr(m, "dues_base", None)
        try:
            assessed = rules.assess(config, employment=m.employment, base=base.monthly_base if base else None,
                                    fixed=base.fixed_amount if base else None)
        except rules.MissingBase:
            assessed = None
        rows.append((m, base, assessed))
    if request.GET.get("export") == "xlsx":
        return export_xlsx(
            by=request.user, stamp=False, filename=_("Dues bases") + ".xlsx", what=_("Dues bases export"), org=org,
            headers=[pgettext("dues export", "Name"), pgettext("dues export", "Organisation"),
                     pgettext("dues export", "Employment"), pgettext("dues export", "Monthly salary base"),
                     pgettext("dues export", "Rate (%)"), pgettext("dues export", "Monthly dues")],
            rows=[[m.name, m.org.name, m.get_employment_display(),
                   _base_cell(request.user, m.org, b.monthly_base if b else None),
                   a.rate if a else None, a.amount if a else None] for m, b, a in rows],
            changes={"revealed": has_capability(request.user, roles.REVEAL)},
        )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "dues/bases.html", _context(request, page=page, org=org))


@login_required
def base_edit(request, member_pk: int):
    member = get_scoped_or_404(Member.objects.select_related("org"), request.user, roles.EDIT_WORK, pk=member_pk)
    current = getattr(member, "dues_base", None)
    form = BaseForm(request.POST or None, initial={
        "monthly_base": current.monthly_base if current else None,
        "fixed_amount": current.fixed_amount if current else None,
    })
    if submitted(request, form, lambda **data: services.dues_base_set(by=request.user, member=member, **data)):
        messages.success(request, _("Saved the dues base of %(name)s.") % {"name": member.name})
        return redirect(f"{reverse('dues:bases')}?org={member.org_id}")
    return render(request, "dues/base_form.html", {"member": member, "form": form, "config": services.dues_rules()})


@login_required
def mine(request):
    member = getattr(request.user, "member", None)
    dues = member.dues.select_related("payment", "payment__payer").order_by("-month")[:36] if member else []
    return render(request, "dues/mine.html", {"member": member, "dues": dues})


@login_required
def rules_edit(request):
    if not request.user.is_superuser:
        raise Http404
    config = services.dues_rules()
    form = RulesForm(request.POST or None, instance=config)
    if submitted(request, form, lambda **data: services.dues_rules_update(by=request.user, data=data)):
        messages.success(request, _("Dues rules saved."))
        return redirect("dues:rules")
    articles = [ARTICLES[k] for k in ("dues.fixed", "dues.annual_salary", "dues.self_employed", "dues.reduction",
                                      "member.lapsed")]
    return render(request, "dues/rules.html", {"form": form, "articles": articles})


@login_required
def due_detail(request, pk: int):
    """One due: its payment, the payments voided before it, and the correction forms."""
    due = get_scoped_or_404(Due.objects.select_related("member", "org", "payment", "payment__payer"),
                            request.user, roles.VIEW_WORK, pk=pk)
    payment = getattr(due, "payment", None)
    can_edit = org_in_scope(request.user, roles.EDIT_WORK, due.org)
    void_form = correct_form = None
    if payment is not None and can_edit:
        action = request.POST.get("action")
        void_form = VoidForm(request.POST if action == "void" else None, prefix="void")
        correct_form = CorrectPaymentForm(
            request.POST if action == "correct" else None, prefix="fix", payers=_payers(request.user, due),
            initial={"amount": payment.amount, "paid_on": payment.paid_on, "payer": payment.payer_id,
                     "note": payment.note},
        )
        if action == "void" and submitted(request, void_form, lambda **data: services.payment_void(
                by=request.user, payment=payment, **data)):
            messages.success(request, _("Payment voided; the month's dues are unpaid again."))
            return redirect("dues:due", pk=due.pk)
        if action == "correct" and submitted(request, correct_form, lambda **data: services.payment_correct(
                by=request.user, payment=payment, **data)):
            messages.success(request, _("Payment corrected; the original is kept as voided."))
            return redirect("dues:due", pk=due.pk)
    elif request.method == "POST":
        raise Http404
    voided = due.voided_payments.select_related("payer", "voided_by")
    return render(request, "dues/due.html", {"due": due, "payment": payment, "voided": voided,
                                             "can_edit": can_edit, "void_form": void_form,
                                             "correct_form": correct_form})


@login_required
@require_POST
def remittance_void(request, pk: int):
    remittance = get_scoped_or_404(Remittance.objects.select_related("org"), request.user, roles.EDIT_WORK, pk=pk)
    form = VoidForm(request.POST)
    back = f"{reverse('dues:summary')}?year={remittance.month.year}"
    if not submitted(request, form, lambda **data: services.remittance_void(
            by=request.user, remittance=remittance, **data)):
        messages.error(request, join_messages(m for ms in form.errors.values() for m in ms))
    else:
        messages.success(request, _("Remittance voided."))
    return redirect(back)


# 少交/免交 (2008 党费规定 一、第七条): the branch proposes, the superior committee approves or refuses.

@login_required
def reductions(request):
    _require_view(request)
    org = _org(request)
    state = request.GET.get("state", "")
    rows = selectors.reductions_for(request.user, org=org, state=state)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    decidable = {r.pk for r in page if r.state == Reduction.State.PROPOSED
                 and is_superior(request.user, r.member.org, roles.ASSESS)}
    return render(request, "dues/reductions.html", _context(
        request, page=page, org=org, state=state, states=Reduction.State.choices, decidable=decidable,
        decide_form=ReductionDecideForm(), article=ARTICLES["dues.reduction"]))


@login_required
def reduction_new(request, member_pk: int):
    member = get_scoped_or_404(Member.objects.select_related("org"), request.user, roles.EDIT_WORK, pk=member_pk)
    form = ReductionForm(request.POST or None)
    if submitted(request, form, lambda **data: services.reduction_propose(by=request.user, member=member, **data)):
        messages.success(request, _("The branch's proposal for %(name)s is sent to the superior committee.")
                         % {"name": member.name})
        return redirect(f"{reverse('dues:reductions')}?org={member.org_id}")
    return render(request, "dues/reduction_form.html", {
        "member": member, "form": form, "article": ARTICLES["dues.reduction"],
        "history": member.dues_reductions.order_by("-first_month")[:10]})


@login_required
@require_POST
def reduction_decide(request, pk: int):
    reduction = get_scoped_or_404(Reduction.objects.select_related("member__org"), request.user, roles.VIEW_WORK,
                                  path_field="member__org__path", pk=pk)
    form = ReductionDecideForm(request.POST)
    if submitted(request, form, lambda decision, on: services.reduction_decide(
            by=request.user, reduction=reduction, approve=decision == "approve", on=on)):
        messages.success(request, _("Decision recorded for %(name)s.") % {"name": reduction.member.name})
    else:
        messages.error(request, join_messages(m for ms in form.errors.values() for m in ms))
    return redirect(f"{reverse('dues:reductions')}?org={reduction.member.org_id}")
