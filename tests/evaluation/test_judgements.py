"""AHP judgements are stored with the codes of their rows: a catalogue change never moves a judgement
onto another indicator (reordered, retired, added), and old positional matrices are converted."""

import importlib

import numpy as np
import pytest
from django.apps import apps
from django.urls import reverse

from dangjian.evaluation import indices
from dangjian.evaluation.models import Indicator, Period
from tests.evaluation.conftest import Q3, meeting, members

DIMS = ["cohesion", "influence", "capacity"]
COHESION = ["meeting_attendance_rate", "dues_on_time_rate", "appraisal_good_rate", "volunteer_hours_per_member"]
# The first cohesion indicator matters most: 5 against each of the others (consistent, CR = 0).
FIRST_FIRST = {"j-cohesion-0-1": "5", "j-cohesion-0-2": "5", "j-cohesion-0-3": "5"}


def _cols(codes):
    return [indices.Column(c, "cohesion", True, True) for c in codes]


def test_weights_follow_the_codes_not_the_positions():
    stored = {"cohesion": indices.judgement(["a", "b", "c"], [[1, 5, 5], [1 / 5, 1, 1], [1 / 5, 1, 1]])}
    w = indices.final_weights("ahp", _cols(["c", "b", "a"]), DIMS, stored, np.ones((3, 3)))
    assert w["a"] == pytest.approx(5 / 7) and w["c"] == pytest.approx(1 / 7)


def test_an_added_indicator_means_equal_weights_and_a_note_a_dropped_one_keeps_the_rest():
    stored = {"cohesion": indices.judgement(["a", "b", "c"], [[1, 5, 5], [1 / 5, 1, 1], [1 / 5, 1, 1]])}
    notes = []
    w = indices.final_weights("ahp", _cols(["a", "b", "new"]), DIMS, stored, np.ones((3, 3)), notes, {"new": "新指标"})
    assert w == pytest.approx({"a": 1 / 3, "b": 1 / 3, "new": 1 / 3})
    assert len(notes) == 1 and "新指标" in notes[0]
    notes = []
    w = indices.final_weights("ahp", _cols(["b", "a"]), DIMS, stored, np.ones((3, 2)), notes)
    assert w == pytest.approx({"a": 5 / 6, "b": 1 / 6})
    assert len(notes) == 1 and "c" in notes[0]
    # A positional matrix (no codes) is never applied by position.
    notes = []
    w = indices.final_weights("ahp", _cols(["a", "b"]), DIMS, {"cohesion": [[1, 5], [1 / 5, 1]]}, np.ones((3, 2)), notes)
    assert w == pytest.approx({"a": 0.5, "b": 0.5}) and notes


@pytest.fixture
def period(tree, compute):
    a = members(tree["branch_a"], 3)
    meeting(tree["branch_a"], Q3.replace(day=10), present=a[:2], absent=a[2:])
    return compute()


def _configure(client, period, extra):
    data = {"weighting": "ahp", "aggregation": "weighted_sum", "eff_inputs": ["members_on_roll"],
            "eff_outputs": ["meetings_held"], "eff_rts": "vrs", **extra}
    return client.post(reverse("evaluation:config", args=[period.pk]), data)


def test_reordering_the_catalogue_keeps_each_judgement_on_its_indicator(as_officer, period, compute):
    assert _configure(as_officer, period, FIRST_FIRST).status_code == 302
    period.refresh_from_db()
    assert period.judgements["cohesion"]["order"] == COHESION
    # An administrator moves the favoured indicator to the end of the catalogue.
    Indicator.objects.filter(code="meeting_attendance_rate").update(order=999)
    period = compute(recompute=True)
    w = period.weights["indicators"]
    assert w["meeting_attendance_rate"] == pytest.approx(5 * w["volunteer_hours_per_member"])
    assert w["volunteer_hours_per_member"] == pytest.approx(w["dues_on_time_rate"])
    assert period.weights["notes"] == []
    # The form shows the saved judgements on the same pairs, now in the new order (attendance last).
    page = as_officer.get(reverse("evaluation:config", args=[period.pk])).content.decode()
    assert 'id="j-cohesion-0-3" name="j-cohesion-0-3" value="1/5"' in page


def test_retiring_one_and_adding_another_does_not_pass_its_weight_on(as_officer, period, compute):
    assert _configure(as_officer, period, FIRST_FIRST).status_code == 302
    url = reverse("evaluation:indicators")
    # Same count as before: a positional matrix would hand the attendance rate's 5s to the newcomer.
    as_officer.post(url, {"action": "retire", "indicator": Indicator.objects.get(code="meeting_attendance_rate").pk})
    assert as_officer.post(url, {"code": "members_count", "name": "在册党员数", "dimension": "cohesion",
                                 "metric_code": "members_on_roll", "direction": "higher", "unit": "人",
                                 "explanation": "在册党员人数"}).status_code == 302
    period = compute(recompute=True)
    w = period.weights["indicators"]
    cohesion = [w[c] for c in ["dues_on_time_rate", "appraisal_good_rate", "volunteer_hours_per_member", "members_count"]]
    assert cohesion == pytest.approx([cohesion[0]] * 4)
    assert any("在册党员数" in note for note in period.weights["notes"])
    page = as_officer.get(reverse("evaluation:period", args=[period.pk])).content.decode()
    assert "在册党员数" in page and "请重新填写判断矩阵" in page
    assert "请重新填写判断矩阵" in as_officer.get(reverse("evaluation:config", args=[period.pk])).content.decode()


def test_migration_records_the_catalogue_order_of_old_matrices(tree):
    migration = importlib.import_module("dangjian.evaluation.migrations.0003_ahp_judgements_keyed_by_indicator_code")
    dims = [[1, 2, 1 / 2], [1 / 2, 1, 1 / 3], [2, 3, 1]]
    cohesion = [[1, 5, 5, 5], [1 / 5, 1, 1, 1], [1 / 5, 1, 1, 1], [1 / 5, 1, 1, 1]]
    stale = [[1, 3], [1 / 3, 1]]  # saved when influence had two indicators: cannot be placed
    p = Period.objects.create(kind="quarter", start=Q3, end=Q3.replace(month=9, day=30), weighting="ahp",
                              judgements={"dimensions": dims, "cohesion": cohesion, "influence": stale})
    empty = Period.objects.create(kind="month", start=Q3, end=Q3.replace(day=31))
    migration.keyed(apps, None)
    p.refresh_from_db()
    assert p.judgements["dimensions"] == {"order": DIMS, "matrix": dims}
    assert p.judgements["cohesion"] == {"order": COHESION, "matrix": cohesion}
    assert p.judgements["influence"] == {"order": [], "matrix": stale}
    empty.refresh_from_db()
    assert empty.judgements == {}
    migration.keyed(apps, None)  # idempotent
    p.refresh_from_db()
    assert p.judgements["cohesion"]["order"] == COHESION
    migration.positional(apps, None)
    p.refresh_from_db()
    assert p.judgements == {"dimensions": dims, "cohesion": cohesion, "influence": stale}
