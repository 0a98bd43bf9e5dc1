"""Laying out the demo org tree in memory, paths included.

A street working committee holds ten committees (five communities, a school, a
hospital, an enterprise, the non-public-economy committee and the street's own
offices); each splits its members into branches of about 25-40, large community
branches into Party groups. Larger installations repeat the street under a
district committee: about one organisation per 20-30 members at every scale.
"""

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from dangjian.core.dates import add_years
from dangjian.orgs.models import OrgKind

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4

# Committee term of office in years by kind (DOMAIN.md, "Terms of office").
TERM_YEARS = {
    OrgKind.COUNTY_COMMITTEE: 5,
    OrgKind.STREET_COMMITTEE: 5,
    OrgKind.COMMUNITY_COMMITTEE: 5,
    OrgKind.GRASSROOTS_COMMITTEE: 5,
    OrgKind.GENERAL_BRANCH: 3,
    OrgKind.BRANCH: 3,
    OrgKind.JOINT_BRANCH: 3,
}

# One street holds about this many members when the installation has several.
MEMBERS_PER_STREET = 2500
SINGLE_STREET_UP_TO = 5000
GROUPS_FROM = 46  # a branch this large is split into Party groups
# 支部工作条例 第四条 (core.references REGULATIONS, committees.rules.branch_size_flag): a branch holds
# about 50 members at most; a larger unit gets another branch.
BRANCH_MAX = 50

_NUMERALS = "一二三四五六七八九十"

STREET_WORDS = (
    "东湖", "西城", "南苑", "北关", "翠苑", "文新", "古荡", "湖滨", "清波", "长庆", "潮鸣", "朝晖",
    "米市", "石桥", "半山", "九堡", "彭埠", "笕桥", "丁桥", "闸弄", "凯旋", "采荷", "四季", "望江",
    "紫阳", "南星", "小营", "天水", "武林", "宝石", "北山", "灵隐", "留下", "转塘", "双浦", "蒋村",
)
STREET_SUFFIXES = ("", "新村", "桥", "门", "湾", "岭", "塘", "港", "园", "坊")
COMMUNITY_WORDS = (
    "和平", "幸福", "阳光", "锦绣", "春晖", "金桂", "银杏", "梧桐", "新华", "建设", "友谊", "光明",
    "育才", "向阳", "丰收", "河畔", "滨江", "景苑", "枫林", "兰亭", "松园", "竹苑", "荷塘", "花港",
)
SCHOOL_NAMES = ("第十四中学", "实验中学", "外国语学校", "第二高级中学", "职业高级中学")
HOSPITAL_NAMES = ("人民医院", "中医院", "第三人民医院", "妇幼保健院")
BRANDS = ("恒信", "华升", "瑞达", "鼎新", "博远", "天成", "汇通", "联创", "嘉禾", "星海", "东方", "万泰")
INDUSTRIES = ("电气集团有限公司", "智能科技股份有限公司", "信息技术有限公司", "新材料有限公司", "生物医药股份有限公司")


@dataclass
class PlannedOrg:
    name: str
    kind: str
    parent: "PlannedOrg | None" = None
    unit: str = ""  # what kind of unit the members come from: drives their profile
    profile: str = ""  # member profile of a leaf
    size: int = 0  # members planned for a leaf
    code: str = ""
    path: str = ""
    depth: int = 0
    children: list["PlannedOrg"] = field(default_factory=list)
    founded_on: dt.date | None = None
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    pk: int | None = None
    candidates: list[int] = field(default_factory=list)  # member pks fit to be secretary

    def add(self, child: "PlannedOrg") -> "PlannedOrg":
        child.parent = self
        self.children.append(child)
        return child

    def walk(self):
        """Pre-order: a parent always comes before its children (path order)."""
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def is_leaf(self) -> bool:
        return not self.children


def step(n: int) -> str:
    """The n-th child's path step (1-based), as treebeard writes it: base 36, 4 wide."""
    if not 0 < n < 36**STEPLEN:
        raise ValueError(n)
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out.rjust(STEPLEN, "0")


