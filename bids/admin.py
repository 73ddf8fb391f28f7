"""Officers' view of business cases. Every change of status goes through bids.workflow, and every
question through bids.clarifications: the admin offers them, it does not bypass them."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from bids import clarifications, workflow
from bids.models import BusinessCase, Clarification, Document, Event, Status


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = Event
    fields = ["at", "kind", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ["name", "kind", "size", "uploaded_by", "uploaded_at", "download"]
    readonly_fields = fields

    @admin.display(description="Download")
    def download(self, obj):
        return format_html('<a href="{}">Download</a>', obj.get_absolute_url())


class ClarificationInline(ReadOnlyInline):
    model = Clarification
    fields = ["asked_at", "asked_by", "question", "answer", "answered_at"]
    readonly_fields = fields


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
    return action


@admin.register(BusinessCase)
class BusinessCaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "organisation", "service", "status", "submitted_at"]
    list_filter = ["status", "service__portfolio", "service__directorate"]
    list_select_related = ["organisation", "service"]
    search_fields = ["reference", "title", "organisation__name", "service__name"]
    date_hierarchy = "submitted_at"
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
    actions = [_move_action(Status.SCREENING), _move_action(Status.UNDER_REVIEW)]

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
class ClarificationAdmin(admin.ModelAdmin):
    """Officers ask a question here; the bidder answers on the case's page."""

    form = ClarificationForm

    list_display = ["case", "question", "asked_by", "asked_at", "answered_at"]
    list_select_related = ["case", "asked_by"]
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
