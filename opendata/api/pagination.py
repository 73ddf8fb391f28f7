from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """Numbered pages of API_PAGE_SIZE; a client may ask for up to API_MAX_PAGE_SIZE. A page past
    the end, or not a number, is a 404 (DRF's own answer), never a server error."""

    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE
