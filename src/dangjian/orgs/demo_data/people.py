"""Inventing plausible members, deterministically from one random.Random.

Each leaf org has a profile (residents, retired, teachers, medical, staff,
nonpublic, civil) that shapes age, employment, education, job and tags; every
record satisfies the roster's own rules (orgs.rules): a valid ID number agreeing
with birth date and gender, joined at 18 or later, full membership one year
after joining.
"""

import bisect
import datetime as dt
import itertools
import random
from dataclasses import dataclass

from faker.providers.person.zh_CN import Provider as _Names
from faker.providers.ssn.zh_CN import Provider as _Areas

from dangjian.core import crypto
from dangjian.core.dates import add_years
from dangjian.orgs.idnumber import check_char
from dangjian.orgs.models import Category, Education, Employment, Status
from dangjian.orgs.rules import earliest_join

TAG_NAMES = ("老党员", "流动党员", "困难党员", "退役军人")

_LAST = list(_Names.last_names)
_LAST_CUM = list(itertools.accumulate(_Names.last_names.values()))
_MALE = list(_Names.first_names_male)
_FEMALE = list(_Names.first_names_female)
_MALE_CHARS = sorted({c for n in _MALE for c in n})
_FEMALE_CHARS = sorted({c for n in _FEMALE for c in n})
_AREAS = [a for a in _Areas.area_codes if not a.endswith("00")]

_PHONE_PREFIXES = (
    *(f"13{d}" for d in range(10)), "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "166", "173", "175", "176", "177", "178", *(f"18{d}" for d in range(10)),
    "191", "193", "195", "196", "198", "199",
)
_MINORITIES = ("回族", "满族", "蒙古族", "壮族", "土家族", "苗族", "朝鲜族", "畲族")

JOBS = {
    "residents": ("社区志愿者", "个体经营者", "企业职员", "物业管理员", "教师", "医生", "工程师", "会计", "销售经理", "公务员"),
    "teachers": ("语文教师", "数学教师", "英语教师", "物理教师", "班主任", "教研组长", "教务处干事", "德育处主任"),
    "medical": ("主治医师", "副主任医师", "护士", "护师", "药剂师", "检验技师", "科室主任", "院办干事"),
    "staff": ("软件工程师", "硬件工程师", "技术员", "产品经理", "车间主任", "质检员", "销售代表", "人事专员", "财务主管"),
    "nonpublic": ("企业负责人", "个体工商户", "快递员", "外卖骑手", "律师", "店长", "社会工作者", "电商运营", "行政主管"),
    "civil": ("科员", "副科长", "科长", "办公室主任", "社区工作者", "网格员", "综合执法队员"),
}

# Education weights (postgraduate, bachelor, college, secondary, junior) by profile or birth cohort.
_EDU_ORDER = (Education.POSTGRADUATE, Education.BACHELOR, Education.COLLEGE, Education.SECONDARY, Education.JUNIOR)
_EDU_PROFILE = {
    "teachers": (30, 60, 10, 0, 0),
    "medical": (30, 50, 18, 2, 0),
    "civil": (20, 60, 18, 2, 0),
    "staff": (15, 50, 25, 10, 0),
    "nonpublic": (3, 25, 32, 30, 10),
}
_EDU_COHORT = (  # (born before, weights)
    (1950, (0, 5, 10, 35, 50)),
    (1965, (1, 14, 15, 40, 30)),
    (1980, (5, 35, 30, 22, 8)),
    (9999, (12, 48, 28, 10, 2)),
)


@dataclass
class Invented:
    member: dict  # Member field attname: Python value (the writer encrypts and inserts)
    tags: tuple[str, ...]
    age: int
    lost_on: dt.date | None  # when contact was lost, for the status history


