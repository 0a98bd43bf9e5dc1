"""The arrears level at every streak length around both thresholds (mutation testing found the
rule tested only at the thresholds themselves: `>=` turned into `is` or `<` survived)."""

from types import SimpleNamespace

import pytest

from dangjian.dues.rules import arrears_level

# 《中国共产党章程》第九条: six consecutive months without paying dues without good reason count as
# leaving the Party; the platform warns from 3 months and alarms from 5 (DuesRules' defaults),
# a month before that line. The thresholds are the rule's parameters, so other values are tried too.
DEFAULT = SimpleNamespace(warn_months=3, alarm_months=5)
WIDE = SimpleNamespace(warn_months=2, alarm_months=6)


@pytest.mark.parametrize(("rules", "streak", "level"), [
    (DEFAULT, 0, ""), (DEFAULT, 1, ""), (DEFAULT, 2, ""), (DEFAULT, 3, "warn"), (DEFAULT, 4, "warn"),
    (DEFAULT, 5, "bad"), (DEFAULT, 6, "bad"), (DEFAULT, 12, "bad"),
    (WIDE, 1, ""), (WIDE, 2, "warn"), (WIDE, 3, "warn"), (WIDE, 5, "warn"), (WIDE, 6, "bad"),
])
def test_arrears_level_between_and_beyond_the_thresholds(rules, streak, level):
    assert arrears_level(streak, rules) == level