def split(total: int, weights: list[float]) -> list[int]:
    """Integer shares of `total` in proportion to weights (largest remainder), summing exactly."""
    wsum = sum(weights)
    raw = [total * w / wsum for w in weights]
    out = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def cn(n: int) -> str:
    """1..99 in Chinese numerals, as in 第十二党支部."""
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _NUMERALS[tens - 1]
    return head + "十" + (_NUMERALS[ones - 1] if ones else "")


def _branches(unit: PlannedOrg, members: int, specs, rng: random.Random, *, at_least: int = 1) -> None:
    """Split a unit's members over branches; `specs(i, n)` gives (name, kind, profile)."""
    n = max(at_least, round(members / rng.uniform(30, 46)), math.ceil(members / BRANCH_MAX))
    sizes = split(members, [rng.uniform(0.7, 1.3) for _ in range(n)])
    if max(sizes) > BRANCH_MAX:  # uneven shares overshot: even ones stay within the rule
        sizes = split(members, [1.0] * n)
    for i, size in enumerate(sizes, start=1):
        name, kind, profile = specs(i, n)
        branch = unit.add(PlannedOrg(name=name, kind=kind, unit=unit.unit, profile=profile, size=size))
        if size >= GROUPS_FROM and unit.unit == "community":
            groups = 2 if size < 60 else 3
            for g, gsize in enumerate(split(size, [1.0] * groups), start=1):
                branch.add(PlannedOrg(
                    name=f"{name}第{cn(g)}党小组", kind=OrgKind.GROUP, unit=unit.unit,
                    profile=profile, size=gsize,
                ))
            branch.size = 0


def _community(street: PlannedOrg, word: str, members: int, rng: random.Random) -> None:
    c = street.add(PlannedOrg(name=f"{word}社区党委", kind=OrgKind.COMMUNITY_COMMITTEE, unit="community"))
    retired_from = None  # the last one or two branches gather retired members

    def spec(i, n):
        nonlocal retired_from
        retired_from = retired_from or max(2, n - (1 if n < 6 else 2) + 1)
        if n > 1 and i >= retired_from:
            k = i - retired_from + 1
            return f"{word}社区离退休第{cn(k)}党支部", OrgKind.BRANCH, "retired"
        return f"{word}社区第{cn(i)}党支部", OrgKind.BRANCH, "residents"

    # Two branches at least: the demo's branch secretaries A and B sit in one community.
    _branches(c, members, spec, rng, at_least=2)


def _school(street: PlannedOrg, prefix: str, members: int, rng: random.Random) -> None:
    s = street.add(PlannedOrg(
        name=f"{prefix}{rng.choice(SCHOOL_NAMES)}党总支", kind=OrgKind.GENERAL_BRANCH, unit="school",
    ))

    def spec(i, n):
        if n > 1 and i == n:
            return f"{s.name[:-3]}退休教师党支部", OrgKind.BRANCH, "retired"
        return f"{s.name[:-3]}教工第{cn(i)}党支部", OrgKind.BRANCH, "teachers"

    _branches(s, members, spec, rng)


_WARDS = ("内科", "外科", "医技", "护理", "门急诊", "行政后勤", "药剂", "妇儿")


def _hospital(street: PlannedOrg, prefix: str, members: int, rng: random.Random) -> None:
    h = street.add(PlannedOrg(
        name=f"{prefix}{rng.choice(HOSPITAL_NAMES)}党委", kind=OrgKind.GRASSROOTS_COMMITTEE, unit="hospital",
    ))
    base = h.name[:-2]

    def spec(i, n):
        if n > 2 and i == n:
            return f"{base}离退休党支部", OrgKind.BRANCH, "retired"
        ward = _WARDS[(i - 1) % len(_WARDS)]
        lap = (i - 1) // len(_WARDS)
        return f"{base}{ward}{'第' + cn(lap + 1) if lap else ''}党支部", OrgKind.BRANCH, "medical"

    _branches(h, members, spec, rng)


