"""Writing the planned tree and invented members with bulk inserts.

Treebeard's add_child costs several queries per node; here paths, depth and
numchild are computed in the plan and the whole tree goes in with bulk_create.
Members are invented and written in batches, so memory stays bounded by the
batch size (plus the set of ID numbers already handed out, to keep them unique).
"""

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from faker import Faker

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
    *, members: int, seed: int, today: dt.date, log: Callable[[str], None], batch: int = 5000
) -> Built:
    """Write the demo tree and roster into an empty database; the caller holds the transaction."""
    started = time.monotonic()
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)

    root = plan_tree(members=members, rng=rng, today=today)
    nodes = list(root.walk())
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
    writer.flush()
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
    def __init__(self, *, tag_pk: dict[str, int], batch: int):
        self.tag_pk = tag_pk
        self.batch = batch
        self.pending: list[tuple[PlannedOrg, Invented]] = []
        self.written = 0

    def add(self, leaf: PlannedOrg, invented: Invented) -> None:
        self.pending.append((leaf, invented))
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        created = Member.objects.bulk_create([inv.member for _, inv in self.pending], batch_size=self.batch)
        Through = Member.tags.through
        links, history = [], []
        for (leaf, inv), member in zip(self.pending, created, strict=True):
            links.extend(Through(member_id=member.pk, tag_id=self.tag_pk[t]) for t in inv.tags)
            if inv.lost_on:
                history.append(StatusChange(
                    member_id=member.pk, from_status=Status.ACTIVE, to_status=Status.LOST_CONTACT,
                    changed_on=inv.lost_on, reason=LOST_CONTACT_REASON,
                ))
            elif len(leaf.candidates) < 4 and _fit_for_secretary(inv):
                leaf.candidates.append(member.pk)
        Through.objects.bulk_create(links, batch_size=self.batch)
        StatusChange.objects.bulk_create(history, batch_size=self.batch)
        self.written += len(self.pending)
        self.pending = []


def _fit_for_secretary(inv: Invented) -> bool:
    m = inv.member
    if m.category != "full" or m.status != Status.ACTIVE:
        return False
    top = 78 if m.employment == Employment.RETIRED else 62
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
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET secretary_id = %s WHERE id = %s", chosen)
