"""Chinese full-text search quality on a small labelled set (SQLite FTS5 / PostgreSQL tsvector)."""

import pytest

from dangjian.learning import selectors, services
from dangjian.learning.search import index_tokens, query_tokens

CASES = {
    "garbage": ("垃圾分类“积分兑换”激发居民参与", "党员楼栋长带头开展垃圾分类宣传，设立积分兑换超市，居民分类投放准确率明显提高。"),
    "garbage2": ("老旧小区垃圾清运难题的解决办法", "协调物业和环卫所，增加垃圾清运频次，党员志愿者定时巡查垃圾桶。"),
    "elderly": ("独居老人结对帮扶", "每名党员结对两位独居老人，每周上门探访，帮助代购药品，解决老人生活难题。"),
    "elderly2": ("社区老年食堂的建设经验", "利用共建单位闲置场地开办老年食堂，为高龄老人提供助餐服务。"),
    "parking": ("停车难问题的协商共治", "召开楼栋议事会，居民协商划定停车位，共建单位夜间开放停车场。"),
    "dues": ("党费收缴规范化的做法", "建立党费收缴台账，按月公示，流动党员通过线上方式缴纳党费。"),
    "study": ("青年党员理论学习小组", "组织青年党员每月开展理论学习和专题研讨，撰写学习心得并交流。"),
    "lesson_meeting": ("三会一课流于形式的教训", "部分支部会议记录雷同、内容空洞，整改中要求每次会议有具体议题。"),
    "grid": ("网格员走访收集诉求", "网格员每周入户走访，收集居民诉求并当天录入平台，跟踪办理结果。"),
    "volunteer": ("志愿服务时长记录一次复用", "志愿服务时长只登记一次，年终考核和评优直接引用，不再重复填报。"),
    "repair": ("加装电梯的协调经验", "党员带头做通低层住户工作，争取补贴资金，完成老旧小区加装电梯。"),
    "youth": ("青年志愿者参与社区治理", "组织大学生志愿者参与社区环境整治和垃圾分类督导。"),
}
# query: the cases a reader would want (labelled by hand)
QUERIES = {
    "垃圾分类": {"garbage", "youth"},
    "垃圾清运": {"garbage2"},
    "独居老人": {"elderly"},
    "老人助餐": {"elderly2"},
    "停车位": {"parking"},
    "党费": {"dues"},
    "理论学习": {"study"},
    "会议形式主义的教训": {"lesson_meeting"},
    "居民诉求": {"grid"},
    "志愿服务时长": {"volunteer"},
    "加装电梯": {"repair"},
    "青年党员": {"study"},
}


@pytest.fixture
def library(tree, officer):
    return {key: services.case_create(by=officer, org=tree["community"], title=t, practice=p)
            for key, (t, p) in CASES.items()}


def test_tokens_are_words_not_characters():
    assert index_tokens("垃圾分类积分兑换").split() == ["垃圾", "分类", "积分", "兑换"]
    # Search mode adds the sub-words of long words.
    assert {"中华", "人民", "共和国", "中华人民共和国"} <= set(index_tokens("中华人民共和国").split())
    assert query_tokens("的 了，垃圾分类！") == ["垃圾", "分类"]


def test_search_quality_precision_and_recall(officer, library):
    by_id = {c.pk: key for key, c in library.items()}
    precision, recall = [], []
    for query, relevant in QUERIES.items():
        got = [by_id[c.pk] for c in selectors.case_search(officer, query)]
        top = got[:3]
        precision.append(sum(k in relevant for k in top) / min(3, max(len(top), 1)) if top else 0.0)
        recall.append(sum(k in relevant for k in got[:10]) / len(relevant))
        assert got and got[0] in relevant, (query, got)  # the best hit is relevant
    mean_p, mean_r = sum(precision) / len(precision), sum(recall) / len(recall)
    assert mean_r == 1.0, recall
    assert mean_p >= 0.6, precision


def test_search_is_scoped(tree, officer, secretary_a, secretary_b):
    services.case_create(by=officer, org=tree["branch_a"], title="一支部垃圾分类", practice="垃圾分类做法")
    assert [c.title for c in selectors.case_search(secretary_a, "垃圾分类")] == ["一支部垃圾分类"]
    assert list(selectors.case_search(secretary_b, "垃圾分类")) == []


def test_search_after_update_and_nothing_for_noise(tree, officer, library):
    assert list(selectors.case_search(officer, "，。！")) == []
    assert list(selectors.case_search(officer, "量子计算")) == []
