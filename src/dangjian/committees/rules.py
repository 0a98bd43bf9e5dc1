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
