"""Officers' view of business cases. Every change of status goes through bids.workflow, and every
question through bids.clarifications: the admin offers them, it does not bypass them."""

from django import forms
from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from bids import clarifications, downloads, workflow
from bids.models import BusinessCase, Clarification, Document, Event, Status
from kcc_portal.admin_lists import LatestInline, ScaledAdmin


class ReadOnlyInline(LatestInline, admin.TabularInline):
    """A case's rows, the latest `shown` of them, newest first: a case's timeline grows."""

    extra = 0
    can_delete = False
    related: list[str] = []  # the people each row names: loaded with the rows, not one by one

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.related)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = Event
    newest_first = ("-at", "-pk")
    verbose_name_plural = "Timeline: the latest 20 events, newest first"
    fields = ["at", "kind", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    related = ["actor"]


class DocumentInline(ReadOnlyInline):
    model = Document
    newest_first = ("-uploaded_at", "-pk")
    verbose_name_plural = "Documents: the latest 20, newest first"
    fields = ["name", "kind", "size", "uploaded_by", "uploaded_at", "download"]
    readonly_fields = fields
    related = ["uploaded_by"]

    @admin.display(description="Download")
    def download(self, obj):
        # The officers' own download, which checks their role (the bidder's URL answers 404 to
        # anyone outside the organisation). case_id is enough: no query per row.
        url = reverse("admin:bids_businesscase_document", args=[obj.case_id, obj.public_id])
        return format_html('<a href="{}">Download</a>', url)


class ClarificationInline(ReadOnlyInline):
    model = Clarification
    newest_first = ("-asked_at", "-pk")
    verbose_name_plural = "Clarifications: the latest 20, newest first"
    fields = ["asked_at", "asked_by", "question", "answer", "answered_at"]
    readonly_fields = fields
    related = ["asked_by"]


# The moves offered as actions on the list. Deciding and publishing need a decision record,
# so they are not offered as bare moves.
OFFERED_MOVES = (Status.SCREENING, Status.UNDER_REVIEW, Status.MODERATION)


def _move_action(to: Status):
    def action(modeladmin, request, queryset):
        moved = 0
        for case in queryset:
            try:
                workflow.move(case=case, to=to, by=request.user)
                moved += 1
            except workflow.WorkflowError as e:
                modeladmin.message_user(request, f"{case}: {e}", messages.WARNING)
        if moved:
            modeladmin.message_user(request, f"{moved} moved to {to.label.lower()}.")

    action.__name__ = f"move_to_{to.value}"
    action.short_description = f"Move selected business cases to {to.label.lower()}"
    action.allowed_permissions = (f"move_to_{to.value}",)
    return action


@admin.register(BusinessCase)
class BusinessCaseAdmin(ScaledAdmin, admin.ModelAdmin):
    list_display = ["reference", "title", "organisation", "service", "status", "submitted_at"]
    list_filter = ["status", "service__portfolio", "service__directorate"]
    list_select_related = ["organisation", "service"]
    search_fields = ["reference", "title", "organisation__name", "service__name"]
    # No date_hierarchy: it reads the distinct dates of every case on every page.
    list_defer = ("answers", "record")
    readonly_fields = [
        "reference",
        "public_id",
        "organisation",
        "service",
        "created_by",
        "title",
        "status",
        "answers",
        "created_at",
        "updated_at",
        "submitted_at",
    ]
    inlines = [ClarificationInline, DocumentInline, EventInline]
    actions = [_move_action(to) for to in OFFERED_MOVES]

    # Each move action's allowed_permissions: the roles that bids.workflow.MAY_MOVE names for
    # some move to that status (the workflow still checks each case's own move).
    def _may_move_to(self, request, to: Status) -> bool:
        return bool(workflow.officer_roles(request.user) & workflow.roles_moving_to(to))

    def has_move_to_screening_permission(self, request):
        return self._may_move_to(request, Status.SCREENING)

    def has_move_to_under_review_permission(self, request):
        return self._may_move_to(request, Status.UNDER_REVIEW)

    def has_move_to_moderation_permission(self, request):
        return self._may_move_to(request, Status.MODERATION)

    def get_urls(self):
        download = self.admin_site.admin_view(self.document_download)
        return [
            path(
                "<path:object_id>/documents/<uuid:document_id>/",
                download,
                name="bids_businesscase_document",
            ),
            *super().get_urls(),
        ]

    def document_download(self, request, object_id, document_id):
        """A supporting document, for officers who may view the case and its documents."""
        case = self.get_object(request, object_id)  # drafts are excluded by get_queryset
        if case is None or not (
            self.has_view_permission(request, case) and request.user.has_perm("bids.view_document")
        ):
            raise Http404("No such business case")
        return downloads.document_response(
            get_object_or_404(Document, case=case, public_id=document_id)
        )

    def get_queryset(self, request):
        # Drafts belong to the bidders until submitted.
        return super().get_queryset(request).exclude(status=Status.DRAFT)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ClarificationForm(forms.ModelForm):
    class Meta:
        model = Clarification
        fields = ["case", "question"]

    def clean_case(self):
        case = self.cleaned_data["case"]
        try:
            clarifications.check_can_ask(case)
        except clarifications.ClarificationError as e:
            raise forms.ValidationError(str(e)) from None
        return case


@admin.register(Clarification)
class ClarificationAdmin(ScaledAdmin, admin.ModelAdmin):
    """Officers ask a question here; the bidder answers on the case's page."""

    form = ClarificationForm

    list_display = ["case", "question", "asked_by", "asked_at", "answered_at"]
    list_select_related = ["case", "asked_by"]
    list_defer = ("case__answers", "case__record")
    search_fields = ["case__reference", "question", "answer"]
    autocomplete_fields = ["case"]
    fields = ["case", "question", "answer", "answered_by", "answered_at"]
    readonly_fields = ["answer", "answered_by", "answered_at"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "case", "question"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return  # a question on the record is not edited
        created = clarifications.ask(case=obj.case, question=obj.question, by=request.user)
        obj.pk, obj.asked_at, obj.asked_by = created.pk, created.asked_at, created.asked_by

    def has_delete_permission(self, request, obj=None):
        return False
