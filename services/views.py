"""The public catalogue: a filtered, paginated list of services and a page for each."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from services import cards
from services.bid_window import bid_status
from services.filters import ServiceFilter
from services.models import Service


def service_list(request):
    today = timezone.localdate()
    # Districts are read only for cards not in the cache (services/cards.py).
    services = Service.objects.select_related("directorate").defer("search_document")
    filterset = ServiceFilter(request.GET, queryset=services, today=today)
    page = Paginator(filterset.qs, settings.CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "services/service_list.html",
        {
            "filter": filterset,
            "form": filterset.form,  # base.html prefixes the title with "Error:" when invalid
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_ends=1),
            "cards": cards.cards(list(page), today),
        },
    )


def service_detail(request, slug):
    service = get_object_or_404(
        Service.objects.select_related("directorate").prefetch_related("districts"), slug=slug
    )
    return render(
        request,
        "services/service_detail.html",
        {"service": service, "status": bid_status(service, timezone.localdate())},
    )
