"""What refers to a record: the check before marking it entered in error.

Every reverse relation in every installed app is asked, hidden ones included,
so a feature added later blocks the mark without being listed anywhere.
"""

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.utils.translation import ngettext

from dangjian.core.text import join_items


def references(
    instance: Model,
    *,
    owned: Collection[tuple[str, str]] = (),
    narrow: Mapping[str, Callable[[QuerySet], QuerySet]] | None = None,
) -> dict[str, int]:
    """{verbose name of what refers to the instance: how many rows}.

    owned: (model label, field name) pairs that belong to the record itself
    (its history, its parts) and do not count. narrow: {model label: filter}
    for relations where only some rows count.
    """
    found: dict[str, int] = {}
    for rel in type(instance)._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        model = rel.related_model
        label = model._meta.label
        if (label, rel.field.name) in owned:
            continue
        qs = model._base_manager.filter(**{rel.field.name: instance})
        if narrow and label in narrow:
            qs = narrow[label](qs)
        count = qs.count()
        if count:
            name = str(model._meta.verbose_name)
            found[name] = found.get(name, 0) + count
    return found


def references_text(found: Mapping[str, int]) -> str:
    """"月度党费（1 条）、参会情况（1 条）": what a refusal names."""
    return join_items(ngettext("%(name)s (%(n)d record)", "%(name)s (%(n)d records)", n) % {"name": name, "n": n}
                      for name, n in found.items())


# Records another app keeps open on an instance (a grid's open appeals): the
# owner of those records registers a query in its AppConfig.ready(), so the
# instance's app can show them and refuse to close it without importing them.
OpenRecords = Callable[..., QuerySet]  # (instance, user=None) -> queryset; scoped to the user when given
_open: dict[str, dict[str, OpenRecords]] = {}


def register_open(label: str, name: str, records: OpenRecords) -> None:
    """`records(instance, user=None)`: what of the app named `name` is still open on an instance of `label`."""
    _open.setdefault(label, {})[name] = records


def open_records(instance: Model, *, user=None) -> dict[str, QuerySet]:
    """{name: queryset} of the open records other apps registered for the instance's model."""
    return {name: records(instance, user=user) for name, records in _open.get(instance._meta.label, {}).items()}


# Work another app records about an instance (the cases from a member's 联户 households, a grid's handled cases):
# the owner registers a function in its AppConfig.ready(); the instance's page lists what comes back
# (partials/related_work.html) without importing the owner.
@dataclass(frozen=True)
class RelatedWork:
    title: str
    rows: list  # [(label, url, date, state)], newest first, at most a page
    total: int
    figures: list  # [(label, value text)]: the owner's own figures over all of them (e.g. its 三率)


Related = Callable[..., RelatedWork | None]  # (instance, user) -> RelatedWork, scoped to the user
_related: dict[str, dict[str, Related]] = {}


def register_related(label: str, name: str, work: Related) -> None:
    _related.setdefault(label, {})[name] = work


def related_work(instance: Model, *, user) -> list[RelatedWork]:
    found = (work(instance, user=user) for work in _related.get(instance._meta.label, {}).values())
    return [w for w in found if w is not None]


# --- Article citations behind the rules (issue 15) --------------------------------------
# {area: [(document and article, what it says, where the rule lives)]}. The quotations are
# the texts' own words; the tests type their fixtures from these, never from the code.
REGULATIONS: dict[str, list[tuple[str, str, str]]] = {
    # helper rulesb: elections, committees, terms, five-star quota
    "committees": [
        ("《中国共产党基层组织选举工作条例》(2020) 第五条",
         "正式党员有表决权、选举权、被选举权。……预备党员没有表决权、选举权和被选举权。",
         "committees.services._check_electors: members entitled to vote ≤ full members; no probationary seat"),
        ("《中国共产党基层组织选举工作条例》(2020) 差额选举",
         "候选人应多于应选人数的20%；候选人数 = 应选人数 + 应选人数×20%，非整数时采用进一法（article number "
         "not verified here; see docs/corrections.md, Committees）",
         "committees.rules.min_candidates; CommitteeRule.surplus_percent (20) and competitive_from_seats (3)"),
        ("中共中央办公厅《关于党的基层组织任期的意见》(2018) 一",
         "党的基层委员会每届任期一般为5年，党的总支部委员会、支部委员会每届任期一般为3年，其中，村和社区党的委员会、"
         "总支部委员会、支部委员会每届任期为5年。",
         "committees.services.term_years; CommitteeRule.community_branches_five_years"),
        ("《中国共产党支部工作条例（试行）》(2018) 第四条",
         "凡是有正式党员3人以上的，都应当成立党支部。党支部党员人数一般不超过50人。",
         "committees.rules.branch_size_flag; CommitteeRule.branch_min_full (3), branch_max (50)"),
        ("《中国共产党支部工作条例（试行）》(2018) 第八条",
         "有正式党员7人以上的党支部，应当设立党支部委员会。党支部委员会由3至5人组成，一般不超过7人。……正式党员"
         "不足7人的党支部，设1名书记，必要时可以设1名副书记。",
         "committees.rules.committee_size_error; CommitteeRule.committee_threshold (7), committee_min (3), "
         "committee_max (7)"),
    ],
    "evaluation": [
        ("星级评定（县级党组织星级化管理办法）",
         "五星级党组织不超过参评党组织的30%；取整方式文件未作规定",
         "evaluation.grading.cap_limit; GradingScheme.cap_rounding (half_up by default)"),
    ],
}

