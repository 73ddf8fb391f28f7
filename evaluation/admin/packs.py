"""Decision packs in the officers' admin: the versions of a case's pack on the case page, a page of
its own to render a new version, retry a failed one or download a ready one, a bulk action over
many cases, and a read-only list of every pack by state.

Nothing here renders: each button asks evaluation.packs.versions for a new version (or a retry),
which a worker renders once the request has committed. Who may do what is versions.may_render
(commissioning officers and administrators) and versions.may_read (officers who read every case).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html

from evaluation.models import DecisionPack
from evaluation.packs import files, versions
from kcc_portal.admin_lists import LatestInline, ScaledAdmin

PACK_FIELDS = [
    "version",
    "state",
    "progress_shown",
    "requested_by",
    "requested_at",
    "finished_at",
    "pages",
    "size",
    "sha256",
    "engine",
    "error",
    "download",
]


def download_url(pack: DecisionPack) -> str:
    return reverse("admin:bids_businesscase_pack", args=[pack.case_id, pack.pk])


class PackColumns:
    @admin.display(description="progress")
    def progress_shown(self, pack):
        return f"{pack.progress}%"

    @admin.display(description="download")
    def download(self, pack):
        if pack.state != DecisionPack.State.READY:
            return "–"
        return format_html(
            '<a href="{}">Download version {} (PDF)</a>', download_url(pack), pack.version
        )


class DecisionPackInline(PackColumns, LatestInline, admin.TabularInline):
    """The latest versions of the case's pack, newest first, on the case page (one query); the
    packs page lists them all."""

    shown = 5
    newest_first = ("-version",)

    model = DecisionPack
    extra = 0
    can_delete = False
    fields = PACK_FIELDS
    readonly_fields = PACK_FIELDS
    verbose_name = "decision pack"
    verbose_name_plural = "Decision packs: the latest 5 (refresh the page to see progress)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("requested_by")

    def has_view_permission(self, request, obj=None):
        return versions.may_read(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CasePacks:
    """Mixed into the case admin: the packs page, the download and the bulk action."""

    def pack_urls(self):
        from django.urls import path

        return [
            path(
                "<path:object_id>/packs/",
                self.admin_site.admin_view(self.packs_view),
                name="bids_businesscase_packs",
            ),
            path(
                "<path:object_id>/packs/<int:pack_id>/",
                self.admin_site.admin_view(self.pack_download),
                name="bids_businesscase_pack",
            ),
        ]

    def _readable_case(self, request, object_id):
        case = self.get_object(request, object_id)
        if case is None:
            raise Http404("No such business case")
        if not versions.may_read(request.user):
            raise PermissionDenied
        return case

    def packs_view(self, request, object_id):
        """The case's packs; a POST asks for a new version, or retries a failed one."""
        case = self._readable_case(request, object_id)
        if request.method == "POST":
            if not versions.may_render(request.user):
                raise PermissionDenied
            try:
                if "retry" in request.POST:
                    pack = get_object_or_404(DecisionPack, case=case, pk=request.POST["retry"])
                    versions.retry(pack=pack, by=request.user)
                    messages.success(request, f"Version {pack.version} queued again.")
                else:
                    pack = versions.request(case=case, by=request.user)
                    messages.success(
                        request,
                        f"Version {pack.version} queued: a worker renders it in a minute or so.",
                    )
            except versions.PackError as e:
                messages.error(request, str(e))
            return redirect(request.path)
        packs = list(case.packs.select_related("requested_by"))
        return self.render_page(
            request,
            "packs.html",
            original=case,
            case=case,
            case_url=self._case_url(case),
            title=f"Decision packs of {case.reference}",
            packs=[(pack, download_url(pack)) for pack in packs],
            may_render=versions.may_render(request.user),
            working=any(p.state in {p.State.QUEUED, p.State.RENDERING} for p in packs),
        )

    def pack_download(self, request, object_id, pack_id):
        case = self._readable_case(request, object_id)
        pack = get_object_or_404(DecisionPack.objects.select_related("case"), case=case, pk=pack_id)
        return files.pack_response(pack)

    def has_render_pack_permission(self, request):
        return versions.may_render(request.user)

    @admin.action(
        description="Render decision packs of the selected business cases",
        permissions=["render_pack"],
    )
    def render_decision_packs(self, request, queryset):
        queued = 0
        for case in queryset:
            try:
                versions.request(case=case, by=request.user)
                queued += 1
            except versions.PackError as e:
                self.message_user(request, str(e), messages.WARNING)
        if queued:
            self.message_user(request, f"{queued} decision packs queued for rendering.")


@admin.register(DecisionPack)
class DecisionPackAdmin(PackColumns, ScaledAdmin, admin.ModelAdmin):
    """Every pack, by state: where a render failed or is waiting. Read only."""

    list_display = [
        "case",
        "version",
        "state",
        "progress_shown",
        "requested_at",
        "finished_at",
        "pages",
        "error",
        "download",
    ]
    list_filter = ["state"]
    list_select_related = ["case"]
    list_defer = ("case__answers", "case__record")
    search_fields = ["case__reference", "sha256"]
    fields = ["case", *PACK_FIELDS]
    readonly_fields = fields
    actions = ["retry_failed"]

    def has_module_permission(self, request):
        return versions.may_read(request.user)

    def has_view_permission(self, request, obj=None):
        return versions.may_read(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a version, once made, is kept

    def has_render_pack_permission(self, request):
        return versions.may_render(request.user)

    @admin.action(description="Try the selected failed packs again", permissions=["render_pack"])
    def retry_failed(self, request, queryset):
        retried = 0
        for pack in queryset.filter(state=DecisionPack.State.FAILED):
            try:
                versions.retry(pack=pack, by=request.user)
                retried += 1
            except versions.PackError as e:
                self.message_user(request, str(e), messages.WARNING)
        self.message_user(request, f"{retried} failed packs queued again.")
