"""Demo departments: each street's functional departments, a contact each, and summonses on about one appeal in
thirty of the last year (most answered within the deadline). Deterministic from rng; bulk_create for speed."""

import datetime as dt

from django.utils import timezone

from dangjian.departments.models import Contact, Department, Summons
from dangjian.departments.selectors import appeal_model
from dangjian.orgs.models import Org, OrgKind

DEPARTMENTS = [
    ("CG", "城管执法中队", "占道经营、违章搭建、噪声"), ("FG", "房管所", "房屋安全、物业监管"),
    ("PS", "派出所", "治安、矛盾纠纷"), ("SW", "供水服务站", "供水、管网抢修"),
    ("SZ", "市政设施所", "路灯、井盖、道路"),
]
SURNAMES = "王李张刘陈杨赵黄周吴"
SHARE = 30


def seed(*, rng, today: dt.date, log) -> None:
    if Department.objects.exists():
        log("departments: already present, skipped")
        return
    streets = list(Org.objects.filter(kind=OrgKind.STREET_COMMITTEE, is_active=True).order_by("path"))
    depts = Department.objects.bulk_create([
        Department(org=s, code=code, name=name, duties=duties) for s in streets for code, name, duties in DEPARTMENTS])
    Contact.objects.bulk_create([
        Contact(department=d, name=rng.choice(SURNAMES) + "科长", title="联络员",
                phone=f"139{rng.randint(10_000_000, 99_999_999)}") for d in depts])
    by_street: dict[int, list[Department]] = {}
    for d in depts:
        by_street.setdefault(d.org_id, []).append(d)
    tz = timezone.get_current_timezone()
    now = dt.datetime.combine(today, dt.time(18, 0), tzinfo=tz)
    appeals = appeal_model().objects.filter(received_at__gte=now - dt.timedelta(days=365)).exclude(
        state="rejected").select_related("org").order_by("pk")
    rows = []
    for appeal in appeals.iterator():
        if rng.randrange(SHARE):
            continue
        street = next((s for s in streets if appeal.org.path.startswith(s.path)), None)
        if street is None:
            continue
        at = appeal.received_at + dt.timedelta(hours=rng.randint(2, 30))
        if at > now:
            continue
        due = at + dt.timedelta(days=3)
        answered = at + dt.timedelta(hours=rng.randint(4, 96)) if rng.random() < 0.9 else None
        if answered is not None and answered > now:
            answered = None
        rows.append(Summons(department=rng.choice(by_street[street.pk]), appeal=appeal, summoned_at=at, due_at=due,
                            request="请派员到现场会同社区处置", answered_at=answered,
                            answer="已派员到场处置" if answered else ""))
    Summons.objects.bulk_create(rows, batch_size=2000)
    log(f"departments: {len(depts)} departments, {len(rows)} summonses")
