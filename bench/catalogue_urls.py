"""The portal's URLs and the baseline of bench/catalogue.py: a bare view."""

from django.http import HttpResponse
from django.urls import include, path

from services.models import Service


def bare(request):
    """The whole middleware stack and one query, no template."""
    return HttpResponse(Service.objects.values_list("name", flat=True).first())


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("kcc_portal.urls")),
]
