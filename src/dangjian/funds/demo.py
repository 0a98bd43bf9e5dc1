"""Demo activity funds: about two years of spending per branch, from dues allocated back, the public budget
and other sources, some paid for a meeting held (a lecture's materials, a theme day's bus) or a project.
Deterministic from rng; bulk inserts (demo data is not audited as user writes are)."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from dangjian.funds.models import FundSource, Spending
from dangjian.funds.selectors import meeting_model, project_model
from dangjian.orgs.models import Org, OrgKind

KINDS = (OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.GENERAL_BRANCH)
# (purpose, source, low, high in yuan, the meeting type it pays for or "")
ITEMS = [
    ("党课学习资料印制", FundSource.DUES, 120, 600, "lecture"),
    ("主题党日活动租车", FundSource.BUDGET, 300, 1500, "theme_day"),
    ("主题党日红色教育基地门票", FundSource.BUDGET, 200, 900, "theme_day"),
    ("慰问困难党员、老党员", FundSource.DUES, 400, 2000, ""),
    ("党员活动室设备添置", FundSource.BUDGET, 800, 6000, ""),
    ("订阅党报党刊", FundSource.DUES, 200, 800, ""),
    ("党建宣传栏制作", FundSource.BUDGET, 300, 2500, ""),
    ("共建单位联合活动场地费", FundSource.OTHER, 200, 1200, ""),
]
MAX_ORGS = 400


def seed(*, rng, today: dt.date, log) -> None:
    if Spending.objects.exists():
        log("funds: already present, skipped")
        return
    orgs = list(Org.objects.filter(kind__in=KINDS, is_active=True).order_by("path")[:MAX_ORGS])
    ids = [o.pk for o in orgs]
    since = today - dt.timedelta(days=730)
    meetings = defaultdict(list)
    for pk, org_id, mtype, at in (meeting_model().objects.filter(org_id__in=ids, state="held", starts_at__date__gte=since)
                                  .values_list("pk", "org_id", "meeting_type", "starts_at")):
        meetings[(org_id, mtype)].append((pk, timezone.localdate(at)))
    projects = defaultdict(list)
    for pk, org_id in project_model().objects.filter(org_id__in=ids).exclude(
            status__in=("proposal", "submitted")).values_list("pk", "org_id"):
        projects[org_id].append(pk)
    rows = []
    for org in orgs:
        # Some branches record little or nothing: the efficiency analysis must cope with them too.
        per_quarter = rng.choice((0, 1, 2, 2, 3, 4))
        for q in range(8):
            for _n in range(per_quarter):
                purpose, source, low, high, mtype = rng.choice(ITEMS)
                amount = Decimal(rng.randint(low, high)) + Decimal(rng.choice((0, 0, 50))) / 100
                meeting = None
                held = meetings.get((org.pk, mtype), []) if mtype else []
                if held and rng.random() < 0.7:
                    meeting, day = rng.choice(held)
                else:
                    day = since + dt.timedelta(days=q * 91 + rng.randint(0, 90))
                if day > today:
                    continue
                project = None
                if not meeting and projects.get(org.pk) and rng.random() < 0.2:
                    project = rng.choice(projects[org.pk])
                    purpose = "党建项目活动支出"
                rows.append(Spending(org=org, spent_on=day, amount=amount, purpose=purpose, source=source,
                                     meeting_id=meeting, project_id=project))
    Spending.objects.bulk_create(rows, batch_size=5000)
    log(f"funds: {len(rows)} spendings of {len(orgs)} organisations")
