import datetime as dt

import pytest

from tests.factories import MemberFactory


@pytest.fixture
def crew(tree, member_a):
    """Branch A's roll: member_a plus four more (five in all)."""
    return [member_a] + [MemberFactory(org=tree["branch_a"]) for _ in range(4)]


def term_args(org, crew, **extra):
    args = {
        "org": org, "start": dt.date(2023, 6, 1), "elected_on": dt.date(2023, 6, 1), "method": "competitive",
        "eligible_voters": 5, "voters_present": 5, "candidates": 4,
        "seats": [{"member": crew[0], "position": "secretary", "duty": "", "votes": 5}],
    }
    args.update(extra)
    return args
