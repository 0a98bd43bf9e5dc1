"""Page-number pagination shared by every list endpoint.

    GET /api/members/?page=2&page_size=100  ->  {"items": [...], "count": 1234}
"""

from ninja.pagination import PageNumberPagination

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Page(PageNumberPagination):
    def __init__(self, page_size: int = PAGE_SIZE, max_page_size: int = MAX_PAGE_SIZE, **kwargs):
        super().__init__(page_size=page_size, max_page_size=max_page_size, **kwargs)
