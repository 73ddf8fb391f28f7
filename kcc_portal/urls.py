from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import TemplateView

from evaluation import views as evaluation_views
from kcc_portal import health

# A database outage answers 503 "try again in a moment", anything else Django's 500.
handler500 = "kcc_portal.errors.server_error"

admin.site.site_header = "Kent right to bid: officers"
admin.site.site_title = "Kent right to bid"
admin.site.index_title = "Screening, review, moderation and decisions"


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to GOV.UK Frontend's."""
    return redirect(static("build/govuk/assets/rebrand/images/favicon.ico"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
    path("privacy/", TemplateView.as_view(template_name="privacy.html"), name="privacy"),
    path(
        "how-business-cases-are-assessed/",
        evaluation_views.scoring_method,
        name="scoring-method",
    ),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("services/", include("services.urls")),
    path("bids/", include("bids.urls")),
    path("members/", include("members.urls")),
    path("", include("opendata.urls")),
    path("admin/", admin.site.urls),
]
