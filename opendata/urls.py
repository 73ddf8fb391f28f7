from django.urls import include, path

app_name = "opendata"

urlpatterns = [
    # The read API (opendata/api/): catalogue, published decisions, and cases for officers.
    path("api/v1/", include("opendata.api.urls")),
]
