"""Demo assessment: last year's scheme set by the street, every branch scored and graded, one appeal."""

import datetime as dt
from decimal import Decimal

from dangjian.assessment import scoring
from dangjian.assessment.models import (
    DEFAULT_THRESHOLDS,
    DEFAULT_WEIGHTS,
    Assessment,
    Component,
    ItemScore,
    Scheme,
    SchemeItem,
    SchemeState,
    ScoreAppeal,
    State,
)
from dangjian.assessment.services import compute_breakdown
from dangjian.orgs.demo_data.personas import superior_and_branches
from dangjian.surveys.models import Round

ITEMS = [("组织建设", 30), ("组织生活", 25), ("党员教育管理", 20), ("服务群众", 25)]
REASONS = ["台账齐全，按要求落实。", "有特色做法，群众反映好。", "部分记录不规范。", "完成情况一般。"]


def seed(*, rng, today: dt.date, log) -> None:
    if Scheme.objects.exists():
        log("assessment: already present, skipped")
        return
    top, branches = superior_and_branches(12)
    branches = [b for b in branches if b.kind == "branch"]
    if top is None or not branches:
        log("assessment: no organisations, skipped")
        return
    year = today.year - 1
    scheme = Scheme.objects.create(org=top, title=f"{year} 年度基层党支部星级评定", year=year, starts_on=dt.date(year, 1, 1),
                                   ends_on=dt.date(year, 12, 31), org_kind="branch", thresholds=DEFAULT_THRESHOLDS,
                                   five_star_cap=30, state=SchemeState.SCORING)
    Component.objects.bulk_create(Component(scheme=scheme, kind=k, weight=w) for k, w in DEFAULT_WEIGHTS.items())
    items = SchemeItem.objects.bulk_create(SchemeItem(scheme=scheme, title=t, max_points=p) for t, p in ITEMS)
    assessments = Assessment.objects.bulk_create(Assessment(
        scheme=scheme, org=o, state=State.SUBMITTED, self_report=f"{o.name}{year}年度党建工作自评报告：全年按期开展组织生活，落实党员联户。",
        submitted_on=dt.date(year + 1, 1, 10)) for o in branches)
    skill = {a.pk: rng.uniform(0.6, 1.0) for a in assessments}
    ItemScore.objects.bulk_create(
        ItemScore(assessment=a, item=i, score=Decimal(round(i.max_points * min(1.0, skill[a.pk] + rng.uniform(-0.05, 0.1)))),
                  reason=rng.choice(REASONS))
        for a in assessments for i in items)
    scored = []
    for a in assessments:
        a.rounds.set(Round.objects.filter(org=a.org, closes_at__year=year))
        try:
            a.breakdown = compute_breakdown(a, today=today)
        except Exception:  # noqa: BLE001 - no evaluation round for this branch: score the superior part only
            continue
        a.final_score = Decimal(str(a.breakdown["final"]))
        a.state = State.SCORED
        a.save(update_fields=["breakdown", "final_score", "state"])
        scored.append(a)
    if len(scored) == len(assessments):
        stars = scoring.grade_all({a.pk: float(a.final_score) for a in scored}, scheme.thresholds, scheme.five_star_cap)
        for a in scored:
            Assessment.objects.filter(pk=a.pk).update(stars=stars[a.pk], state=State.PUBLISHED)
        Scheme.objects.filter(pk=scheme.pk).update(state=SchemeState.PUBLISHED)
        low = min(scored, key=lambda a: a.final_score)
        ScoreAppeal.objects.create(assessment=low, text="对 “组织生活” 项扣分有异议，已补充会议记录。")
    log(f"assessment: {len(scored)}/{len(assessments)} branches scored for {year}")
