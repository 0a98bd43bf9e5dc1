"""What refers to a record: the check before marking it entered in error.

Every reverse relation in every installed app is asked, hidden ones included,
so a feature added later blocks the mark without being listed anywhere.
"""

import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

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


# --- The texts the rules rest on (issue 15) ----------------------------------------------
# Quoted in their own words in data/regulations.toml (data, not interface text); the tests type their
# fixtures from these, never from the code.
# ARTICLES: {key: document, article and what it says}. Each rule in code names its key here
# (`ARTICLES["..."]`), so a reader finds the text it follows; the settings pages show the article
# next to a value an administrator may change (recruitment, roster, dues, membership status, transfers).
# REGULATIONS: {area: [(document and article, what it says, where the rule lives)]} (elections,
# committees, terms, the five-star quota).
REGULATIONS_FILE = Path(__file__).resolve().parent / "data" / "regulations.toml"


def _load_regulations(path: Path = REGULATIONS_FILE):
    with path.open("rb") as file:
        data = tomllib.load(file)
    articles = dict(data["articles"])
    regulations = {area: [(row["document"], row["text"], row["rule"]) for row in rows]
                   for area, rows in data["regulations"].items()}
    return articles, regulations


ARTICLES: dict[str, str]
REGULATIONS: dict[str, list[tuple[str, str, str]]]
ARTICLES, REGULATIONS = _load_regulations()
