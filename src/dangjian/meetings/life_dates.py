"""The stored last organisational life of each member (LastLife), kept in step with attendance.

The six-month rule (党章第九条, core.references.ARTICLES["member.lapsed"]) counts from a member's last held
meeting attended or excused from. Searching every member's attendance for it cost a second at 100,000 members;
LastLife keeps that date, and every meetings service that changes attendance, a meeting's state or a held
meeting's date calls `refresh` with the members concerned. `drift` recomputes the whole table from attendance
and says which rows differ (`manage.py life_dates`, `--fix` to repair).
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Max

from dangjian.meetings.models import Attendance, LastLife, Meeting

# Attendance that keeps a member's organisational life going: being there, or being excused with a reason.
# The same tuple as selectors.ACTIVE_ATTENDANCE (which imports it from here).
ACTIVE_ATTENDANCE = (Attendance.Status.PRESENT, Attendance.Status.LEAVE)
CHUNK = 5000


def _life(member_ids: list[int] | None = None):
    qs = Attendance.objects.filter(status__in=ACTIVE_ATTENDANCE, meeting__state=Meeting.State.HELD, expected=True)
    if member_ids is not None:
        qs = qs.filter(member_id__in=member_ids)
    return qs.values("member_id").annotate(last=Max("meeting__starts_at")).values_list("member_id", "last")


def computed(member_ids: list[int] | None = None) -> dict[int, dt.datetime]:
    """{member id: start of the last held meeting attended or excused from}, from attendance itself."""
    if member_ids is None:
        return dict(_life())
    out: dict[int, dt.datetime] = {}
    for i in range(0, len(member_ids), CHUNK):
        out.update(_life(member_ids[i:i + CHUNK]))
    return out


def stored(member_ids: list[int] | None = None) -> dict[int, dt.datetime]:
    qs = LastLife.objects.all()
    if member_ids is None:
        return dict(qs.values_list("member_id", "last_at"))
    out: dict[int, dt.datetime] = {}
    for i in range(0, len(member_ids), CHUNK):
        out.update(qs.filter(member_id__in=member_ids[i:i + CHUNK]).values_list("member_id", "last_at"))
    return out


def _write(last: dict[int, dt.datetime], ids: Iterable[int]) -> None:
    gone = [i for i in ids if i not in last]
    for i in range(0, len(gone), CHUNK):
        LastLife.objects.filter(member_id__in=gone[i:i + CHUNK]).delete()
    LastLife.objects.bulk_create(
        [LastLife(member_id=m, last_at=at) for m, at in last.items()], batch_size=2000,
        update_conflicts=True, unique_fields=["member"], update_fields=["last_at"],
    )


def refresh(member_ids: Iterable[int]) -> None:
    """Recompute the stored date of these members from their attendance (call inside the writing transaction)."""
    ids = sorted(set(member_ids))
    if ids:
        _write(computed(ids), ids)


def refresh_meeting(meeting: Meeting, also: Iterable[int] = ()) -> None:
    """After a change to a meeting (its state, date or attendance): its attendees, and `also` (those removed)."""
    refresh({*Attendance.objects.filter(meeting=meeting).values_list("member_id", flat=True), *also})


def drift() -> dict[int, tuple[dt.datetime | None, dt.datetime | None]]:
    """{member id: (stored, computed)} for every member whose stored date is not the recomputed one."""
    have, want = stored(), computed()
    return {m: (have.get(m), want.get(m)) for m in have.keys() | want.keys() if have.get(m) != want.get(m)}


def rebuild() -> int:
    """Recompute every row (the data migration's and `life_dates --fix`'s work); returns the rows kept."""
    want = computed()
    _write(want, list(set(stored()) - set(want)))
    return len(want)