# --- Articles the rules rest on (issue 15: recruitment, roster, dues, membership status, transfers) ---
# Each rule in code names its key here (`ARTICLES["..."]`), so a reader finds the text it follows;
# the settings pages show the article next to a value an administrator may change.
ARTICLES: dict[str, str] = {}
ARTICLES.update({
    "recruit.vote": "《中国共产党发展党员工作细则》(2014) 第四章 (接收预备党员的支部大会): 有表决权的到会人数必须超过应到会有表决权人数的"
                    "半数; 赞成人数超过应到会有表决权的正式党员的半数, 才能通过; 因故不能到会的有表决权的党员, "
                    "在讨论前正式向党支部提出书面意见的, 应当统计在票数内",
    "recruit.probation": "《中国共产党章程》第七条; 《发展党员工作细则》第三十二条: 预备期为一年, 从支部大会通过之日算起; "
                         "需要继续考察和教育的, 可以延长一次预备期, 延长时间不能少于半年, 最长不超过一年; 转为正式党员、"
                         "延长预备期或取消预备党员资格, 应当经支部大会讨论通过和上级党组织批准",
    "recruit.cancel": "《中国共产党章程》第七条; 《发展党员工作细则》第三十二条: 不履行党员义务、不具备党员条件的, "
                      "应当取消其预备党员资格 (经支部大会讨论通过和上级党组织批准; 批准前本人仍参加组织生活、交纳党费)",
    "recruit.activist": "《发展党员工作细则》第三章 (入党积极分子的培养教育和考察): 党组织应当指定一至两名"
                        "正式党员作培养联系人; 党支部每半年对入党积极分子进行一次考察",
    "roster.join_age": "《中国共产党章程》第一条、《发展党员工作细则》第五条 (年满十八岁可以申请入党) 与第三章 "
                       "(入党积极分子经过一年以上培养教育和考察方可列为发展对象): 入党时年满十九岁左右",
    "roster.full_on": "《中国共产党章程》第七条: 党员的党龄从预备期满转为正式党员之日算起; 预备期一年, 可延长半年至一年",
    "dues.fixed": "《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号) 一、第六条: 农民党员每月交纳党费0.2元至1元; "
                  "学生党员、下岗失业的党员、依靠抚恤或救济生活的党员、领取当地最低生活保障金的党员, 每月交纳党费0.2元",
    "dues.annual_salary": "同上 第三条: 实行年薪制人员中的党员, 每月以当月实际领取的薪酬收入为计算基数, 参照第一条、第二条规定交纳党费",
    "dues.self_employed": "同上 第四条: 不按月取得收入的个体经营者等人员中的党员, 每月以个人上季度月平均纯收入为计算基数, "
                          "参照第一条、第二条规定交纳党费",
    "dues.reduction": "同上 第七条: 交纳党费确有困难的党员, 经党支部研究, 报上一级党委批准后, 可以少交或免交党费",
    "member.lapsed": "《中国共产党章程》第九条: 党员如果没有正当理由, 连续六个月不参加党的组织生活, 或不交纳党费, 或不做党所"
                     "分配的工作, 就被认为是自行脱党; 支部大会应当决定把这样的党员除名, 并报上级党组织批准",
    "member.unqualified": "中组部《关于加强党员经常性教育管理的意见》、民主评议党员: 对评为不合格的党员, 区别情况, "
                          "限期改正 (一般为半年至一年) 、劝其退党或除名 (党章第九条)",
    "transfer.letter": "中组部党员组织关系转接规定 (《中国共产党党员组织关系介绍信》): 介绍信注明有效期 (一般一个月, 最长不超过"
                       "三个月)、党费交到的月份; 党员应在有效期内到接收党组织报到, 逾期应说明理由",
    "secretary.duties": "《中国共产党支部工作条例(试行)》(2018) 第十九条: 党支部书记每年至少讲一次党课, 党委书记每年至少讲一次党课; "
                        "第二十一条: 谈心谈话, 党支部委员之间、委员和党员之间、党员和党员之间每年谈心谈话一般不少于1次",
})
