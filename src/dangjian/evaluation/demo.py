"""Demo evaluation: the last four quarters and the last full year, with warnings and rectifications.

Runs after every other seeder (INSTALLED_APPS order), so it evaluates their
demo data. Deterministic from rng; rectifications and tags are bulk-written
(demo data is not audited as user writes are).
"""

import datetime as dt

from dangjian.evaluation.indices import judgement
from dangjian.evaluation.models import Alert, Period, Rectification, RectState
from dangjian.evaluation.periods import period_containing, previous_start
from dangjian.evaluation.services import period_compute, period_for

# Skills a few members offer: what the mobilisation suggestions match on.
SKILL_TAGS = ["志愿者", "调解", "法律咨询", "维修", "医护", "宣讲", "党务", "财务"]
# A consistent AHP judgement (CR < 0.1): governing capacity first, then cohesion, then influence.
DIMENSION_JUDGEMENTS = judgement(["cohesion", "influence", "capacity"], [[1, 2, 1 / 2], [1 / 2, 1, 1 / 3], [2, 3, 1]])


def _tag_some_members(rng, log) -> None:
    from dangjian.orgs.models import Member, Status, Tag

    tags = [Tag.objects.get_or_create(name=name)[0] for name in SKILL_TAGS]
    ids = list(Member.objects.filter(status=Status.ACTIVE).values_list("id", flat=True).order_by("id"))
    if not ids:
        return
    chosen = rng.sample(ids, max(1, len(ids) // 12))
    through = Member.tags.through
    through.objects.bulk_create([through(member_id=mid, tag_id=rng.choice(tags).pk) for mid in chosen],
                                ignore_conflicts=True, batch_size=5000)
    log(f"evaluation: {len(chosen)} members tagged with a skill")


def _rectifications(rng, period: Period, today: dt.date, log) -> None:
    from dangjian.accounts.models import RoleGrant

    alerts = list(Alert.objects.filter(period=period, severity="bad").order_by("org__path", "rule")[:400])
    if not alerts:
        return
    picked = rng.sample(alerts, min(8, len(alerts)))
    owners = dict(RoleGrant.objects.filter(org_id__in=[a.org_id for a in picked]).values_list("org_id", "user_id"))
    states = [RectState.OPEN, RectState.OPEN, RectState.SUBMITTED, RectState.SUBMITTED, RectState.ACCEPTED,
              RectState.ACCEPTED, RectState.RETURNED, RectState.OPEN]
    rows = []
    for alert, state in zip(picked, states, strict=False):
        deadline = today + dt.timedelta(days=rng.randrange(-10, 30))
        submitted = state in (RectState.SUBMITTED, RectState.ACCEPTED, RectState.RETURNED)
        rows.append(Rectification(
            alert=alert, org_id=alert.org_id, title=f"整改：{alert.detail[:40]}", requirement=f"针对“{alert.detail}”，限期整改并报送佐证材料。",
            deadline=deadline, owner_id=owners.get(alert.org_id), state=state,
            evidence="已召开专题会议研究整改措施，逐项整改到位，附会议记录和整改台账。" if submitted else "",
            submitted_on=min(today, deadline) if submitted else None,
            review_comment="佐证材料不全，请补充整改台账。" if state == RectState.RETURNED else "",
            accepted_on=today if state == RectState.ACCEPTED else None))
    Rectification.objects.bulk_create(rows)
    log(f"evaluation: {len(rows)} rectifications in various states")


def seed(*, rng, today: dt.date, log) -> None:
    if Period.objects.filter(computed_at__isnull=False).exists():
        log("evaluation: already present, skipped")
        return
    _tag_some_members(rng, log)
    starts = [previous_start("quarter", period_containing("quarter", today))]
    for _ in range(3):
        starts.append(previous_start("quarter", starts[-1]))
    for start in reversed(starts):
        if start == starts[0]:
            # The latest quarter shows weights from the superior's AHP judgements.
            p = period_for(kind="quarter", start=start)
            p.weighting, p.judgements = "ahp", {"dimensions": DIMENSION_JUDGEMENTS}
            p.save()
        p = period_compute(by=None, kind="quarter", start=start, today=today)
        log(f"evaluation: {p.label} computed in {p.seconds}s, {p.alerts.count()} warnings")
    year = period_compute(by=None, kind="year", start=dt.date(today.year - 1, 1, 1), today=today)
    log(f"evaluation: {year.label} computed in {year.seconds}s")
    _rectifications(rng, Period.objects.get(kind="quarter", start=starts[0]), today, log)
    _weak_decisions(year, today, log)


def _weak_decisions(year: Period, today: dt.date, log) -> None:
    """Two weak-and-lax decisions of the first street's party working committee, from its lowest-scoring
    branches of last year: last year's rectified, accepted and lifted; this year's being rectified."""
    from dangjian.accounts.models import RoleGrant
    from dangjian.accounts.roles import Role
    from dangjian.evaluation.models import IndexScore, WeakDecision, WeakNote, WeakPlan, WeakState
    from dangjian.evaluation.weaklax_services import grades_follow, share_status
    from dangjian.orgs.models import Org, OrgKind

    street = Org.objects.filter(kind=OrgKind.STREET_COMMITTEE).order_by("path").first()
    if street is None:
        return
    lowest = list(IndexScore.objects.filter(period=year, dimension="overall", org__kind=OrgKind.BRANCH,
                                            org__path__startswith=street.path).order_by("score", "org__path")
                  .select_related("org")[:2])
    grant = RoleGrant.objects.filter(org=street, role=Role.ORG_OFFICER).select_related("user").first()
    leader = grant.user if grant else None
    plans = [
        # (year, decided on, situations, state of the plan, what the check found)
        (today.year - 1, dt.date(today.year - 1, 3, 15), ["no_life", "members"], WeakState.LIFTED,
         "年度排查发现支部大会、支委会长期不按期召开，党员队伍管理松散。"),
        (today.year, dt.date(today.year, 3, 20), ["vacant", "poor_service"], WeakState.RECTIFYING,
         "年度排查发现书记调离后缺职三个月以上，群众诉求办理不及时、意见集中。"),
    ]
    for score, (y, decided_on, situations, state, found) in zip(lowest, plans, strict=False):
        if decided_on > today:
            continue
        over = share_status(street, y)["used"] + 1 > share_status(street, y)["limit"]
        d = WeakDecision.objects.create(
            org=score.org, year=y, situations=situations, committee=street, decided_on=decided_on,
            basis=f"{street.name}{decided_on:%Y年%m月}党工委会议研究确定：{found}",
            candidate_reasons=[f"综合指数 {score.score:.1f}"], over_share=over,
            override_reason="排查问题突出，党工委研究决定列入" if over else "", recorded_by=leader)
        lifted = state == WeakState.LIFTED
        accepted_on = dt.date(y, 11, 20) if lifted else None
        plan = WeakPlan.objects.create(
            decision=d, leader=leader, deadline=dt.date(y, 10, 31) if lifted else min(today + dt.timedelta(days=90), dt.date(y, 12, 31)),
            measures="选派第一书记驻点帮扶；支委会每月召开、支部党员大会每季度召开；逐户走访收集诉求，建立问题清单限期销号。",
            state=state, summary="已按方案完成整顿，组织生活恢复正常，群众诉求按期办结。" if lifted else "",
            submitted_on=dt.date(y, 11, 5) if lifted else None, accepted_on=accepted_on,
            accepted_by=leader if lifted else None, acceptance_comment="台账齐全，整顿到位。" if lifted else "",
            concluded_on=dt.date(y, 12, 20) if lifted else None, concluded_by=leader if lifted else None,
            conclusion="验收合格，群众认可，予以摘帽。" if lifted else "")
        WeakNote.objects.bulk_create([
            WeakNote(plan=plan, on=decided_on + dt.timedelta(days=20), text="包联领导到支部督导，召开专题组织生活会。", by=leader),
            WeakNote(plan=plan, on=min(today, decided_on + dt.timedelta(days=60)), text="补选支委，建立问题清单12项，已销号5项。", by=leader),
        ])
        grades_follow(score.org)
        log(f"evaluation: {score.org.name} named weak and lax for {y} ({plan.get_state_display()})")
