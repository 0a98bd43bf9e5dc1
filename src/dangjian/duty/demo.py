"""Demo responsibility lists: a template issued by the street to its branches, partly rated."""

import datetime as dt
from decimal import Decimal

from dangjian.duty.models import DutyItem, DutyList, DutyTemplate, DutyTemplateItem, ItemKind
from dangjian.orgs.demo_data.personas import superior_and_branches

ITEMS = [
    ("按期召开 “三会一课” 等组织生活", ItemKind.QUANTITATIVE, "meetings_held", 12, 30),
    ("办结群众诉求", ItemKind.QUANTITATIVE, "appeals_resolved", 10, 20),
    ("落实意识形态工作责任制", ItemKind.QUALITATIVE, "", None, 25),
    ("党员教育管理和发展党员工作", ItemKind.QUALITATIVE, "", None, 25),
]
REASONS = ["台账完整，按期落实。", "工作扎实，有创新举措。", "个别环节记录不全，需加强。", "基本完成，效果一般。"]


def seed(*, rng, today: dt.date, log) -> None:
    if DutyTemplate.objects.exists():
        log("duty: already present, skipped")
        return
    top, branches = superior_and_branches(20)
    if top is None or not branches:
        log("duty: no organisations, skipped")
        return
    t = DutyTemplate.objects.create(org=top, year=today.year, title="支部书记抓基层党建工作责任清单", org_kind="branch",
                                    issued_on=today.replace(month=1, day=15) if today >= today.replace(month=1, day=15) else today)
    DutyTemplateItem.objects.bulk_create(
        DutyTemplateItem(template=t, title=a, kind=k, metric_code=m, target_value=Decimal(v) if v else None, points=p)
        for a, k, m, v, p in ITEMS)
    lists = DutyList.objects.bulk_create(DutyList(org=o, year=today.year, title=t.title, template=t)
                                         for o in branches if o.kind == "branch")
    items = []
    for dl in lists:
        for a, k, m, v, p in ITEMS:
            rated = k == ItemKind.QUALITATIVE and rng.random() < 0.7
            items.append(DutyItem(duty_list=dl, title=a, kind=k, metric_code=m, target_value=Decimal(v) if v else None,
                                  points=p, rating=Decimal(rng.randint(p * 6 // 10, p)) if rated else None,
                                  reason=rng.choice(REASONS) if rated else "", rated_on=today if rated else None))
    DutyItem.objects.bulk_create(items)
    log(f"duty: template issued to {len(lists)} branches")