class People:
    """Members for a street whose residents mostly come from `local_area`."""

    def __init__(self, *, rng: random.Random, today: dt.date, address_pool: list[str]):
        self.rng = rng
        self.today = today
        self.address_pool = address_pool
        self._taken: set[int] = set()  # first 17 digits of every ID number handed out
        self.local_areas: list[str] = []
        self.region_areas: list[str] = []

    def set_locality(self, local_area: str) -> None:
        self.local_areas = [local_area]
        self.region_areas = [a for a in _AREAS if a[:4] == local_area[:4]] or [local_area]

    # --- the parts of a person -------------------------------------------------
    def _name(self, gender: str) -> str:
        rng = self.rng
        last = _LAST[bisect.bisect_left(_LAST_CUM, rng.random() * _LAST_CUM[-1])]
        if rng.random() < 0.55:
            first = rng.choice(_MALE if gender == "M" else _FEMALE)
        else:
            chars = _MALE_CHARS if gender == "M" else _FEMALE_CHARS
            first = rng.choice(chars) + rng.choice(chars)
        return last + first

    def _age(self, profile: str) -> tuple[int, str]:
        """(age, employment) for a member of this profile."""
        rng = self.rng
        if profile == "residents":
            roll = rng.random()
            if roll < 0.5:
                profile = "retired"
            elif roll < 0.55:
                age = rng.randint(20, 27)
                return age, Employment.STUDENT if age <= 23 else Employment.EMPLOYED
            elif roll < 0.60:
                return rng.randint(30, 59), Employment.UNEMPLOYED
            else:
                return round(rng.triangular(24, 59, 42)), Employment.EMPLOYED
        if profile == "retired":
            return round(rng.triangular(58, 96, 68)), Employment.RETIRED
        if profile == "nonpublic":
            return round(rng.triangular(22, 58, 33)), Employment.EMPLOYED
        if profile == "staff":
            return round(rng.triangular(23, 57, 32)), Employment.EMPLOYED
        return round(rng.triangular(24, 60, 40)), Employment.EMPLOYED  # teachers, medical, civil

    def _birth(self, age: int) -> dt.date:
        last_birthday = add_years(self.today, -age)
        return last_birthday - dt.timedelta(days=self.rng.randrange(365))

    def _id_number(self, birth: dt.date, gender: str, migrant: bool) -> str:
        rng = self.rng
        roll = rng.random()
        if migrant or roll < 0.12:
            areas = _AREAS
        elif roll < 0.35:
            areas = self.region_areas
        else:
            areas = self.local_areas
        while True:
            seq = rng.randrange(500) * 2 + (1 if gender == "M" else 0)
            first17 = f"{rng.choice(areas)}{birth:%Y%m%d}{seq:03d}"
            key = int(first17)
            if key not in self._taken:
                self._taken.add(key)
                return first17 + check_char(first17)

    def _joined(self, birth: dt.date, age: int, employment: str) -> tuple[dt.date, dt.date | None, str]:
        """(joined_on, full_member_on, category): joined at 19 or later (orgs.rules.earliest_join); a year's probation."""
        rng, today = self.rng, self.today
        adult = earliest_join(birth) + dt.timedelta(days=1)
        probationary = employment != Employment.RETIRED and rng.random() < 0.03
        full_by = add_years(today, -1)  # a full member joined at least a year ago
        if not probationary and adult < full_by:
            join_age = rng.triangular(19, 40, 23 if age < 45 else 26)
            joined = min(add_years(birth, int(join_age)) + dt.timedelta(days=rng.randrange(365)), full_by)
            joined = max(joined, adult)
            return joined, add_years(joined, 1), Category.FULL
        earliest = max(adult, today - dt.timedelta(days=360))
        joined = earliest + dt.timedelta(days=rng.randrange(max(1, (today - earliest).days)))
        return joined, None, Category.PROBATIONARY

    def _education(self, profile: str, birth: dt.date) -> str:
        weights = _EDU_PROFILE.get(profile)
        if weights is None:
            weights = next(w for year, w in _EDU_COHORT if birth.year < year)
        return self.rng.choices(_EDU_ORDER, weights=weights)[0]

    def _phone(self, age: int) -> str:
        rng = self.rng
        if age >= 80 and rng.random() < 0.3:
            return ""
        return rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"

    # --- a whole member ------------------------------------------------------------
    def invent(self, *, org_id: int, profile: str) -> Invented:
        rng, today = self.rng, self.today
        # About 70/30 men to women, as the national roll (中组部 党内统计公报: women about 30 %);
        # hospitals' branches the other way round.
        gender = "M" if rng.random() < (0.74 if profile != "medical" else 0.35) else "F"
        age, employment = self._age(profile)
        birth = self._birth(age)
        migrant = employment == Employment.EMPLOYED and rng.random() < (0.12 if profile == "nonpublic" else 0.03)
        id_number = self._id_number(birth, gender, migrant)
        joined, full_on, category = self._joined(birth, age, employment)
        phone = self._phone(age)
        job = "退休" if employment == Employment.RETIRED else (
            "在读学生" if employment == Employment.STUDENT else (
                "" if employment == Employment.UNEMPLOYED else rng.choice(JOBS.get(profile, JOBS["residents"]))
            )
        )
        tags = []
        if add_years(joined, 50) <= today:
            tags.append("老党员")
        if migrant:
            tags.append("流动党员")
        if employment in (Employment.RETIRED, Employment.UNEMPLOYED) and rng.random() < 0.04:
            tags.append("困难党员")
        if gender == "M" and rng.random() < (0.09 if age >= 60 else 0.04):
            tags.append("退役军人")
        lost_on = None
        if employment != Employment.RETIRED and rng.random() < (0.25 if migrant else 0.008):
            lost_on = today - dt.timedelta(days=rng.randint(30, 900))
            lost_on = max(lost_on, joined)
        member = {
            "org_id": org_id,
            "name": self._name(gender),
            "gender": gender,
            "ethnicity": "汉族" if rng.random() < 0.94 else rng.choice(_MINORITIES),
            "birth_date": birth,
            "id_number": id_number,
            "id_number_index": crypto.blind_index(id_number),
            "phone": phone,
            "phone_index": crypto.blind_index(phone) if phone else "",
            "education": str(self._education(profile, birth)),
            "joined_on": joined,
            "full_member_on": full_on,
            "category": str(category),
            "status": str(Status.LOST_CONTACT if lost_on else Status.ACTIVE),
            "employment": str(employment),
            "job": job,
            "address": self._address(),
        }
        return Invented(member=member, tags=tuple(tags), age=age, lost_on=lost_on)

    def _address(self) -> str:
        rng = self.rng
        return f"{rng.choice(self.address_pool)}{rng.randint(1, 399)}号{rng.randint(1, 28)}幢{rng.randint(1, 4)}单元{rng.randint(1, 18)}{rng.randint(1, 4):02d}室"
