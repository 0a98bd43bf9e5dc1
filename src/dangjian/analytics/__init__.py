"""Analytics engine for the evaluation pages: DEA, Malmquist, AHP, entropy weights, TOPSIS.

Plain numpy/scipy/HiGHS code with no Django import, so it can be called from
views, management commands, the ``dangjian-analyze`` command line and tests alike.
Every public function takes keyword arguments (numpy arrays plus names) and
returns a frozen dataclass; bad data raises :class:`AnalyticsInputError`, whose
message names the row and column.
"""

from .ahp import AHPResult, HierarchyResult, ahp, ahp_group, ahp_hierarchy
from .dea import DEAResult, dea
from .errors import AnalyticsInputError, AnalyticsResultError, AnalyticsWarning
from .malmquist import MalmquistResult, MalmquistRow, malmquist
from .mcdm import EntropyResult, TOPSISResult, combine_weights, entropy_weights, topsis
from .tables import Table, read_table

__all__ = [
    "AHPResult",
    "AnalyticsInputError",
    "AnalyticsResultError",
    "AnalyticsWarning",
    "DEAResult",
    "EntropyResult",
    "HierarchyResult",
    "MalmquistResult",
    "MalmquistRow",
    "TOPSISResult",
    "Table",
    "ahp",
    "ahp_group",
    "ahp_hierarchy",
    "combine_weights",
    "dea",
    "entropy_weights",
    "malmquist",
    "read_table",
    "topsis",
]
