"""The hypothesis profile of tests/conftest.py, for runs without it.

`tools/mutate.py` runs the analytics tests with `-p no:django --noconftest
-p tests.analytics.plain_profile` (the analytics package imports no Django).
"""

from hypothesis import HealthCheck, settings

settings.register_profile("dangjian", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("dangjian")
