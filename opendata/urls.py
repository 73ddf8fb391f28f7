from django.urls import include, path, re_path

from opendata import views

app_name = "opendata"

urlpatterns = [
    path("decisions/", views.register, name="register"),
    path("decisions/feed/", views.DecisionFeed(), name="feed"),
    path("decisions/ocds.json", views.ocds_package, name="ocds"),
    path("decisions/open-data/", views.open_data, name="open-data"),
    # References look like RTB-2026-0042: anything else is not a case, and never reaches the
    # database (a NUL in a query makes PostgreSQL's driver raise).
    re_path(
        r"^decisions/(?P<reference>RTB-\d{4}-\d{1,8})/$", views.decision_detail, name="decision"
    ),
    # The read API (opendata/api/): catalogue, published decisions, and cases for officers.
    path("api/v1/", include("opendata.api.urls")),
]
