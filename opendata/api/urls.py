from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from opendata.api import views

app_name = "api"

router = SimpleRouter()
router.register("services", views.ServiceViewSet)
router.register("directorates", views.DirectorateViewSet)
router.register("districts", views.DistrictViewSet)
router.register("decisions", views.DecisionViewSet)
router.register("cases", views.CaseViewSet, basename="case")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="opendata:api:schema"), name="docs"),
    path("", include(router.urls)),
]
