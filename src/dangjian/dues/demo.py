"""Demo dues: bases for every member, two years of ledger, payments with deliberate arrears.

Students and the unemployed pay 0.20 a month, rural members an amount of
0.20–1.00 set by their branch, and a few retired members in hardship have an
exemption approved by the street (2008 党费规定 一、第六条、第七条).

Deterministic from rng. Written with bulk_create for speed (demo data is not
audited as user writes are).
"""

import datetime as dt
from decimal import Decimal

from dangjian.core.dates import add_months, month_start, month_starts
from dangjian.dues import rules
from dangjian.dues.models import Due, DuesBase, Payment, Reduction, Remittance
from dangjian.dues.services import dues_rules
from dangjian.orgs.demo_data.personas import persona_orgs
from dangjian.orgs.models import Member, Status

SALARY = {"employed": (2200, 16000), "retired": (2800, 7500)}
RURAL_AMOUNTS = (Decimal("0.20"), Decimal("0.50"), Decimal("1.00"))


def seed(*, rng, today: dt.date, log) -> None:
    if Due.objects.exists():
        log("dues: ledger already present, skipped")
        return
    config = dues_rules()
    members = list(Member.objects.filter(status=Status.ACTIVE).select_related("org").order_by("id"))
    bases = []
    for m in members:
        lo_hi = SALARY.get(m.employment)
        monthly = Decimal(rng.randrange(*lo_hi)) if lo_hi else None
        fixed = rng.choice(RURAL_AMOUNTS) if m.employment == rules.FARMER else None
        bases.append(DuesBase(member=m, monthly_base=monthly, fixed_amount=fixed))
    DuesBase.objects.bulk_create(bases, batch_size=2000)
    base_of = {b.member_id: b for b in bases}
    log(f"dues: {len(bases)} bases")

    # A few retired members in hardship, exempted for this year by the superior (第七条).
    year_start = today.replace(month=1, day=1)
    hardship = [m for m in members if m.employment == "retired" and base_of[m.pk].monthly_base
                and base_of[m.pk].monthly_base < 3200][:3]
    reductions = Reduction.objects.bulk_create([
        Reduction(member=m, amount=Decimal("0"), first_month=year_start, last_month=year_start.replace(month=12),
                  reason="因病致困，经济确有困难", proposed_on=year_start, state=Reduction.State.APPROVED,
                  decided_on=year_start + dt.timedelta(days=10))
        for m in hardship])
    exempt = {r.member_id: r for r in reductions}

    first = add_months(month_start(today), -23)
    months = month_starts(first, today)
    # Deliberate arrears: a few members stop paying 3–7 months ago; some skip odd months.
    chosen = rng.sample(members, min(len(members), max(3, len(members) // 25)))
    stopped = {m.pk: rng.choice((3, 4, 5, 6, 7)) for m in chosen}
    sporadic = {m.pk for m in members if rng.random() < 0.05}
    current = month_start(today)
    dues = []
    for month in months:
        last_day = add_months(month, 1) - dt.timedelta(days=1)
        for m in members:
            if m.joined_on > last_day:
                continue
            b = base_of[m.pk]
            r = exempt.get(m.pk)
            reduced = r.amount if r and r.first_month <= month <= r.last_month else None
            if reduced == 0:
                continue  # exempt: nothing owed, no row that could fall into arrears
            a = rules.assess(config, employment=m.employment, base=b.monthly_base, fixed=b.fixed_amount,
                             reduced=reduced)
            dues.append(Due(member=m, org=m.org, month=month, employment=m.employment, base=a.base, rate=a.rate,
                            amount=a.amount))
    Due.objects.bulk_create(dues, batch_size=5000)
    log(f"dues: {len(dues)} monthly dues over {len(months)} months")

    by_org_member: dict[int, list[Member]] = {}
    for m in members:
        by_org_member.setdefault(m.org_id, []).append(m)
    payments = []
    for due in dues:  # bulk_create set their primary keys (PostgreSQL, SQLite ≥ 3.35)
        ago = (current.year - due.month.year) * 12 + current.month - due.month.month
        if ago == 0 and rng.random() < 0.6:
            continue  # the current month is still being collected
        if ago >= 1 and due.member_id in stopped and ago <= stopped[due.member_id]:
            continue
        if due.member_id in sporadic and rng.random() < 0.25:
            continue
        paid_on = min(today, due.month + dt.timedelta(days=rng.randrange(0, 27)))
        payer = None
        if rng.random() < 0.05:
            mates = [x for x in by_org_member.get(due.org_id, []) if x.pk != due.member_id]
            payer = rng.choice(mates) if mates else None
        payments.append(Payment(due=due, amount=due.amount, paid_on=paid_on, payer=payer,
                                note="代缴" if payer else ""))
    Payment.objects.bulk_create(payments, batch_size=5000)
    log(f"dues: {len(payments)} payments, {len(stopped)} members with deliberate arrears")

    collected: dict[tuple[int, dt.date], Decimal] = {}
    for p in payments:
        key = (p.due.org_id, p.due.month)
        collected[key] = collected.get(key, Decimal("0")) + p.amount
    remittances = [
        Remittance(org_id=org_id, month=month, amount=total,
                   remitted_on=min(today, add_months(month, 1) + dt.timedelta(days=rng.randrange(0, 10))))
        for (org_id, month), total in sorted(collected.items())
        if month < add_months(current, -1) and total > 0 and rng.random() < 0.9
    ]
    Remittance.objects.bulk_create(remittances, batch_size=2000)
    log(f"dues: {len(remittances)} remittances upward")
    _pending_reduction(members, exempt, today, log)


def _pending_reduction(members, exempt, today: dt.date, log) -> None:
    """One proposal of branch A waiting for the superior committee (第七条): the officer's to-do."""
    branch_a = persona_orgs()["branch_a"]
    candidates = [m for m in members if m.org_id == branch_a.pk and m.pk not in exempt]
    if not candidates:
        return
    member = candidates[-1]
    Reduction.objects.create(member=member, amount=Decimal("0"), first_month=month_start(today),
                             last_month=add_months(month_start(today), 5), reason="突发重病住院，家庭收入骤减",
                             proposed_on=today - dt.timedelta(days=3))
    log("dues: 1 reduction proposed by branch A, waiting for the superior's approval")
