"""Officers keep the catalogue here. The CSV export writes the format import_services reads, so
officers can export, edit in a spreadsheet and import the file back."""

import io

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.http import HttpResponse
from django.utils import timezone

from kcc_portal.admin_lists import ScaledAdmin
from kcc_portal.fields import StripsControlCharacters
from services import csv_format
from services.models import Directorate, District, Service


class ServiceAdminForm(StripsControlCharacters, forms.ModelForm):
    class Meta:
        model = Service
        fields = [
            "name",
            "slug",
            "summary",
            "directorate",
            "portfolio",
            "county_wide",
            "districts",
            "gross_budget",
            "net_budget",
            "figures_illustrative",
            "delivery_model",
            "market_review_tranche",
            "excluded_from_challenge",
            "bid_window_opens",
            "bid_window_closes",
        ]

    def clean(self):
        # The same rule the CSV import applies: the net budget is what is left after income.
        cleaned = super().clean()
        gross, net = cleaned.get("gross_budget"), cleaned.get("net_budget")
        if gross is not None and net is not None and net > gross:
            self.add_error("net_budget", "The net budget cannot be more than the gross budget.")
        return cleaned


class OpenForBidsFilter(admin.SimpleListFilter):
    title = "open for bids today"
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.open_for_bids()
        if self.value() == "no":
            return queryset.exclude(pk__in=Service.objects.open_for_bids().values("pk"))
        return queryset


@admin.register(Service)
class ServiceAdmin(ScaledAdmin, admin.ModelAdmin):
    form = ServiceAdminForm
    list_display = [
        "name",
        "directorate",
        "portfolio",
        "net_budget_display",
        "market_review_tranche",
        "open_for_bids",
        "excluded_from_challenge",
    ]
    list_filter = [
        "portfolio",
        "directorate",
        "districts",
        "market_review_tranche",
        "excluded_from_challenge",
        "county_wide",
        OpenForBidsFilter,
    ]
    list_select_related = ["directorate"]
    search_fields = ["name", "summary", "directorate__name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["districts"]
    autocomplete_fields = ["directorate"]
    actions = ["export_csv"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "directorate", "portfolio"]}),
        ("Where", {"fields": ["county_wide", "districts"]}),
        (
            "Budget and delivery",
            {
                "fields": [
                    "gross_budget",
                    "net_budget",
                    "figures_illustrative",
                    "delivery_model",
                    "market_review_tranche",
                ]
            },
        ),
        (
            "Right to challenge",
            {"fields": ["excluded_from_challenge", "bid_window_opens", "bid_window_closes"]},
        ),
    ]

    @admin.display(description="Net budget", ordering="net_budget")
    def net_budget_display(self, service):
        return f"£{service.net_budget:,.0f}"

    @admin.display(description="Open for bids", boolean=True)
    def open_for_bids(self, service):
        return service.is_open_for_bids()

    @admin.action(description="Export selected services as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        services = queryset.select_related("directorate").prefetch_related("districts")
        out = io.StringIO()
        out.write("\ufeff")  # so that Excel reads the file as UTF-8 (the £ signs, the accents)
        csv_format.write_services(services.order_by("name"), out)
        filename = f"kcc-services-{timezone.localdate().isoformat()}.csv"
        return HttpResponse(
            out.getvalue(),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )


class _CatalogueListAdmin(ScaledAdmin, admin.ModelAdmin):
    list_display = ["name", "slug", "service_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(service_count=Count("services"))

    @admin.display(description="Services", ordering="service_count")
    def service_count(self, obj):
        return obj.service_count


@admin.register(Directorate)
class DirectorateAdmin(_CatalogueListAdmin):
    pass


@admin.register(District)
class DistrictAdmin(_CatalogueListAdmin):
    pass
