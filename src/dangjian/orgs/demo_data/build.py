"""Writing the planned tree and invented members with bulk inserts.

Treebeard's add_child costs several queries per node; here paths, depth and
numchild are computed in the plan and the whole tree goes in with bulk_create.
Members are invented and written in batches (see _MemberWriter: COPY on PostgreSQL),
so memory stays bounded by the batch size (plus the set of ID numbers already
handed out, to keep them unique).
"""

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone
from faker import Faker

from dangjian.core import crypto
from dangjian.core.bulkload import load_rows
from dangjian.core.fields import EncryptedTextField
from dangjian.orgs.demo_data.people import _AREAS, TAG_NAMES, Invented, People
from dangjian.orgs.demo_data.plan import PlannedOrg, plan_tree
from dangjian.orgs.models import Employment, Member, Org, OrgKind, Status, StatusChange, Tag

LOST_CONTACT_REASON = "外出务工后长期未与党组织取得联系"


@dataclass
class Built:
    root: PlannedOrg
    orgs: int
    members: int


def build_demo(
    *, members: int, seed: int, today: dt.date, log: Callable[[str], None], batch: int = 5000,
    member_share: float = 1.0,
) -> Built:
    """Write the demo tree and roster into an empty database; the caller holds the transaction.

    `member_share` below 1 keeps the tree planned for `members` but writes only that share of
    each leaf's members (at least 3, a branch's minimum): a province's organisations without
    building its millions of members (the scale benchmarks).
    """
    started = time.monotonic()
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)

    root = plan_tree(members=members, rng=rng, today=today)
    nodes = list(root.walk())
    if member_share < 1:
        for n in nodes:
            if n.is_leaf:
                n.size = max(3, round(n.size * member_share))
    _write_orgs(nodes)
    log(f"  {len(nodes):,} organisations ({time.monotonic() - started:.1f} s)")

    tag_pk = {name: Tag.objects.get_or_create(name=name)[0].pk for name in TAG_NAMES}
    people = People(rng=rng, today=today, address_pool=[])
    writer = _MemberWriter(tag_pk=tag_pk, batch=batch)
    next_report = max(batch, members // 10)
    for street in (n for n in nodes if n.kind == OrgKind.STREET_COMMITTEE):
        people.set_locality(rng.choice(_AREAS))
        people.address_pool = sorted({fake.city_name() + rng.choice(("路", "街", "大道")) for _ in range(40)})
        for leaf in street.walk():
            for _ in range(leaf.size if leaf.is_leaf else 0):
                writer.add(leaf, people.invent(org_id=leaf.pk, profile=leaf.profile))
                if writer.written + len(writer.pending) >= next_report:
                    writer.flush()
                    log(f"  {writer.written:,} members ({time.monotonic() - started:.1f} s)")
                    next_report += max(batch, members // 10)
    writer.close()
    _choose_secretaries(nodes)
    log(f"  {writer.written:,} members, secretaries chosen ({time.monotonic() - started:.1f} s)")
    return Built(root=root, orgs=len(nodes), members=writer.written)


def _write_orgs(nodes: list[PlannedOrg], batch: int = 2000) -> None:
    rows = [
        Org(
            path=n.path, depth=n.depth, numchild=len(n.children), name=n.name, code=n.code, kind=n.kind,
            founded_on=n.founded_on, term_start=n.term_start, term_end=n.term_end,
        )
        for n in nodes
    ]
    Org.objects.bulk_create(rows, batch_size=batch)
    if any(r.pk is None for r in rows):  # a backend that cannot return ids from bulk inserts
        pks = dict(Org.objects.filter(path__in=[n.path for n in nodes]).values_list("path", "pk"))
        for r in rows:
            r.pk = pks[r.path]
    for n, r in zip(nodes, rows, strict=True):
        n.pk = r.pk


class _MemberWriter:
    """Members, their tags and status history in batches of plain INSERTs.

    bulk_create spends most of its time preparing each field of each object; the
    demo knows its values, so it adapts them once per column (dates for the
    backend, identifiers encrypted with core.crypto) and assigns the ids itself:
    the tables are empty when the demo is built. Sequences are reset at the end.
    """

    COLUMNS = (
        "id", "created_at", "updated_at", "org_id", "name", "gender", "ethnicity", "birth_date",
        "id_number", "id_number_index", "phone", "phone_index", "education", "joined_on",
        "full_member_on", "category", "status", "employment", "job", "address",
    )

    def __init__(self, *, tag_pk: dict[str, int], batch: int):
        self.tag_pk = tag_pk
        self.batch = batch
        self.pending: list[tuple[PlannedOrg, Invented]] = []
        self.written = 0
        self.now = timezone.now()
        self.through = Member.tags.through
        self.next_id = {m: (m.objects.aggregate(top=Max("id"))["top"] or 0) + 1
                        for m in (Member, StatusChange, self.through)}
        self.member_sql, self.member_adapt = _insert(Member, self.COLUMNS)
        self.link_sql, _ = _insert(self.through, ("id", "member_id", "tag_id"))
        self.history_sql, self.history_adapt = _insert(
            StatusChange, ("id", "member_id", "from_status", "to_status", "changed_on", "reason", "recorded_at")
        )

    def add(self, leaf: PlannedOrg, invented: Invented) -> None:
        self.pending.append((leaf, invented))
        if len(self.pending) >= self.batch:
            self.flush()

    def _ids(self, model, count: int) -> range:
        first = self.next_id[model]
        self.next_id[model] = first + count
        return range(first, first + count)

    def flush(self) -> None:
        if not self.pending:
            return
        members, links, history = [], [], []
        for (leaf, inv), pk in zip(self.pending, self._ids(Member, len(self.pending)), strict=True):
            values = {**inv.member, "id": pk, "created_at": self.now, "updated_at": self.now}
            members.append(tuple(adapt(values[c]) for c, adapt in zip(self.COLUMNS, self.member_adapt, strict=True)))
            links.extend((pk, self.tag_pk[t]) for t in inv.tags)
            if inv.lost_on:
                history.append((pk, Status.ACTIVE.value, Status.LOST_CONTACT.value, inv.lost_on,
                                LOST_CONTACT_REASON, self.now))
            elif len(leaf.candidates) < 4 and _fit_for_secretary(inv):
                leaf.candidates.append(pk)
        load_rows(*self.member_sql, members)
        load_rows(*self.link_sql, (
            (pk, *link) for pk, link in zip(self._ids(self.through, len(links)), links, strict=True)
        ))
        load_rows(*self.history_sql, (
            tuple(adapt(v) for v, adapt in zip((pk, *row), self.history_adapt, strict=True))
            for pk, row in zip(self._ids(StatusChange, len(history)), history, strict=True)
        ))
        self.written += len(self.pending)
        self.pending = []

    def close(self) -> None:
        self.flush()
        # Ids were assigned here, not by the database: move PostgreSQL's sequences past them.
        statements = connection.ops.sequence_reset_sql(no_style(), [Member, StatusChange, self.through])
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _insert(model, columns) -> tuple[tuple[str, list[str]], list[Callable]]:
    """The table and columns to load (core.bulkload: COPY on PostgreSQL) and, per column, how to
    adapt a Python value."""
    fields = [model._meta.get_field(c.removesuffix("_id")) if c != "id" else model._meta.pk for c in columns]
    return (model._meta.db_table, [f.column for f in fields]), [_adapter(f) for f in fields]


def _adapter(field) -> Callable:
    if isinstance(field, EncryptedTextField):
        return lambda v: crypto.encrypt(v) if v else v
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return _same


def _same(value):
    return value


def _fit_for_secretary(inv: Invented) -> bool:
    m = inv.member
    if m["category"] != "full" or m["status"] != Status.ACTIVE:
        return False
    top = 78 if m["employment"] == Employment.RETIRED else 62
    return 28 <= inv.age <= top


def _choose_secretaries(nodes: list[PlannedOrg]) -> None:
    """Bottom-up: each leaf takes one of its own members, each committee one from its subtree
    (from a unit like its own where possible); nobody is secretary twice."""
    chosen: list[tuple[int, int]] = []
    for node in sorted(nodes, key=lambda n: -n.depth):
        leaves = [leaf for leaf in node.walk() if leaf.is_leaf] if not node.is_leaf else [node]
        preferred = [leaf for leaf in leaves if leaf.unit == node.unit] + leaves
        source = next((leaf for leaf in preferred if leaf.candidates), None)
        if source is not None:
            chosen.append((source.candidates.pop(0), node.pk))
    table = connection.ops.quote_name(Org._meta.db_table)
    if connection.vendor == "postgresql":  # one UPDATE from a copied temporary table, not one per org
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE demo_secretary (member_id bigint, org_id bigint) ON COMMIT DROP")
            load_rows("demo_secretary", ["member_id", "org_id"], chosen)
            cursor.execute(f"UPDATE {table} o SET secretary_id = s.member_id FROM demo_secretary s "
                           "WHERE o.id = s.org_id")
            cursor.execute("DROP TABLE demo_secretary")  # a second build in the same transaction makes its own
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET secretary_id = %s WHERE id = %s", chosen)
