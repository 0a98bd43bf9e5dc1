"""The link from a figure on a dashboard to the records behind it.

Every metric lists its own records (`dangjian.core.metrics`, `records()`): the
evaluation's drill-down page shows them, numerator, denominator and missing
items, each linking to the record's own page. No guessing from metric codes.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from dangjian.evaluation.models import Period
from dangjian.orgs.models import Org


def record_links(metric_code: str, indicator_code: str, org: Org, period: Period) -> list[tuple[str, str]]:
    """[(label, url)]: the records behind the figure, and the expected items missing."""
    try:
        url = reverse("evaluation:drill", args=(period.pk, org.pk, indicator_code))
    except NoReverseMatch:
        return []
    return [(_("Records behind the figure"), f"{url}#records"),
            (_("Expected items missing"), f"{url}?which=missing#records")]
