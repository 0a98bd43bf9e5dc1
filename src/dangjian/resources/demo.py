"""Demo three lists: partner units, resources, needs, matching projects with
deliveries, venue bookings without overlaps, last year's partner evaluations.
Deterministic from rng; bulk inserts (demo data is not audited as user writes are)."""

import datetime as dt

from django.utils import timezone

from dangjian.orgs.models import Org, OrgKind
from dangjian.resources.models import (
    Booking,
    Category,
    Delivery,
    Evaluation,
    Need,
    PartnerUnit,
    Project,
    Resource,
)
from dangjian.resources.services import grade_for

PARTNERS = ["区供电公司党支部", "区人民医院党委", "市第三中学党支部", "区税务局党支部", "社区卫生服务中心党支部",
            "区图书馆党支部", "区消防救援站党支部", "银行和平路支行党支部", "物业公司党支部", "律师事务所党支部"]
RESOURCES = [
    (Category.VENUE, "党群服务中心多功能厅", 80, True), (Category.VENUE, "共建单位会议室", 30, True),
    (Category.FUNDS, "共建单位帮扶资金", None, False), (Category.SKILL, "义诊与健康讲座", 50, False),
    (Category.SKILL, "法律咨询", 20, False), (Category.VOLUNTEER_TIME, "党员志愿者周末服务", 15, False),
    (Category.SERVICE, "家电义务维修", 30, False),
]
NEEDS = [
    (Category.VENUE, "支部主题党日活动场地", 40), (Category.SKILL, "老年人防诈骗讲座", 60),
    (Category.VOLUNTEER_TIME, "独居老人周末探访", 10), (Category.FUNDS, "困难家庭助学", None),
    (Category.SERVICE, "老旧小区楼道灯维修", None), (Category.SKILL, "居民法律咨询日", 30),
]


def seed(*, rng, today: dt.date, log) -> None:
    if Resource.objects.exists():
        log("resources: already present, skipped")
        return
    communities = list(Org.objects.filter(kind=OrgKind.COMMUNITY_COMMITTEE, is_active=True).order_by("path")[:40])
    tz = timezone.get_current_timezone()
    partners = PartnerUnit.objects.bulk_create(
        PartnerUnit(org=c, name=name, kind=PartnerUnit.Kind.UNIT, contact="联络员", joined_on=today.replace(year=today.year - 2))
        for c in communities for name in rng.sample(PARTNERS, 3)
    )
    by_org = {}
    for p in partners:
        by_org.setdefault(p.org_id, []).append(p)
    resources = []
    for c in communities:
        for cat, title, cap, bookable in rng.sample(RESOURCES, 5):
            partner = rng.choice(by_org[c.pk]) if rng.random() < 0.6 else None
            resources.append(Resource(org=c, partner=partner, title=f"{partner.name[:6] if partner else c.name[:4]}{title}",
                                      category=cat, place=f"{c.name[:4]}党群服务中心", capacity=cap, bookable=bookable))
    resources = Resource.objects.bulk_create(resources)
    branches = {c.pk: list(Org.objects.filter(path__subtree=c.path, kind=OrgKind.BRANCH)[:6]) or [c] for c in communities}
    needs = []
    for c in communities:
        for cat, title, people in rng.sample(NEEDS, 4):
            org = rng.choice(branches[c.pk])
            needs.append(Need(org=org, title=title, category=cat, people=people, place=f"{c.name[:4]}",
                              needed_on=today + dt.timedelta(days=rng.randint(-60, 45)),
                              source=rng.choice(list(Need.Source.values)), state=Need.State.OPEN))
    needs = Need.objects.bulk_create(needs)
    res_by_path = {}
    for r in resources:
        res_by_path.setdefault(r.org_id, []).append(r)
    projects, deliveries, bookings = [], [], []
    community_of = {n.pk: next(c for c in communities if n.org.path.startswith(c.path)) for n in needs}
    for n in needs:
        if rng.random() < 0.55:
            matching = [r for r in res_by_path.get(community_of[n.pk].pk, []) if r.category == n.category]
            if matching:
                projects.append((n, Project(org=n.org, need=n, title=f"{n.title}项目", state=Project.State.RUNNING,
                                            starts_on=n.needed_on), matching[:1]))
    created = Project.objects.bulk_create([p for _, p, _ in projects])
    for (need, _, res), project in zip(projects, created, strict=True):
        project.resources.set(res)
        need.state = Need.State.MATCHED
        if project.starts_on and project.starts_on <= today:
            deliveries.append(Delivery(project=project, delivered_on=project.starts_on, description=f"完成{need.title}",
                                       people_served=rng.randint(5, 80)))
    Need.objects.bulk_update([n for n, _, _ in projects], ["state"])
    Delivery.objects.bulk_create(deliveries)
    for r in resources:
        if not r.bookable:
            continue
        # One booking every few days at 9:00-11:00 or 14:00-16:30: never overlapping by construction.
        for d in range(-20, 30, rng.randint(3, 6)):
            day = today + dt.timedelta(days=d)
            hour = rng.choice((9, 14))
            start = dt.datetime(day.year, day.month, day.day, hour, tzinfo=tz)
            bookings.append(Booking(resource=r, org=rng.choice(branches[r.org_id]), starts_at=start,
                                    ends_at=start + dt.timedelta(hours=2, minutes=30 if hour == 14 else 0),
                                    purpose=rng.choice(["主题党日", "支部党员大会", "党课", "居民议事会"])))
    Booking.objects.bulk_create(bookings)
    evaluations = []
    for p in partners:
        score = rng.randint(55, 98)
        evaluations.append(Evaluation(partner=p, year=today.year - 1, score=score, grade=grade_for(score),
                                      comment="积极参与共驻共建" if score >= 75 else "参与度有待提高"))
    Evaluation.objects.bulk_create(evaluations)
    log(f"resources: {len(partners)} partner units, {len(resources)} resources, {len(needs)} needs, "
        f"{len(created)} projects, {len(bookings)} bookings")
