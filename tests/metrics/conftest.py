from tests.evaluation.conftest import compute  # noqa: F401  (the period computation fixture)