_DEPARTMENTS = ("生产", "市场营销", "职能部门", "质量管理", "供应链", "财务审计")


def _enterprise(street: PlannedOrg, members: int, rng: random.Random) -> None:
    e = street.add(PlannedOrg(
        name=f"{rng.choice(BRANDS)}{rng.choice(INDUSTRIES)}党委", kind=OrgKind.GRASSROOTS_COMMITTEE, unit="enterprise",
    ))
    base = e.name[:-2]
    # Research staff form a general branch with its own branches when large enough.
    research = round(members * 0.4) if members >= 120 else 0
    if research:
        rd = e.add(PlannedOrg(name=f"{base}研发中心党总支", kind=OrgKind.GENERAL_BRANCH, unit="enterprise"))
        _branches(rd, research, lambda i, n: (f"{base}研发第{cn(i)}党支部", OrgKind.BRANCH, "staff"), rng)

    def spec(i, n):
        dept = _DEPARTMENTS[(i - 1) % len(_DEPARTMENTS)]
        lap = (i - 1) // len(_DEPARTMENTS)
        return f"{base}{dept}{'第' + cn(lap + 1) if lap else ''}党支部", OrgKind.BRANCH, "staff"

    _branches(e, members - research, spec, rng)


_JOINT = ("商务楼宇", "个体工商户", "物流快递", "餐饮服务", "社会组织", "律师事务所", "商贸市场", "电商园区")


def _non_public(street: PlannedOrg, word: str, members: int, rng: random.Random) -> None:
    p = street.add(PlannedOrg(
        name=f"{word}街道非公有制经济组织和社会组织综合党委",
        kind=OrgKind.GRASSROOTS_COMMITTEE, unit="nonpublic",
    ))

    def spec(i, n):
        area = _JOINT[(i - 1) % len(_JOINT)]
        lap = (i - 1) // len(_JOINT)
        return f"{word}街道{area}{'第' + cn(lap + 1) if lap else ''}联合党支部", OrgKind.JOINT_BRANCH, "nonpublic"

    _branches(p, members, spec, rng)


def _offices(street: PlannedOrg, word: str, members: int, rng: random.Random) -> None:
    o = street.add(PlannedOrg(name=f"{word}街道机关党委", kind=OrgKind.GRASSROOTS_COMMITTEE, unit="offices"))

    def spec(i, n):
        if n > 2 and i == n:
            return f"{word}街道社区事务受理服务中心党支部", OrgKind.BRANCH, "civil"
        return f"{word}街道机关第{cn(i)}党支部", OrgKind.BRANCH, "civil"

    _branches(o, members, spec, rng)


# (unit builder, share of the street's members). Communities hold most, and most elderly.
_STREET_UNITS = (
    ("community", 0.13), ("community", 0.13), ("community", 0.13), ("community", 0.13), ("community", 0.13),
    ("school", 0.05), ("hospital", 0.08), ("enterprise", 0.09), ("nonpublic", 0.07), ("offices", 0.06),
)


def _street(parent: PlannedOrg | None, word: str, members: int, rng: random.Random) -> PlannedOrg:
    street = PlannedOrg(name=f"{word}街道党工委", kind=OrgKind.STREET_COMMITTEE, unit="offices")
    if parent is not None:
        parent.add(street)
    shares = split(members, [w * rng.uniform(0.8, 1.2) for _, w in _STREET_UNITS])
    communities = iter(rng.sample(COMMUNITY_WORDS, 5))
    for (unit, _), share in zip(_STREET_UNITS, shares, strict=True):
        if unit == "community":
            _community(street, next(communities), share, rng)
        elif unit == "school":
            _school(street, f"{word}", share, rng)
        elif unit == "hospital":
            _hospital(street, f"{word}", share, rng)
        elif unit == "enterprise":
            _enterprise(street, share, rng)
        elif unit == "nonpublic":
            _non_public(street, word, share, rng)
        else:
            _offices(street, word, share, rng)
    return street


