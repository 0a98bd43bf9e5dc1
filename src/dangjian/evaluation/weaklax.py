"""软弱涣散: the rule, read in one screen.

- core.references.ARTICLES["weak.situations"]: the organisation department's situations (WeakSituation).
- ARTICLES["weak.decision"]: the superior committee decides (党委研究确定); an index or a count of warnings
  only proposes a candidate. The decision opens a rectification plan (整顿方案) with a leader in charge
  (包联领导), a deadline and measures; the superior accepts it (验收) and then decides whether it is
  transformed (转化, 摘帽) or not.
- ARTICLES["weak.share"]: the share a committee names a year, a setting (WeakLaxRule.share_max, 10 % by
  default), rounded up: a committee over a handful of organisations may still name one.

The plan's state machine (each arrow one service in `weaklax_services`, each refusal a Chinese message):

    rectifying --submit--> submitted --accept--> accepted --lift--> lifted
        ^                      |                    |
        +------- fail ---------+                    +--keep--> not_lifted
"""

from django.utils.translation import gettext_lazy as _

from dangjian.evaluation.grading import cap_limit
from dangjian.evaluation.models import WeakSituation, WeakState

# {action: (states it starts from, state it leads to)}
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((WeakState.RECTIFYING,), WeakState.SUBMITTED),
    "accept": ((WeakState.SUBMITTED,), WeakState.ACCEPTED),
    "fail": ((WeakState.SUBMITTED,), WeakState.RECTIFYING),
    "lift": ((WeakState.ACCEPTED,), WeakState.LIFTED),
    "keep": ((WeakState.ACCEPTED,), WeakState.NOT_LIFTED),
}
OPEN_STATES = (WeakState.RECTIFYING, WeakState.SUBMITTED, WeakState.ACCEPTED)
# Progress notes are written while the work goes on.
NOTE_STATES = (WeakState.RECTIFYING, WeakState.SUBMITTED)

# What a registered warning rule suggests (codes of core.rules, owned by their apps; nothing is imported).
SUGGESTS: dict[str, tuple[str, ...]] = {
    "meetings_overdue": (WeakSituation.NO_LIFE,),
    "six_month_near": (WeakSituation.MEMBERS,),
    "dues_arrears": (WeakSituation.MEMBERS,),
    "term_expiring": (WeakSituation.VACANT,),
    "appeals_overdue": (WeakSituation.PETITIONS, WeakSituation.POOR_SERVICE),
    "low_satisfaction": (WeakSituation.POOR_SERVICE,),
    "project_overdue": (WeakSituation.DUTY,),
}

SHARE_ROUNDING = "ceil"


def share_limit(share: float, base: int) -> int:
    """How many of `base` organisations a committee may name in a year (rounded up, ARTICLES["weak.share"])."""
    return cap_limit(share, base, SHARE_ROUNDING)


def allowed(action: str, state: str) -> bool:
    return state in TRANSITIONS[action][0]


def situation_labels(codes) -> list[str]:
    labels = dict(WeakSituation.choices)
    return [str(labels.get(c, c)) for c in codes]


REFUSALS = {
    "submit": _("Only a plan being rectified can be submitted for acceptance"),
    "accept": _("Only a plan submitted for acceptance can be accepted or failed"),
    "fail": _("Only a plan submitted for acceptance can be accepted or failed"),
    "lift": _("Only a plan the superior accepted can be transformed (lifted) or kept on the list"),
    "keep": _("Only a plan the superior accepted can be transformed (lifted) or kept on the list"),
}
