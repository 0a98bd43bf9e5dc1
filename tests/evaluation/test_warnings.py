"""Warning rules at their boundaries, judged as of a given day."""

import datetime as dt

from dangjian.core import rules
from dangjian.evaluation.models import WarningConfig
from tests.evaluation.conftest import appeal, due, meeting, members


def run(rule, as_of, period_start=dt.date(2026, 7, 1)):
    return rules.get(rule).evaluate(period_start=period_start, as_of=as_of, config=WarningConfig.current())


def test_appeal_overdue_from_the_day_after_its_deadline(tree):
    appeal(tree["community"], dt.date(2026, 7, 1), resolve_days=7)  # resolve by 8 July 10:00
    assert run("appeals_overdue", dt.date(2026, 7, 7)) == {}
    found = run("appeals_overdue", dt.date(2026, 7, 8))  # end of 8 July: past 10:00
    assert found[tree["community"].pk].count == 1


def test_appeal_resolved_by_the_day_is_not_overdue_then(tree):
    appeal(tree["community"], dt.date(2026, 7, 1), resolved=dt.date(2026, 7, 20), late=True)
    assert tree["community"].pk in run("appeals_overdue", dt.date(2026, 7, 19))
    assert run("appeals_overdue", dt.date(2026, 7, 20)) == {}


def test_three_overdue_appeals_are_serious(tree):
    for _ in range(2):
        appeal(tree["community"], dt.date(2026, 7, 1))
    assert run("appeals_overdue", dt.date(2026, 7, 10))[tree["community"].pk].severity == "warn"
    appeal(tree["community"], dt.date(2026, 7, 1))
    assert run("appeals_overdue", dt.date(2026, 7, 10))[tree["community"].pk].severity == "bad"


def test_term_warnings_before_and_after_the_end(tree):
    from dangjian.committees.models import Term

    Term.objects.create(org=tree["branch_a"], start=dt.date(2023, 9, 30), end=dt.date(2026, 9, 30),
                        elected_on=dt.date(2023, 9, 30), method="direct", eligible_voters=5, voters_present=5)
    assert run("term_expiring", dt.date(2026, 3, 29)) == {}  # more than 6 months before
    assert run("term_expiring", dt.date(2026, 3, 30))[tree["branch_a"].pk].severity == "warn"
    assert run("term_expiring", dt.date(2026, 8, 30))[tree["branch_a"].pk].severity == "bad"  # within a month
    assert "准备" in run("term_expiring", dt.date(2026, 9, 30))[tree["branch_a"].pk].detail
    assert "超期" in run("term_expiring", dt.date(2026, 10, 1))[tree["branch_a"].pk].detail


def test_six_month_rule_warns_at_five_months(tree):
    a = members(tree["branch_a"], 1, joined_on=dt.date(2020, 1, 1))
    meeting(tree["branch_a"], dt.date(2026, 2, 10), present=a)
    assert run("six_month_near", dt.date(2026, 7, 9)) == {}
    found = run("six_month_near", dt.date(2026, 7, 10))
    assert found[tree["branch_a"].pk].severity == "warn"
    assert run("six_month_near", dt.date(2026, 8, 10))[tree["branch_a"].pk].severity == "bad"


def test_dues_arrears_at_the_warning_months(tree):
    from dangjian.dues.services import dues_rules

    warn = dues_rules().warn_months
    (m,) = members(tree["branch_a"], 1)
    for k in range(warn):
        due(m, dt.date(2026, 1 + k, 1))
    as_of_short = dt.date(2026, warn, 28)  # the last unpaid month has not ended yet
    assert run("dues_arrears", as_of_short) == {}
    found = run("dues_arrears", dt.date(2026, warn + 1, 1))
    assert found[tree["branch_a"].pk].count == 1


def test_low_satisfaction_needs_enough_ratings(tree):
    c = tree["community"]
    appeal(c, dt.date(2026, 7, 1), resolved=dt.date(2026, 7, 2), rating="dissatisfied")
    appeal(c, dt.date(2026, 7, 1), resolved=dt.date(2026, 7, 2), rating="dissatisfied")
    assert run("low_satisfaction", dt.date(2026, 9, 30)) == {}  # 2 ratings < 3
    for _ in range(3):
        appeal(c, dt.date(2026, 7, 1), resolved=dt.date(2026, 7, 2), rating="satisfied")
    found = run("low_satisfaction", dt.date(2026, 9, 30))  # 3 of 5 = 60% < 80%
    assert found[c.pk].severity == "warn"
    appeal(c, dt.date(2026, 7, 1), resolved=dt.date(2026, 7, 2), rating="satisfied")  # 4 of 6 = 66.7%
    appeal(c, dt.date(2026, 7, 1), resolved=dt.date(2026, 7, 2), rating="satisfied")  # 5 of 7
    appeal(c, dt.date(2026, 7, 1), resolved=dt.date(2026, 7, 2), rating="satisfied")  # 6 of 8 = 75%
    appeal(c, dt.date(2026, 7, 1), resolved=dt.date(2026, 7, 2), rating="satisfied")  # 7 of 9
    appeal(c, dt.date(2026, 7, 1), resolved=dt.date(2026, 7, 2), rating="satisfied")  # 8 of 10 = 80%: not below
    assert run("low_satisfaction", dt.date(2026, 9, 30)) == {}


def test_meetings_overdue_only_after_the_slot_ends(tree):
    members(tree["branch_a"], 2)
    # July's theme day is due by 31 July: not overdue on 31 July, overdue on 1 August.
    on_31 = run("meetings_overdue", dt.date(2026, 7, 31))
    assert tree["branch_a"].pk not in on_31
    on_1 = run("meetings_overdue", dt.date(2026, 8, 1))
    assert on_1[tree["branch_a"].pk].count >= 1


def test_project_overdue(tree):
    from dangjian.projects.models import Project

    Project.objects.create(org=tree["branch_a"], title="红色物业", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 6, 30),
                           status="executing")
    assert run("project_overdue", dt.date(2026, 6, 30)) == {}
    assert run("project_overdue", dt.date(2026, 7, 1))[tree["branch_a"].pk].severity == "warn"
    assert run("project_overdue", dt.date(2026, 7, 31))[tree["branch_a"].pk].severity == "bad"
