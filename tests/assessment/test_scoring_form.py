"""Scoring a whole assessment in one form (issue 14): filled scores are never silently dropped.

Whichever button is pressed (save, deduct, compute), the scores filled in are
saved first, all together; if one row is wrong none is saved and every value
stays on the page with the row's error next to it.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.assessment import services
from dangjian.assessment.models import Assessment, ItemScore, Scheme
from tests.dbstate import unchanged

pytestmark = pytest.mark.django_db

TITLES = ("组织建设", "服务群众", "党员管理", "制度落实")


@pytest.fixture
def four(tree, officer, secretary_a):
    year = timezone.localdate().year
    s = services.scheme_create(by=officer, org=tree["street"], title=f"{year} 年度支部考核", year=year,
                               starts_on=dt.date(year, 1, 1), ends_on=dt.date(year, 12, 31), org_kind="branch")
    for t in TITLES:
        services.scheme_item_add(by=officer, scheme=s, title=t, max_points=25, guidance=f"{t}评分细则")
    services.scheme_start(by=officer, scheme=s)
    a = Assessment.objects.get(scheme=s, org=tree["branch_a"])
    services.assessment_submit(by=secretary_a, assessment=a, self_report="支部自评")
    return a, list(s.items.all())


def _filled(items, points=(20, 21, 22, 23)):
    data = {}
    for item, p in zip(items, points, strict=True):
        data[f"score_{item.pk}"] = str(p)
        data[f"reason_{item.pk}"] = f"理由{p}"
    return data


@pytest.mark.parametrize("button", ["score", "deduct", "compute"])
def test_four_filled_scores_are_all_kept_whatever_button_is_pressed(four, as_officer, button):
    a, items = four
    as_officer.post(reverse("assessment:detail", args=[a.pk]), {"action": button, **_filled(items)})
    kept = dict(ItemScore.objects.filter(assessment=a).values_list("item_id", "score"))
    assert kept == {item.pk: Decimal(p) for item, p in zip(items, (20, 21, 22, 23), strict=True)}


def test_one_wrong_row_saves_none_and_keeps_every_value_on_the_page(four, as_officer):
    a, items = four
    data = _filled(items)
    data[f"reason_{items[2].pk}"] = ""  # a score without its reason
    with unchanged():
        page = as_officer.post(reverse("assessment:detail", args=[a.pk]), {"action": "score", **data})
    html = page.content.decode()
    assert page.status_code == 200
    for item, p in zip(items, (20, 21, 22, 23), strict=True):
        assert f'name="score_{item.pk}"' in html and f'value="{p}"' in html
    assert "请填写评分理由" in html or "理由" in html
    assert html.count('class="has-error"') == 1


def test_the_page_is_one_form_with_one_save_and_a_leave_warning(four, as_officer):
    a, items = four
    html = as_officer.get(reverse("assessment:detail", args=[a.pk])).content.decode()
    start = html.index('id="scoring"')
    form = html[html.rindex("<form", 0, start):html.index("</form>", start)]
    assert all(f'name="score_{i.pk}"' in form for i in items)
    assert form.count('value="score"') == 1 and "data-unsaved-warning" in form
    assert "unsaved.js" in html


def test_scores_saved_once_are_not_audited_again(four, as_officer):
    from dangjian.audit.models import AuditEntry

    a, items = four
    url = reverse("assessment:detail", args=[a.pk])
    as_officer.post(url, {"action": "score", **_filled(items)})
    n = AuditEntry.objects.count()
    as_officer.post(url, {"action": "score", **_filled(items)})
    assert AuditEntry.objects.count() == n


def test_this_years_scheme_copied_from_last_years(tree, officer, as_officer):
    year = timezone.localdate().year
    last = services.scheme_create(by=officer, org=tree["street"], title=f"{year - 1} 年度支部考核", year=year - 1,
                                  starts_on=dt.date(year - 1, 1, 1), ends_on=dt.date(year - 1, 12, 31), org_kind="branch",
                                  weights={"superior": 50, "duty": 20, "democratic": 30}, five_star_cap=25)
    for t in TITLES:
        services.scheme_item_add(by=officer, scheme=last, title=t, max_points=25, guidance=f"{t}评分细则")
    page = as_officer.get(reverse("assessment:list")).content.decode()
    assert f'name="source" value="{last.pk}"' in page
    response = as_officer.post(reverse("assessment:list"), {"action": "copy", "source": last.pk})
    new = Scheme.objects.get(year=year)
    assert response.status_code == 302 and response["Location"] == reverse("assessment:scheme", args=[new.pk])
    assert new.title == f"{year} 年度支部考核" and new.starts_on == dt.date(year, 1, 1)
    assert new.five_star_cap == 25 and services.weights_of(new) == services.weights_of(last)
    assert [(i.title, i.max_points, i.guidance) for i in new.items.all()] == [
        (i.title, i.max_points, i.guidance) for i in last.items.all()]
    # Offered once: this year has its scheme now.
    assert f'name="source" value="{last.pk}"' not in as_officer.get(reverse("assessment:list")).content.decode()
    with unchanged():
        as_officer.post(reverse("assessment:list"), {"action": "copy", "source": last.pk})


def test_an_outsider_cannot_copy_a_scheme(tree, officer, as_secretary_b):
    year = timezone.localdate().year
    last = services.scheme_create(by=officer, org=tree["street"], title="考核", year=year - 1,
                                  starts_on=dt.date(year - 1, 1, 1), ends_on=dt.date(year - 1, 12, 31), org_kind="branch")
    with unchanged():
        response = as_secretary_b.post(reverse("assessment:list"), {"action": "copy", "source": last.pk})
    assert response.status_code == 404
