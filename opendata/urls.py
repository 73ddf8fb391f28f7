from django.urls import path, re_path

from opendata import views

app_name = "opendata"

# The read API's routes (opendata/api/) join here too.
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
]
