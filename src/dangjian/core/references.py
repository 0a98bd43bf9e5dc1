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
