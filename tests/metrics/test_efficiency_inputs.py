"""The default efficiency model puts people, their time and money in: at least two inputs, each explained."""

import datetime as dt

import pytest

from dangjian.core import metrics
from dangjian.evaluation.models import Efficiency
from dangjian.evaluation.services import period_for
from tests.evaluation.conftest import Q3, at, meeting, members
from tests.factories import make_org


def test_default_model_has_money_and_time_inputs_explained(db):
    period = period_for(kind="quarter", start=Q3)
    assert len(period.eff_inputs) >= 2
    assert {"volunteer_hours", "project_spending", "activity_funds_spent"} <= set(period.eff_inputs)
    for code in period.eff_inputs:
        m = metrics.get(code)
        assert m.kind in ("count", "sum") and str(m.description)  # a plain-language explanation, translated
    assert str(metrics.get("project_spending").unit) == str(metrics.get("activity_funds_spent").unit) == "元"


def test_an_input_nobody_recorded_is_left_out_with_a_note(tree, compute, officer):
    from dangjian.volunteering.models import Activity, SignUp

    c = make_org(parent=tree["community"], name="和平社区第三党支部", kind="branch", code="B003")
    for org, n, k, hours in ((tree["branch_a"], 2, 2, 4), (tree["branch_b"], 2, 1, 2), (c, 4, 2, 8)):
        people = members(org, n)
        for d in range(k):
            meeting(org, Q3 + dt.timedelta(days=3 + d), present=people)
        act = Activity.objects.create(org=org, title="清洁家园", starts_at=at(Q3 + dt.timedelta(days=9)),
                                      ends_at=at(Q3 + dt.timedelta(days=9), 12))
        SignUp.objects.create(activity=act, member=people[0], attended=True, hours=hours)
    period = period_for(kind="quarter", start=Q3)
    period.eff_outputs = ["meetings_held"]
    period.save()
    period = compute()
    rows = list(Efficiency.objects.filter(period=period))
    assert len(rows) == 3
    assert set(rows[0].inputs) == {"members_on_roll", "volunteer_hours"}  # no project spending recorded
    assert any("项目经费支出" in n or "Project spending" in n for n in period.weights["notes"])
    assert max(r.score for r in rows) == pytest.approx(1.0)
    # The period page says, in Chinese, what goes in and comes out, with the branch's own values.
    from tests.conftest import client_for

    page = client_for(officer).get(f"/evaluation/periods/{period.pk}/?org={c.pk}").content.decode()
    assert "效率分析的投入与产出" in page
    for name in ("在册党员数", "志愿服务时长", "项目经费支出", "活动经费支出", "召开会议次数"):
        assert name in page, name
