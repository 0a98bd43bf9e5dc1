"""The two counts that decide a grassroots election (《中国共产党基层组织选举工作条例》, 2020).

- The election is valid only when 有选举权的到会人数超过应到会人数的五分之四:
  strictly more than four fifths of those entitled to attend.
- A candidate is elected only with 被选举人获得的赞成票超过实到会有选举权的人数的一半:
  strictly more than half of the voters present. Exactly half is not
  elected, even as the highest count (so answers the Shenzhen government's
  Party-building Q&A, "支部选举时候选人赞成票数为实到会党员人数的半数能否当选", 2018).

Both are compared in whole numbers so no rounding decides a boundary. Sources
and what was not verified (article numbers): docs/corrections.md, "Committees".
"""


def quorum_met(*, eligible: int, present: int) -> bool:
    """有选举权的到会人数超过应到会人数的五分之四：exactly 4/5 is not enough."""
    return present * 5 > eligible * 4


def elected(*, votes: int, present: int) -> bool:
    """被选举人获得的赞成票超过实到会有选举权的人数的一半：exactly half is not elected."""
    return votes * 2 > present


# Who may vote and be elected, how many candidates, how large a committee and a
# branch, and how long a term: the articles are quoted in core/references.py
# (REGULATIONS, "committees"). Pure integer arithmetic: no rounding decides a boundary.

def min_candidates(*, seats: int, surplus_percent: int) -> int:
    """差额选举: candidates at least `surplus_percent`% more than seats, the surplus rounded up (进一法).

    3 seats at 20% need 4 candidates (0.6 → 1 more); 5 need 6; 6 need 8 (1.2 → 2 more).
    """
    return seats + -(-seats * surplus_percent // 100)


def committee_size_error(*, full_members: int, seats: int, threshold: int, smallest: int, largest: int) -> str:
    """"" when a branch's elected seats fit its full members (支部工作条例 第八条), else a code.

    7+ full members: a committee of `smallest`..`largest` (3 to 5, at most 7);
    fewer: one secretary and at most one deputy (two seats).
    """
    if full_members >= threshold:
        if seats < smallest:
            return "too_small"
        if seats > largest:
            return "too_large"
        return ""
    return "no_committee" if seats > 2 else ""


def branch_size_flag(*, full_members: int, roll: int, smallest: int, largest: int) -> str:
    """A branch with fewer than `smallest` full members or more than `largest` on its roll (支部工作条例 第四条)."""
    if full_members < smallest:
        return "too_few_full"
    if roll > largest:
        return "too_many"
    return ""
