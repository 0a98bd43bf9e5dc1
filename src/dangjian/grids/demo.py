"""Demo grids: 3–5 grids per community, households, member-household links,
quarterly service plans for tagged members and the visits that fulfil them.

Deterministic from rng; bulk_create for speed (demo data is not audited as
user writes are).
"""

import datetime as dt
from itertools import cycle

from dangjian.accounts.models import RoleGrant
from dangjian.accounts.roles import Role
from dangjian.core import crypto
from dangjian.grids.models import (
    PLAN_TAGS,
    Grid,
    GridConfig,
    GridStaff,
    Household,
    HouseholdLink,
    PlanKind,
    Resident,
    ServicePlan,
    Visit,
)
from dangjian.orgs.models import Member, Org, OrgKind, Status

ESTATES = ["和平里", "幸福苑", "阳光花园", "翠湖小区", "建设新村", "光明东里", "滨河家园", "锦绣华庭", "朝阳北里",
           "春晖苑", "工人新村", "桃园小区", "银杏里", "长安东院", "东风小区", "书香园"]
ROADS = ["和平路", "建设路", "解放街", "人民路", "文化巷", "新华街", "迎宾路", "胜利街"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ["秀英", "桂兰", "建国", "国强", "丽娟", "志刚", "海燕", "玉兰", "红梅", "德明", "春华", "淑珍", "文杰",
         "晓东", "金凤", "长林", "美玲", "永福", "子涵", "浩然", "欣怡", "俊杰", "雅静", "宏伟"]
VISIT_NOTES = ["了解家庭近况，宣传垃圾分类", "收集对小区环境的意见", "检查燃气和用电安全", "反馈诉求办理结果",
               "宣讲医保缴费政策", "看望独居老人，帮助联系助餐服务", "登记加装电梯意愿"]
PLAN_NOTES = {
    PlanKind.ELDERLY_VISIT: ["送学上门，学习党的二十届三中全会精神", "上门送党课资料并交流", "陪同学习党史读本"],
    PlanKind.HARDSHIP_HELP: ["送去慰问金和生活用品", "协助申请临时救助", "联系就业培训机会"],
    PlanKind.MIGRANT_CONTACT: ["电话联系，了解在外工作学习情况", "视频参加组织生活", "寄送学习材料"],
}


def _name(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _quarters(today: dt.date, count: int) -> list[tuple[dt.date, dt.date]]:
    q = (today.month - 1) // 3
    year = today.year
    out = []
    for _ in range(count):
        start = dt.date(year, 3 * q + 1, 1)
        end = (dt.date(year + (q == 3), (3 * q + 3) % 12 + 1, 1)) - dt.timedelta(days=1)
        out.append((start, end))
        q -= 1
        if q < 0:
            q, year = 3, year - 1
    return list(reversed(out))


def seed(*, rng, today: dt.date, log) -> None:
    if Grid.objects.exists():
        log("grids: already present, skipped")
        return
    GridConfig.current()
    communities = list(Org.objects.filter(kind=OrgKind.COMMUNITY_COMMITTEE, is_active=True).order_by("path"))
    grid_worker_orgs = dict(RoleGrant.objects.filter(role=Role.GRID_WORKER).values_list("org_id", "user_id"))
    grids, households, links, visits = [], [], [], []
    estates = cycle(rng.sample(ESTATES, len(ESTATES)))
    for community in communities:
        for n in range(1, rng.randint(3, 5) + 1):
            estate, road = next(estates), rng.choice(ROADS)
            grids.append(Grid(org=community, name=f"{community.name.removesuffix('党委')}第{n}网格（{estate}）",
                              code=f"{community.code}-G{n:02d}", keywords=f"{estate} {road}"))
    Grid.objects.bulk_create(grids, batch_size=500)
    grids = list(Grid.objects.select_related("org").order_by("code"))
    staff = [GridStaff(grid=next(g for g in grids if g.org_id == org_id), user_id=user_id, role=GridStaff.Role.LEADER)
             for org_id, user_id in grid_worker_orgs.items() if any(g.org_id == org_id for g in grids)]
    GridStaff.objects.bulk_create(staff)

    for grid in grids:
        estate = grid.keyword_list()[0]
        for _ in range(rng.randint(30, 60)):
            phone = "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))
            households.append(Household(
                grid=grid, address=f"{estate}{rng.randint(1, 24)}号楼{rng.randint(1, 4)}单元{rng.randint(1, 6)}0{rng.randint(1, 4)}",
                head_name=_name(rng), phone=phone, phone_index=crypto.blind_index(phone), size=rng.randint(1, 5),
            ))
    Household.objects.bulk_create(households, batch_size=2000)
    households = list(Household.objects.select_related("grid").order_by("id"))
    Resident.objects.bulk_create(
        [Resident(household=h, name=h.head_name, phone=h.phone, phone_index=h.phone_index) for h in households],
        batch_size=2000,
    )

    # Links: members of the community look after its households, within the cap.
    cap = GridConfig.current().households_per_member
    members = list(Member.objects.filter(status=Status.ACTIVE).select_related("org").order_by("id"))
    by_community = {c.pk: [m for m in members if m.org.path.startswith(c.path)] for c in communities}
    load: dict[int, int] = {}
    for h in households:
        pool = [m for m in by_community.get(h.grid.org_id, []) if load.get(m.pk, 0) < cap]
        if not pool or rng.random() < 0.15:
            continue
        m = rng.choice(pool[:40])
        load[m.pk] = load.get(m.pk, 0) + 1
        links.append(HouseholdLink(member=m, household=h, since=today - dt.timedelta(days=rng.randint(30, 900))))
    HouseholdLink.objects.bulk_create(links, batch_size=2000)
    linked_by = {link.household_id: link.member for link in links}

    seen = set()
    for h in households:
        for _ in range(rng.randint(0, 4)):
            day = today - dt.timedelta(days=rng.randint(0, 365))
            visitor = linked_by.get(h.pk)
            key = (h.pk, day, visitor.pk if visitor else None)
            if key in seen:
                continue
            seen.add(key)
            visits.append(Visit(kind=Visit.Kind.HOUSEHOLD, org=h.grid.org, grid=h.grid, household=h, visitor=visitor,
                                visited_on=day, summary=rng.choice(VISIT_NOTES)))

    # Quarterly service plans per community, for members carrying the plan's tag.
    plans = []
    quarters = _quarters(today, 5)
    for community in communities:
        for start, end in quarters:
            for kind in PlanKind.values:
                plans.append(ServicePlan(org=community, kind=kind, starts_on=start, ends_on=end,
                                         visits_per_member=2 if kind == PlanKind.ELDERLY_VISIT else 1))
    ServicePlan.objects.bulk_create(plans, batch_size=1000)
    tagged: dict[str, set[int]] = {}
    for kind, tag in PLAN_TAGS.items():
        tagged[kind] = set(Member.objects.filter(status=Status.ACTIVE, tags__name=tag).values_list("pk", flat=True))
    member_by_pk = {m.pk: m for m in members}
    for plan in ServicePlan.objects.select_related("org").order_by("id"):
        targets = [member_by_pk[pk] for pk in tagged[plan.kind]
                   if pk in member_by_pk and member_by_pk[pk].org.path.startswith(plan.org.path)]
        current = plan.ends_on >= today
        for m in targets:
            done = plan.visits_per_member if rng.random() < (0.4 if current else 0.9) else rng.randint(0, plan.visits_per_member - 1)
            last = min(plan.ends_on, today)
            span = (last - plan.starts_on).days
            days = sorted({plan.starts_on + dt.timedelta(days=rng.randint(0, max(span, 0))) for _ in range(done)})
            for day in days:
                visits.append(Visit(kind=Visit.Kind.MEMBER, org=m.org, member=m, plan=plan, visited_on=day,
                                    summary=rng.choice(PLAN_NOTES[plan.kind])))
    Visit.objects.bulk_create(visits, batch_size=2000)
    log(f"grids: {len(grids)} grids, {len(households)} households, {len(links)} member-household links, "
        f"{len(plans)} service plans, {len(visits)} visits")
