"""Demo meetings: two years of 三会一课 with attendance, appraisals, and deliberate gaps.

Deterministic from rng; bulk_create for speed (demo data is not audited as user
writes are). Gaps: some branches skip recent theme days or a quarter's general
meeting, and a few members stop attending 3 to 7 months ago, so the compliance
page, the six-month-rule warnings and the to-do list have something to show.
"""

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from dangjian.core.dates import add_months
from dangjian.meetings import life_dates
from dangjian.meetings.models import (
    Appraisal,
    Attendance,
    FollowUp,
    GoodReason,
    Measure,
    Meeting,
    MeetingRule,
    MeetingType,
    Outcome,
    Talk,
)
from dangjian.meetings.periods import periods_of_year
from dangjian.meetings.selectors import MEETING_KINDS, committee_on, committee_terms, required_types
from dangjian.orgs.demo_data.personas import persona_orgs
from dangjian.orgs.models import Member, Org, Status

TOPICS = {
    MeetingType.BRANCH_GENERAL: ["学习贯彻党的二十届三中全会精神", "讨论发展党员事项", "通报支部工作情况", "研究年度工作计划"],
    MeetingType.COMMITTEE: ["研究本月支部工作安排", "讨论党费收缴情况", "研究困难党员帮扶", "部署主题党日活动"],
    MeetingType.GROUP: ["学习《党章》", "交流学习心得", "走访联系群众情况汇报"],
    MeetingType.LECTURE: ["书记讲党课：坚定理想信念", "党史专题党课", "基层治理专题党课"],
    MeetingType.THEME_DAY: ["社区志愿服务", "重温入党誓词", "参观红色教育基地", "环境整治义务劳动", "走访慰问老党员"],
    MeetingType.LIFE_MEETING: ["年度组织生活会：对照检查、批评与自我批评"],
    MeetingType.APPRAISAL: ["年度民主评议党员"],
}
PLACES = ["党员活动室", "社区会议室", "党群服务中心", "新时代文明实践站"]
LEAVE_REASONS = ["出差", "生病住院", "外出务工", "照顾家人", "单位值班"]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))


