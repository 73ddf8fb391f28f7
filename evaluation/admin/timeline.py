"""A case's whole timeline, a page at a time: the case page shows only its latest 20 events."""

from django.core.paginator import Paginator
from django.http import Http404
from django.urls import path, reverse

from evaluation.review import access

TIMELINE_PAGE_SIZE = 50


class CaseTimeline:
    """Mixed into the case admin (with OwnPages): the timeline page and its URL."""

    def timeline_urls(self):
        return [
            path(
                "<path:object_id>/timeline/",
                self.admin_site.admin_view(self.timeline_view),
                name="bids_businesscase_timeline",
            )
        ]

    def timeline_view(self, request, object_id):
        case = self.get_object(request, object_id)  # only the cases this officer may read
        if case is None or not self.has_view_permission(request, case):
            raise Http404("No such business case")
        events = case.events.select_related("actor").order_by("-at", "-pk")
        page = Paginator(events, TIMELINE_PAGE_SIZE).get_page(request.GET.get("page"))
        return self.render_page(
            request,
            "timeline.html",
            original=case,
            case=case,
            case_url=reverse("admin:bids_businesscase_change", args=[case.pk]),
            title=f"Timeline of {case.reference}",
            page_obj=page,
            page_range=page.paginator.get_elided_page_range(page.number, on_ends=1),
            blind=access.blind_for(request.user, case),  # no actors or notes
        )