def _street_words(count: int, rng: random.Random) -> list[str]:
    if count == 1:
        return [STREET_WORDS[0]]
    words = [w + s for s in STREET_SUFFIXES for w in STREET_WORDS]
    if count > len(words):
        words += [f"{w}{n}" for n in range(2, 2 + math.ceil(count / len(words))) for w in words]
    head, rest = words[0], words[1:]
    return [head, *rng.sample(rest, count - 1)]


def plan_tree(*, members: int, rng: random.Random, today: dt.date) -> PlannedOrg:
    """The whole tree for about `members` members: paths, codes, dates and leaf sizes set."""
    if members < 30:
        raise ValueError("the demo needs at least 30 members")
    streets = 1 if members <= SINGLE_STREET_UP_TO else math.ceil(members / MEMBERS_PER_STREET)
    words = _street_words(streets, rng)
    if streets == 1:
        root = _street(None, words[0], members, rng)
    else:
        root = PlannedOrg(name="滨江区委", kind=OrgKind.COUNTY_COMMITTEE, unit="offices")
        for word, share in zip(words, split(members, [rng.uniform(0.7, 1.3) for _ in words]), strict=True):
            _street(root, word, share, rng)
    _number(root, path=step(1), code="Q01" if streets > 1 else "J01")
    _date(root, rng=rng, today=today)
    return root


def _number(node: PlannedOrg, *, path: str, code: str) -> None:
    node.path, node.code, node.depth = path, code, len(path) // STEPLEN
    width = 2 if len(node.children) < 100 else 3
    for i, child in enumerate(node.children, start=1):
        _number(child, path=path + step(i), code=f"{code}{i:0{width}d}")


BRANCH_LEVEL = (OrgKind.GENERAL_BRANCH, OrgKind.BRANCH, OrgKind.JOINT_BRANCH)


def planned_term_years(node: "PlannedOrg") -> int | None:
    """中办《关于党的基层组织任期的意见》(2018): 村和社区 Party organisations, their branches included, serve
    five years; other general branches and branches three (committees.services.term_years, the same rule)."""
    years = TERM_YEARS.get(node.kind)
    if years and node.kind in BRANCH_LEVEL:
        up = node.parent
        while up is not None:
            if up.kind == OrgKind.COMMUNITY_COMMITTEE:
                return TERM_YEARS[OrgKind.COMMUNITY_COMMITTEE]
            up = up.parent
    return years


def _date(root: PlannedOrg, *, rng: random.Random, today: dt.date) -> None:
    """Founding dates after the parent's; terms running now, some ending soon, one overdue per street."""
    latest = today - dt.timedelta(days=4 * 365)
    for node in root.walk():
        if node.parent is None:
            node.founded_on = dt.date(1980, 1, 1) + dt.timedelta(days=rng.randrange(15 * 365))
        else:
            earliest = node.parent.founded_on
            span = max(1, min((latest - earliest).days, 20 * 365))
            node.founded_on = earliest + dt.timedelta(days=rng.randrange(span))
        years = planned_term_years(node)
        if years:
            # Drawn over the kind's own term and stretched: the random stream stays the one the demo always had.
            days_into = rng.randrange(TERM_YEARS[node.kind] * 365 - 1) * years // TERM_YEARS[node.kind]
            node.term_start = max(node.founded_on, today - dt.timedelta(days=days_into))
            node.term_end = add_years(node.term_start, years)
    for street in (n for n in root.walk() if n.kind == OrgKind.STREET_COMMITTEE):
        termed = [n for n in street.walk() if n.kind in (OrgKind.BRANCH, OrgKind.JOINT_BRANCH)]
        picks = rng.sample(termed, min(4, len(termed)))
        # The first pick's election is overdue (换届超期); the others fall due within three months.
        for i, node in enumerate(picks):
            end = today - dt.timedelta(days=rng.randint(20, 120)) if i == 0 else today + dt.timedelta(days=rng.randint(10, 85))
            node.term_end = end
            node.term_start = add_years(end, -planned_term_years(node))
            node.founded_on = min(node.founded_on, node.term_start)
