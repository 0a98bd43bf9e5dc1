"""Page-number pagination shared by every list endpoint.

    GET /api/members/?page=2&page_size=100  ->  {"items": [...], "count": 1234}

`page` is bounded (a page past the end answers an empty list; one past
MAX_PAGE answers 400 before the database sees an offset it cannot hold).
"""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000


class Page(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)  # above MAX_PAGE_SIZE it is cut to MAX_PAGE_SIZE

    def __init__(self, page_size: int = PAGE_SIZE, max_page_size: int = MAX_PAGE_SIZE, **kwargs):
        super().__init__(page_size=page_size, max_page_size=max_page_size, **kwargs)
