"""The members' area. Views only speak HTTP: who may enter is members.access, what they read is
members.cases, the download and its record members.downloads, the pipeline's figures
members.dashboard."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from accounts.roles import may_use_members_area
from evaluation.packs import files
from kcc_portal import csv_export
from members import cases, dashboard, downloads
from members.access import members_only, pipeline_readers_only
from members.filters import CaseFilter
from members.forms import PreferenceForm
from members.models import Preference


@members_only
def case_list(request):
    filterset = CaseFilter(request.GET, queryset=cases.decided_cases())
    page = Paginator(filterset.qs, cases.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/case_list.html",
        {
            "filter": filterset,
            "form": filterset.form,  # base.html prefixes the title with "Error:" when invalid
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_ends=1),
        },
    )


@members_only
def case_detail(request, public_id):
    case, packs = cases.summary(public_id)
    return render(request, "members/case_detail.html", {"case": case, "packs": packs})


@members_only
def pack_download(request, public_id, version):
    pack = cases.ready_pack(public_id, version)
    response = files.pack_response(pack)  # 404 before anything is recorded
    downloads.record_download(pack=pack, by=request.user)
    return response


@members_only
@require_http_methods(["GET", "POST"])
def preferences(request):
    preference = Preference.objects.filter(user=request.user).first() or Preference(
        user=request.user
    )
    form = PreferenceForm(request.POST if request.method == "POST" else None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your preferences have been saved")
        return redirect("members:preferences")
    return render(request, "members/preferences.html", {"form": form})


@require_safe
@pipeline_readers_only
def pipeline_dashboard(request):
    pipeline = dashboard.pipeline()
    return render(
        request,
        "members/dashboard.html",
        {
            "pipeline": pipeline,
            "charts": dashboard.charts(pipeline),
            "short_outcomes": dashboard.SHORT_OUTCOMES,
            "in_members_area": may_use_members_area(request.user),
        },
    )


@require_safe
@pipeline_readers_only
def pipeline_csv(request):
    filename = f"right-to-bid-pipeline-{timezone.localdate().isoformat()}.csv"
    rows = dashboard.csv_rows(dashboard.pipeline())
    return csv_export.response(filename, dashboard.CSV_HEADER, rows)
