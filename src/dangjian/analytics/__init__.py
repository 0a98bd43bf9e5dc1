"""Analytics engine for the evaluation pages: DEA, Malmquist, AHP, entropy weights, TOPSIS.

Plain numpy/scipy/HiGHS code with no Django import, so it can be called from
views, management commands, the ``dangjian-analyze`` command line and tests alike.
"""

from .dea import DEAResult, dea
from .errors import AnalyticsInputError

__all__ = ["AnalyticsInputError", "DEAResult", "dea"]
