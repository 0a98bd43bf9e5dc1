"""Demo case library, study plans, study records and reflections (with their
signatures, and two disguised copies that the check flags). Deterministic from rng."""

import datetime as dt

from dangjian.learning import originality, synthetic
from dangjian.learning.models import (
    Case,
    Dimension,
    DocKind,
    Material,
    Reflection,
    ReflectionMatch,
    Signature,
    StudyPlan,
    StudyRecord,
)
from dangjian.learning.search import index_tokens
from dangjian.orgs.models import Member, Org, OrgKind, Status

CASES = [
    ("垃圾分类积分兑换激发居民参与", "党员楼栋长带头开展垃圾分类宣传，设立积分兑换超市。", "分类准确率提高到九成。", "", Dimension.INFLUENCE, "垃圾分类 积分"),
    ("独居老人结对帮扶", "每名党员结对两位独居老人，每周上门探访，代购药品。", "辖区独居老人全部纳入结对。", "", Dimension.COHESION, "助老 结对"),
    ("停车难问题的协商共治", "召开楼栋议事会，居民协商划定停车位，共建单位夜间开放停车场。", "新增夜间车位一百个。", "", Dimension.CAPACITY, "议事 停车"),
    ("三会一课流于形式的教训", "部分支部会议记录雷同、内容空洞。", "", "每次会议须有具体议题和决定事项。", Dimension.CAPACITY, "三会一课 整改"),
    ("网格员走访收集诉求", "网格员每周入户走访，收集居民诉求当天录入平台。", "诉求响应时间缩短一半。", "", Dimension.INFLUENCE, "网格 诉求"),
    ("老旧小区加装电梯", "党员带头做通低层住户工作，争取补贴资金。", "完成加装电梯十二部。", "", Dimension.COHESION, "电梯 协商"),
    ("志愿服务时长一次记录多处复用", "志愿服务时长只登记一次，考核评优直接引用。", "基层填报表格减少三张。", "", Dimension.CAPACITY, "减负 志愿服务"),
    ("流动党员管理的教训", "部分流动党员长期失联，组织关系悬空。", "", "建立线上联系群，按月推送学习资料。", Dimension.COHESION, "流动党员 教训"),
]


def seed(*, rng, today: dt.date, log) -> None:
    if Case.objects.exists():
        log("learning: already present, skipped")
        return
    communities = list(Org.objects.filter(kind=OrgKind.COMMUNITY_COMMITTEE, is_active=True).order_by("path")[:40])
    cases = []
    for c in communities:
        for title, practice, results, lessons, dim, tags in rng.sample(CASES, 3):
            kind = Case.Kind.LESSON if lessons else Case.Kind.PRACTICE
            cases.append(Case(org=c, title=title, practice=practice, results=results, lessons=lessons, dimension=dim,
                              kind=kind, tags=tags, search_text=index_tokens(title, practice, results, lessons, tags)))
    Case.objects.bulk_create(cases)
    plans, materials = [], []
    for c in communities:
        plans.append(StudyPlan(org=c, title=f"{today.year}年度党员学习计划", starts_on=today.replace(month=1, day=1),
                               ends_on=today.replace(month=12, day=31)))
    plans = StudyPlan.objects.bulk_create(plans)
    for p in plans:
        for title in ("党章", "新时代基层党建工作要点", "党的二十大报告"):
            materials.append(Material(org=p.org, plan=p, title=title, body=f"{title}学习材料正文", minutes=60))
    materials = Material.objects.bulk_create(materials)
    by_org = {}
    for m in materials:
        by_org.setdefault(m.org_id, []).append(m)
    records, reflections = [], []
    for c in communities:
        members = list(Member.objects.filter(org__path__subtree=c.path, status=Status.ACTIVE).select_related("org")[:120])
        for member in members:
            for material in rng.sample(by_org[c.pk], 2):
                day = today - dt.timedelta(days=rng.randint(1, 200))
                records.append(StudyRecord(member=member, org=member.org, material=material, plan=material.plan,
                                           mode=rng.choice(list(StudyRecord.Mode.values)), studied_on=day,
                                           minutes=rng.choice((30, 45, 60, 90))))
            if rng.random() < 0.25:
                reflections.append(Reflection(member=member, org=member.org, material=rng.choice(by_org[c.pk]),
                                              title="学习心得", body=synthetic.reflection(rng)))
    StudyRecord.objects.bulk_create(records, ignore_conflicts=True)
    # Two copies disguised by synonyms and reordering, flagged as the check would.
    copies = []
    for original in rng.sample(reflections, min(2, len(reflections))):
        other = rng.choice(reflections)
        copies.append((original, Reflection(member=other.member, org=other.org, title="学习心得（疑似）",
                                            body=synthetic.disguise(rng, original.body),
                                            verdict=Reflection.Verdict.FLAGGED, score=0.9)))
    reflections = Reflection.objects.bulk_create(reflections + [c for _, c in copies])
    canon = originality.Canonicaliser()
    signatures = []
    for r in reflections:
        for i, sig in enumerate(originality.signatures_for(canon.canonical(r.body))):
            signatures.append(Signature(kind=DocKind.REFLECTION, doc_id=r.pk, window=i, minhash=sig.tobytes()))
    Signature.objects.bulk_create(signatures, batch_size=2000)
    for original, copy in copies:
        match, _ = originality.compare(copy.body, canon.canonical(copy.body),
                                       originality.shingle_hashes_all(canon.canonical(copy.body)), original.pk,
                                       original.body, canon)
        ReflectionMatch.objects.create(
            reflection=copy, kind=DocKind.REFLECTION, other_id=original.pk, other_title=original.title,
            other_org=original.org, query_containment=match.query_containment, doc_containment=match.doc_containment,
            passages=[{"mine": p.query_text, "theirs": p.match_text} for p in match.passages])
        Reflection.objects.filter(pk=copy.pk).update(score=match.query_containment)
    log(f"learning: {len(cases)} cases, {len(records)} study records, {len(reflections)} reflections")
