"""Committee meetings recorded before attendance followed the meeting type listed the whole branch (a
5-person 支委会 saved as 出席 45). Each row of a member not seated on the committee that day is kept, with
its recorded status, and marked not expected: the figures stop counting it, the record stays readable.

The committee on a day is the latest term begun by then, with its seats (committees' own rule,
`committees.selectors.committee_terms`, restated here over the historical models: a migration imports no
app code). A meeting of an organisation with no term on record by its date expected the whole roll: left
as it is. Reversible: the reverse marks every row expected again.
"""

from django.db import migrations
from django.utils import timezone

BATCH = 500


def mark_outside_committee(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Attendance = apps.get_model("meetings", "Attendance")
    Term = apps.get_model("committees", "Term")
    Seat = apps.get_model("committees", "Seat")
    meetings = list(Meeting.objects.filter(meeting_type="committee").values_list("pk", "org_id", "starts_at"))
    if not meetings:
        return
    org_ids = {org_id for _pk, org_id, _at in meetings}
    terms: dict[int, list[tuple]] = {}
    for term_id, org_id, start in (Term.objects.filter(org_id__in=org_ids).order_by("org_id", "-start", "-id")
                                   .values_list("pk", "org_id", "start")):
        terms.setdefault(org_id, []).append((start, term_id))
    seats: dict[int, set[int]] = {}
    for term_id, member_id in Seat.objects.filter(term__org_id__in=org_ids).values_list("term_id", "member_id"):
        seats.setdefault(term_id, set()).add(member_id)
    outside: list[int] = []
    for pk, org_id, starts_at in meetings:
        on = timezone.localdate(starts_at)
        term_id = next((t for start, t in terms.get(org_id, ()) if start <= on), None)
        if term_id is None:
            continue  # no committee on record yet: the whole roll was expected
        seated = seats.get(term_id, set())
        outside.extend(Attendance.objects.filter(meeting_id=pk, expected=True).exclude(member_id__in=seated)
                       .values_list("pk", flat=True))
    for i in range(0, len(outside), BATCH):
        Attendance.objects.filter(pk__in=outside[i:i + BATCH]).update(expected=False)


def mark_all_expected(apps, schema_editor):
    apps.get_model("meetings", "Attendance").objects.filter(expected=False).update(expected=True)


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0005_attendance_expected"),
        ("committees", "0005_election_candidates_and_size_rules"),
    ]

    operations = [migrations.RunPython(mark_outside_committee, mark_all_expected)]
