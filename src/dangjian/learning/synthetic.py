"""Synthetic but realistic study reflections (学习心得) and their disguised copies.

Sentences are built from templates and word banks, so two independent texts
share the stock phrases real reflections share, but rarely a whole sentence.
Used by the demo seeder, the originality benchmark and its test.
"""

from __future__ import annotations

import random

TOPICS = [
    "党的二十大精神", "新时代基层党建", "习近平新时代中国特色社会主义思想", "党章党规", "全面从严治党",
    "基层治理现代化", "党史学习教育", "主题教育", "群众路线", "作风建设", "廉洁自律", "乡村振兴战略",
    "社区网格化管理", "党员先锋模范作用", "为民服务", "基层组织建设", "意识形态工作", "民主集中制",
    "组织生活制度", "调查研究", "共同富裕", "党建引领基层治理", "志愿服务", "红色文化传承",
]
SUBJECTS = [
    "作为一名基层党员", "作为社区工作者", "作为支部委员", "作为一名老党员", "作为网格员", "作为青年党员",
    "我们支部", "社区党委", "我们党小组", "广大党员干部", "每一名共产党员", "基层党组织",
]
VERBS = [
    "深刻认识到", "切实体会到", "进一步明确了", "更加坚定了", "深入理解了", "真正感受到", "重新审视了",
    "认真思考了", "系统学习了", "反复研读了", "进一步增强了", "清醒认识到",
]
OBJECTS = [
    "理论武装的重要性", "密切联系群众的必要性", "责任担当的分量", "服务群众的初心", "调查研究的价值",
    "制度建设的根本作用", "基础工作的重要意义", "项目化管理的实际效果", "发展成果由人民共享的要求",
    "党组织凝聚力的来源", "组织力提升的路径", "基层减负的紧迫性", "网格服务的精细化方向",
    "资源整合的现实意义", "党员教育管理的短板", "民主评议的实际作用", "作风转变的长期性",
    "矛盾纠纷就地化解的经验", "志愿服务常态化的办法", "学习成果转化的难点",
]
ACTIONS = [
    "主动走访困难群众", "认真参加三会一课", "带头开展志愿服务", "坚持每周自学一小时", "积极参与网格巡查",
    "及时收集居民诉求", "认真撰写学习笔记", "参与社区环境整治", "结对帮扶独居老人", "组织青年党员宣讲",
    "推动共建单位资源下沉", "参加主题党日活动", "督促整改问题清单", "为居民办理实事", "参与矛盾纠纷调解",
    "协助开展垃圾分类宣传", "走进楼栋听取意见", "做好党费收缴工作", "帮助流动党员回归组织", "完善服务台账",
]
GOALS = [
    "把学习成果转化为工作成效", "让群众有更多获得感", "把党组织建设得更加坚强有力", "推动各项工作落到实处",
    "以实际行动践行初心使命", "不断提高服务群众的本领", "为社区发展贡献力量", "打通服务群众最后一公里",
    "持续巩固基层治理基础", "切实减轻基层负担", "形成可复制可推广的经验", "把问题解决在萌芽状态",
]
PLACES = ["在社区党群服务中心", "在楼栋议事会上", "在网格走访中", "在支部学习会上", "在志愿服务现场",
          "在民主评议中", "在结对帮扶中", "在主题党日活动中", "在入户调研时", "在整改落实过程中"]
TIMES = ["今年以来", "近一个月来", "通过这次学习", "回顾一年来的工作", "结合本职岗位", "联系思想实际",
         "对照党章党规", "在集中学习期间", "在专题研讨中", "在日常工作中"]
NUMBERS = ["三", "五", "八", "十", "十二", "二十", "三十", "四十六", "一百"]
UNITS = ["户居民", "次走访", "件诉求", "名党员", "个问题", "场活动", "位老人", "条建议"]

TEMPLATES = [
    "{time}，{subject}围绕{topic}开展学习，{verb}{object}。",
    "{subject}{verb}{object}，今后要{action}，{goal}。",
    "{place}，我{action}，{verb}{object}。",
    "{time}，我累计{action}{number}{unit}，{goal}。",
    "学习{topic}，关键在于{goal}，我将{action}。",
    "对照{topic}的要求，我{verb}自身在{object2}方面的不足。",
    "{place}，群众提出的意见让我{verb}{object}。",
    "下一步，{subject}将继续{action}，坚持{action2}，{goal}。",
    "{topic}不是空洞的口号，{subject}必须{action}，{goal}。",
    "{time}，{place}，我们共收集{number}{unit}，逐一建立台账并跟踪办理。",
]
FILLERS = ["我深有感触", "这一点尤为重要", "这让我印象深刻", "对此我有切身体会", "这是我今后努力的方向",
           "值得认真反思", "需要长期坚持", "这给了我很大启发"]


def _pick(rng: random.Random, words: list[str]) -> str:
    return words[rng.randrange(len(words))]


def sentence(rng: random.Random) -> str:
    template = _pick(rng, TEMPLATES)
    return template.format(
        time=_pick(rng, TIMES), subject=_pick(rng, SUBJECTS), topic=_pick(rng, TOPICS), verb=_pick(rng, VERBS),
        object=_pick(rng, OBJECTS), object2=_pick(rng, OBJECTS)[:-3], action=_pick(rng, ACTIONS),
        action2=_pick(rng, ACTIONS), goal=_pick(rng, GOALS), place=_pick(rng, PLACES),
        number=_pick(rng, NUMBERS), unit=_pick(rng, UNITS),
    )


def reflection(rng: random.Random, sentences: tuple[int, int] = (8, 16)) -> str:
    """A reflection of a few paragraphs (roughly 300 to 700 characters)."""
    n = rng.randint(*sentences)
    body = [sentence(rng) for _ in range(n)]
    paragraphs, i = [], 0
    while i < n:
        step = rng.randint(3, 5)
        paragraphs.append("".join(body[i : i + step]))
        i += step
    return "\n".join(paragraphs)


# Substitutions a copier uses to disguise a text (and a few ordinary rewrites).
DISGUISE = {"发展": "开展", "基础": "根底", "服务": "效劳", "项目": "工程", "认真": "仔细", "切实": "确实"}


def _sentences_of(text: str) -> list[str]:
    out, cur = [], ""
    for ch in text.replace("\n", ""):
        cur += ch
        if ch in "。！？；":
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out


def disguise(rng: random.Random, text: str, *, insert_share: float = 0.2) -> str:
    """A rewritten copy: synonym substitution, sentences reordered, a few of one's own inserted."""
    sents = _sentences_of(text)
    for a, b in DISGUISE.items():
        sents = [s.replace(a, b) if rng.random() < 0.8 else s for s in sents]
    rng.shuffle(sents)
    extra = max(1, round(len(sents) * insert_share))
    for _ in range(extra):
        sents.insert(rng.randrange(len(sents) + 1), _pick(rng, FILLERS) + "。")
    # Punctuation and width changes: full-width comma to half-width in some sentences.
    sents = [s.replace("，", ",") if rng.random() < 0.3 else s for s in sents]
    return "".join(sents)
