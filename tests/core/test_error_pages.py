"""403, 404 and 500 answer in Chinese inside the site's layout, with a way back (issue 14)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

from dangjian.core.errors import server_error

pytestmark = pytest.mark.django_db


def _way_back(text: str) -> bool:
    return 'class="topbar"' in text and f'href="{reverse("home")}"' in text and "返回首页" in text


def test_an_unknown_address_is_a_chinese_404_in_the_layout(as_member):
    page = as_member.get("/no-such-page/")
    text = page.content.decode()
    assert page.status_code == 404 and "页面不存在" in text and _way_back(text)
    assert "Not Found" not in text


def test_a_page_closed_to_the_role_answers_the_same_chinese_404(as_member):
    page = as_member.get(reverse("audit:list"))
    text = page.content.decode()
    assert page.status_code == 404 and "页面不存在" in text and _way_back(text)
    # The menu on the error page is the member's: no link to what they cannot open.
    assert f'href="{reverse("audit:list")}"' not in text


def test_403_is_chinese_in_the_layout(member_user):
    request = RequestFactory().get("/")
    request.user = member_user
    page = defaults.permission_denied(request, PermissionDenied())
    text = page.content.decode()
    assert page.status_code == 403 and "无权操作" in text and _way_back(text)


def test_500_is_chinese_and_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/")  # no user, no session: the error may be the database itself
    with django_assert_num_queries(0):
        page = server_error(request)
    text = page.content.decode()
    assert page.status_code == 500 and "出错了" in text and _way_back(text)


def test_the_site_uses_the_database_free_500_handler():
    from dangjian import urls

    assert urls.handler500 == "dangjian.core.errors.server_error"
