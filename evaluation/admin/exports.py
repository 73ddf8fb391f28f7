"""The officers' CSV downloads in the admin: actions on the lists of business cases and of
assignments, and the audit trail of a case from its page. The columns and rows are
evaluation/exports.py's; kcc_portal.csv_export streams them.

Who may download: the officers who read every case (commissioning officers, moderators and
administrators: evaluation.review.access.READ_ALL). Not reviewers: the exports name bidders and
every reviewer's declarations, and a reviewer of a blind case may not know the bidder.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone

from evaluation import exports
from evaluation.review import access
from kcc_portal import csv_export


def _dated(name: str) -> str:
    return f"{name}-{timezone.localdate().isoformat()}.csv"


class MayExport:
    """`allowed_permissions = ("export",)` on an action asks this."""

    def has_export_permission(self, request) -> bool:
        return access.reads_every_case(request.user)


class CaseExports(MayExport):
    """Mixed into the case admin: the list's CSV action and the case's audit trail."""

    @admin.action(
        description="Download the selected as CSV (totals and decisions)",
        permissions=["export"],
    )
    def export_cases_csv(self, request, queryset):
        return csv_export.response(
            _dated("business-cases"), exports.CASE_HEADER, exports.cases(queryset)
        )

    def export_steps(self, request, case) -> list[tuple[str, str]]:
        """The case page's link to the audit trail, for those who may download it."""
        if not self.has_export_permission(request):
            return []
        url = reverse("admin:bids_businesscase_audit_trail", args=[case.pk])
        return [("Audit trail (CSV)", url)]

    def export_urls(self):
        return [
            path(
                "<path:object_id>/audit-trail.csv",
                self.admin_site.admin_view(self.audit_trail_csv),
                name="bids_businesscase_audit_trail",
            )
        ]

    def audit_trail_csv(self, request, object_id):
        if not self.has_export_permission(request):
            raise PermissionDenied
        case = self.get_object(request, object_id)
        if case is None:
            raise Http404("No such business case")
        return csv_export.response(
            _dated(f"{case.reference}-audit-trail"), exports.EVENTS_HEADER, exports.events(case)
        )


class AssignmentExports(MayExport):
    """Mixed into the assignments' admin: the conflicts register and the reviews."""

    @admin.action(
        description="Download the selected as CSV (conflicts register)", permissions=["export"]
    )
    def export_csv(self, request, queryset):
        return csv_export.response(
            _dated("conflicts-register"), exports.CONFLICTS_HEADER, exports.conflicts(queryset)
        )

    @admin.action(
        description="Download the submitted reviews of the selected as CSV",
        permissions=["export"],
    )
    def export_reviews_csv(self, request, queryset):
        return csv_export.response(
            _dated("reviews"), exports.REVIEW_HEADER, exports.reviews(queryset)
        )