def seed(*, rng, today: dt.date, log) -> None:
    if Meeting.objects.exists():
        log("meetings: already present, skipped")
        return
    rules = dict(MeetingRule.objects.values_list("meeting_type", "every_months"))
    orgs = list(Org.objects.filter(kind__in=MEETING_KINDS, is_active=True).order_by("path"))
    members = list(Member.objects.filter(status=Status.ACTIVE).select_related("org").order_by("id"))
    roll: dict[int, list[Member]] = defaultdict(list)
    for org in orgs:
        roll[org.pk] = [m for m in members if m.org.path.startswith(org.path)]
    # A few members drift away: after their last day they are always absent.
    drifting = {m.pk: add_months(today, -rng.choice((3, 4, 5, 6, 7))) for m in rng.sample(members, max(3, len(members) // 40))}
    # Some branches let recent work slip.
    slack = {o.pk for o in orgs if rng.random() < 0.15}
    first_year = today.year - 1
    meetings, pending = [], []  # pending: (meeting, members)
    for org in orgs:
        people = roll[org.pk]
        if not people:
            continue
        wanted = required_types(org, sum(m.category == "full" for m in people), rules, 7)
        for mtype, every in wanted.items():
            for year in (first_year, today.year):
                for period in periods_of_year(year, every):
                    if period.start > today:
                        continue
                    if org.pk in slack and period.end >= add_months(today, -3) and rng.random() < 0.7:
                        continue  # deliberate gap
                    if rng.random() < 0.03:
                        continue  # the odd missed meeting
                    last = min(period.end, today)
                    day = period.start + dt.timedelta(days=rng.randrange((last - period.start).days + 1))
                    if day >= today:
                        continue
                    m = Meeting(
                        org=org, meeting_type=mtype, state=Meeting.State.HELD, starts_at=_at(day, rng.choice((9, 14, 19))),
                        place=rng.choice(PLACES), topic=rng.choice(TOPICS[mtype]), host=rng.choice(people),
                        minutes=f"{day:%Y年%m月%d日}召开{MeetingType(mtype).label}，围绕“{rng.choice(TOPICS[mtype])}”进行学习讨论，形成会议记录。",
                    )
                    if mtype == MeetingType.LECTURE and org.secretary_id and period.start.month <= 3:
                        m.lecturer_id = org.secretary_id  # the secretary's yearly 党课 (ARTICLES["secretary.duties"])
                    meetings.append(m)
                    pending.append((m, people, day))
        # Upcoming plans, and one past plan left unrecorded in a few branches.
        soon = today + dt.timedelta(days=rng.randrange(1, 20))
        meetings.append(Meeting(org=org, meeting_type=MeetingType.THEME_DAY, state=Meeting.State.PLANNED,
                                starts_at=_at(soon, 14), place=rng.choice(PLACES), topic=rng.choice(TOPICS[MeetingType.THEME_DAY])))
        if rng.random() < 0.1:
            past = today - dt.timedelta(days=rng.randrange(2, 10))
            meetings.append(Meeting(org=org, meeting_type=MeetingType.LECTURE, state=Meeting.State.PLANNED,
                                    starts_at=_at(past, 9), place=rng.choice(PLACES), topic=rng.choice(TOPICS[MeetingType.LECTURE])))
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    log(f"meetings: {len(meetings)} meetings")
    _talks(orgs, roll, today, log)

    # A committee meeting is attended by the committee seated that day (seeded by committees before meetings).
    seated = committee_terms([o.pk for o in orgs])
    rows = []
    for m, people, day in pending:
        if m.meeting_type == MeetingType.COMMITTEE:
            ids = committee_on(seated.get(m.org_id, []), day)
            if ids is not None:
                on_committee = set(ids)
                people = [p for p in people if p.pk in on_committee]
        for p in people:
            if p.joined_on > day:
                continue
            if p.pk in drifting and day > drifting[p.pk]:
                status, reason = Attendance.Status.ABSENT, ""
            else:
                r = rng.random()
                if r < 0.88:
                    status, reason = Attendance.Status.PRESENT, ""
                elif r < 0.95:
                    status, reason = Attendance.Status.LEAVE, rng.choice(LEAVE_REASONS)
                else:
                    status, reason = Attendance.Status.ABSENT, ""
            rows.append(Attendance(meeting=m, member=p, status=status, reason=reason))
        if len(rows) >= 20000:
            Attendance.objects.bulk_create(rows, batch_size=5000)
            log(f"meetings: … {len(rows)} attendance rows")
            rows = []
    Attendance.objects.bulk_create(rows, batch_size=5000)
    log(f"meetings: last organisational life stored for {life_dates.rebuild()} members")

    year = today.year - 1
    appraisals = []
    for p in members:
        if p.joined_on.year > year:
            continue
        r = rng.random()
        if p.pk in drifting and r < 0.5:
            outcome, reason = Outcome.BASIC, "下半年参加组织生活不够经常"
        elif r < 0.18:
            outcome, reason = Outcome.EXCELLENT, rng.choice(["带头参加志愿服务", "联系群众成效突出", "圆满完成支部交办任务"])
        elif r < 0.99:
            outcome, reason = Outcome.QUALIFIED, ""
        else:
            outcome, reason = Outcome.UNQUALIFIED, "无正当理由长期不参加组织生活"
        appraisals.append(Appraisal(member=p, org=p.org, year=year, outcome=outcome, reason=reason))
    _unqualified(appraisals, drifting)
    Appraisal.objects.bulk_create(appraisals, batch_size=5000)
    log(f"meetings: {len(appraisals)} appraisals for {year}, {len(drifting)} members drifting, {len(slack)} branches with gaps")
    _followups(appraisals, drifting, today, log)


def _unqualified(appraisals: list[Appraisal], drifting: dict) -> None:
    """At least one member appraised 不合格 in the first branch (the personas' branch A) and two drifting ones
    elsewhere, so the follow-up pages and to-dos have something to show."""
    first = persona_orgs()["branch_a"]
    wanted = [a for a in appraisals if a.org_id == first.pk][-1:]
    wanted += [a for a in appraisals if a.member_id in drifting and a not in wanted][:2]
    for a in wanted:
        a.outcome, a.reason = Outcome.UNQUALIFIED, "无正当理由长期不参加组织生活，不履行党员义务"


def _followups(appraisals: list[Appraisal], drifting: dict, today: dt.date, log) -> None:
    """The branches' decisions on the unqualified (ARTICLES["member.unqualified"]): one correcting within its
    deadline, one whose deadline passed without a review, one 除名 awaiting the superior, the rest undecided;
    and a good reason (正当理由) for one drifting member (党章第九条)."""
    unqualified = [a for a in appraisals if a.outcome == Outcome.UNQUALIFIED]
    plans = [
        (Measure.CORRECT, add_months(today, -4), 8),  # correcting until four months from now
        (Measure.CORRECT, add_months(today, -8), 6),  # deadline passed two months ago: review due
        None,  # undecided: the secretary's to-do
        (Measure.REMOVE, today - dt.timedelta(days=20), None),  # awaits the superior's approval
    ]
    steps = []
    for a, plan in zip(unqualified, plans, strict=False):
        if plan is None:
            continue
        measure, decided, months = plan
        steps.append(FollowUp(appraisal=a, measure=measure, decided_on=decided,
                              deadline=add_months(decided, months) if months else None,
                              note="支部党员大会讨论决定"))
    FollowUp.objects.bulk_create(steps)
    reasons = []
    for member_id, since in sorted(drifting.items())[:1]:
        reasons.append(GoodReason(member_id=member_id, reason="外出务工，已向支部书面报告", starts_on=since,
                                  ends_on=add_months(today, 2)))
    GoodReason.objects.bulk_create(reasons)
    log(f"meetings: {len(steps)} follow-ups of unqualified members, {len(reasons)} good reasons")


def _talks(orgs, roll, today: dt.date, log) -> None:
    """Each secretary's talks with two members a year (谈心谈话, ARTICLES["secretary.duties"]); none yet this year
    in the branches whose secretary is behind, so the yearly check has something to say from October."""
    talks = []
    for org in orgs:
        if not org.secretary_id:
            continue
        others = [m for m in roll[org.pk] if m.pk != org.secretary_id and m.org_id == org.pk][:2]
        for year in (today.year - 1, today.year):
            day = dt.date(year, 4, 20)
            if day >= today or (year == today.year and org.pk % 5 == 0):
                continue
            talks.extend(Talk(org=org, talker_id=org.secretary_id, member=m, held_on=day,
                              note="了解思想、工作和生活情况，听取意见建议") for m in others)
    Talk.objects.bulk_create(talks, batch_size=2000)
    log(f"meetings: {len(talks)} heart-to-heart talks")
