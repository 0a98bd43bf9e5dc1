"""Demo projects in every state, with targets bound to recorded work, milestones, tasks, progress and spending.

Deterministic from rng; bulk_create for speed (demo data is not a user's write).
The branches the demo personas sit on come first, so their pages have data.
"""

import datetime as dt
from decimal import Decimal

from dangjian.accounts.models import RoleGrant
from dangjian.orgs.demo_data.personas import superior_and_branches
from dangjian.projects.models import (
    Kind,
    Milestone,
    ProgressUpdate,
    Project,
    Spending,
    Status,
    Target,
    Task,
)

BRANCH_KINDS = ("branch", "joint_branch", "general_branch")
IDEAS = [
    ("红色物业 “满意在家门”", "以党建引领物业服务提质，解决小区停车、绿化、维修等群众急难愁盼问题。"),
    ("“党员联户” 连心行动", "每名党员联系 10 户居民，定期走访，收集诉求并跟踪办结。"),
    ("老旧小区加装电梯攻坚", "协调产权单位和居民，推动具备条件的楼栋加装电梯。"),
    ("“一老一小” 暖心服务", "整合共建单位资源，开展老年助餐和课后托管服务。"),
    ("楼道党小组 “微治理”", "在楼栋建立党小组，推动楼道环境整治和邻里互助。"),
    ("青年党员志愿服务队", "组建青年党员志愿服务队，常态化开展志愿服务。"),
]


def owners_by_org() -> dict[int, int]:
    return dict(RoleGrant.objects.filter(role="secretary").values_list("org_id", "user_id"))


def seed(*, rng, today: dt.date, log) -> None:
    if Project.objects.exists():
        log("projects: already present, skipped")
        return
    _, branches = superior_and_branches(12)
    owners = owners_by_org()
    states = [Status.EXECUTING, Status.PROPOSAL, Status.SUBMITTED, Status.REVIEW, Status.ACCEPTED]
    projects = []
    for i, org in enumerate(branches):
        for j in range(2):
            status = states[(i + j * 2) % len(states)]
            title, aim = IDEAS[(i * 2 + j) % len(IDEAS)]
            start = today.replace(month=1, day=1) if status != Status.ACCEPTED else today.replace(year=today.year - 1, month=3, day=1)
            end = start + dt.timedelta(days=300)
            projects.append(Project(
                org=org, kind=Kind.SECRETARY if j == 0 else rng.choice([Kind.JOINT, Kind.OTHER]), title=title, aim=aim,
                starts_on=start, ends_on=end, budget=Decimal(rng.choice([5000, 8000, 12000, 20000])), status=status,
                partner_units="区卫健委、辖区物业公司" if j else "",
                acceptance_score=rng.randint(78, 96) if status == Status.ACCEPTED else None,
                acceptance_comment="目标全部完成，群众满意度高。" if status == Status.ACCEPTED else "",
                accepted_on=end if status == Status.ACCEPTED else None,
            ))
    Project.objects.bulk_create(projects)
    targets, milestones, tasks, updates, spendings = [], [], [], [], []
    for p in projects:
        targets.append(Target(project=p, name="开展主题党日等组织生活", metric_code="meetings_held", unit="次",
                              target_value=Decimal(12), due_on=p.ends_on))
        targets.append(Target(project=p, name="受益居民户数", unit="户", baseline=Decimal(0), target_value=Decimal(200),
                              due_on=p.ends_on, reported_value=Decimal(rng.randint(40, 220)) if p.status != Status.PROPOSAL else None,
                              evidence="走访台账、服务签到表" if p.status != Status.PROPOSAL else ""))
        if p.status in (Status.PROPOSAL, Status.SUBMITTED):
            continue
        for k, name in enumerate(("制定实施方案", "中期推进会", "成效评估")):
            due = p.starts_on + dt.timedelta(days=60 + 100 * k)
            done = due if (p.status == Status.ACCEPTED or (due < today and rng.random() < 0.6)) else None
            milestones.append(Milestone(project=p, title=name, due_on=due, done_on=done))
        for name in ("召开居民议事会", "入户征求意见", "落实共建资源", "整理佐证材料"):
            due = today + dt.timedelta(days=rng.randint(-20, 40))
            done = (min(due, today) if p.status == Status.ACCEPTED or rng.random() < 0.5 else None)
            tasks.append(Task(project=p, title=name, owner_id=owners.get(p.org_id), due_on=due, done_on=done))
        for k in range(rng.randint(1, 3)):
            updates.append(ProgressUpdate(project=p, on=min(today, p.starts_on + dt.timedelta(days=30 * (k + 1))),
                                          text=rng.choice(["召开居民议事会，确定服务清单。", "走访居民 60 户，收集意见 23 条。",
                                                           "协调共建单位落实场地和经费。"])))
            spendings.append(Spending(project=p, spent_on=min(today, p.starts_on + dt.timedelta(days=30 * (k + 1))),
                                      item=rng.choice(["宣传物料", "活动场地", "志愿者保险", "慰问物品"]),
                                      amount=Decimal(rng.randint(200, 2500))))
    Target.objects.bulk_create(targets)
    Milestone.objects.bulk_create(milestones)
    Task.objects.bulk_create(tasks)
    ProgressUpdate.objects.bulk_create(updates)
    Spending.objects.bulk_create(spendings)
    log(f"projects: {len(projects)} projects in every state, {len(tasks)} tasks, {len(milestones)} milestones")
