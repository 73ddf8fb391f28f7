"""The API's views: read-only, each list paginated and read in a fixed number of queries."""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import viewsets

from bids import workflow
from bids.models import BusinessCase
from evaluation.models import Assessment
from evaluation.review import access
from opendata.api.filters import CaseFilter, DecisionFilter, ServiceFilter
from opendata.api.permissions import ReadsCases
from opendata.api.serializers import (
    CaseSerializer,
    DecisionSerializer,
    DirectorateSerializer,
    DistrictSerializer,
    ServiceSerializer,
)
from opendata.published import published_decisions
from services.models import Directorate, District, Service

# A reference or a slug: anything else is not a URL of the API (404, never a lookup).
REFERENCE = r"[A-Za-z0-9-]{1,16}"


class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    """Kent's twelve district and borough council areas."""

    queryset = District.objects.order_by("name")
    serializer_class = DistrictSerializer
    lookup_field = "slug"


class DirectorateViewSet(viewsets.ReadOnlyModelViewSet):
    """The council's directorates, which run the services."""

    queryset = Directorate.objects.order_by("name")
    serializer_class = DirectorateSerializer
    lookup_field = "slug"


class ServiceViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalogue of services open to challenge, with the catalogue's own filters (search,
    directorate, portfolio, district, net budget band, open for bids, sort order)."""

    queryset = Service.objects.select_related("directorate").prefetch_related("districts")
    serializer_class = ServiceSerializer
    filterset_class = ServiceFilter
    lookup_field = "slug"

    def get_serializer_context(self):
        # One "today" for the whole page, as the catalogue's own pages do.
        return {**super().get_serializer_context(), "today": timezone.localdate()}


class DecisionViewSet(viewsets.ReadOnlyModelViewSet):
    """Decisions the council has published on business cases, newest first."""

    queryset = published_decisions()
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    lookup_field = "case__reference"
    lookup_url_kwarg = "reference"
    lookup_value_regex = REFERENCE


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Business cases with the machine's latest assessment, for council officers only (token or
    session). Reviewers see only the cases they are assigned to and have declared no interest in,
    and not the bidder's name on a blind case. Drafts are the bidder's own and never listed."""

    serializer_class = CaseSerializer
    permission_classes = [ReadsCases]
    filterset_class = CaseFilter
    lookup_field = "reference"
    lookup_value_regex = REFERENCE

    def get_queryset(self):
        cases = BusinessCase.objects.filter(status__in=workflow.OPEN_IN[workflow.Action.READ])
        return (
            access.readable_cases(self.request.user, cases)
            .select_related("service", "organisation")
            .prefetch_related(
                Prefetch(
                    "assessments",
                    queryset=Assessment.objects.select_related("framework").order_by(
                        "-created_at", "-pk"
                    ),
                    to_attr="newest_assessments",
                )
            )
            .order_by("-submitted_at", "-pk")
        )


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's files. The split view sends its start-up script as
    a file of its own, and this template links its styles instead of writing them inline, so the
    page runs under the site's CSP unchanged (no 'unsafe-inline')."""

    template_name = "opendata/api/swagger_ui.html"
