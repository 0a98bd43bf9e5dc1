"""Demo volunteer activities: a year of past activities with attendance and hours,
and a few open ones ahead. Deterministic from rng; bulk inserts."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from dangjian.orgs.models import Member, Org, OrgKind, Status
from dangjian.volunteering.models import Activity, SignUp

TITLES = ["清理楼道小广告", "独居老人上门探访", "垃圾分类桶前值守", "社区义诊志愿服务", "文明交通劝导", "防诈骗宣传",
          "助老理发", "小区绿化补种", "爱心义卖", "疫苗接种引导"]


def seed(*, rng, today: dt.date, log) -> None:
    if Activity.objects.exists():
        log("volunteering: already present, skipped")
        return
    tz = timezone.get_current_timezone()
    communities = list(Org.objects.filter(kind=OrgKind.COMMUNITY_COMMITTEE, is_active=True).order_by("path")[:40])
    activities, roll = [], {}
    for c in communities:
        roll[c.pk] = list(Member.objects.filter(org__path__subtree=c.path, status=Status.ACTIVE).values_list("pk", flat=True)[:300])
        for i in range(8):
            day = today + dt.timedelta(days=rng.randint(-330, -1) if i < 7 else rng.randint(3, 20))
            start = dt.datetime(day.year, day.month, day.day, rng.choice((8, 9, 14)), tzinfo=tz)
            length = rng.choice((2, 3, 4))
            activities.append(Activity(org=c, title=rng.choice(TITLES), place=f"{c.name[:4]}", starts_at=start,
                                       ends_at=start + dt.timedelta(hours=length), capacity=30,
                                       state=Activity.State.DONE if i < 7 else Activity.State.OPEN))
    activities = Activity.objects.bulk_create(activities)
    signups = []
    now = timezone.now()
    for a in activities:
        people = roll.get(a.org_id) or []
        if not people:
            continue
        length = Decimal((a.ends_at - a.starts_at).seconds // 3600)
        for member_id in rng.sample(people, min(len(people), rng.randint(5, 20))):
            done = a.state == Activity.State.DONE
            attended = done and rng.random() < 0.85
            signups.append(SignUp(activity=a, member_id=member_id, attended=attended if done else None,
                                  hours=(length if rng.random() < 0.8 else length - Decimal("0.5")) if attended else None,
                                  recorded_at=now if done else None))
    SignUp.objects.bulk_create(signups)
    log(f"volunteering: {len(activities)} activities, {len(signups)} sign-ups")
