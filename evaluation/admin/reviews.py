"""Reviewers' assignments: for a reviewer, their own work (declare, then review); for commissioning
officers and moderators, the conflicts register of every assignment and declaration, and the
reviews, downloadable as CSV (evaluation/admin/exports.py)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from bids import workflow
from bids.models import Status
from evaluation.admin.exports import AssignmentExports
from evaluation.admin.forms import DeclarationForm, ScoresForm
from evaluation.admin.pages import OwnPages
from evaluation.models import Assignment
from evaluation.review import access, assignments, reviews
from evaluation.review.reading import case_document
from kcc_portal.admin_lists import ScaledAdmin


class DeclaredFilter(admin.SimpleListFilter):
    title = "declaration"
    parameter_name = "declared"

    def lookups(self, request, model_admin):
        return [("waiting", "Not declared yet"), ("none", "No interest"), ("interest", "Interest")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "waiting":
            return queryset.filter(has_interest__isnull=True)
        if value == "none":
            return queryset.filter(has_interest=False)
        if value == "interest":
            return queryset.filter(has_interest=True)
        return queryset


@admin.register(Assignment)
class AssignmentAdmin(AssignmentExports, OwnPages, ScaledAdmin, admin.ModelAdmin):
    list_display = [
        "case_reference",
        "service",
        "case_status",
        "reviewer",
        "assigned_at",
        "declaration",
        "declared_at",
        "review_state",
    ]
    list_select_related = ["case__service", "reviewer", "review"]
    list_defer = ("case__answers", "case__record")
    list_filter = [DeclaredFilter, "case__status"]
    search_fields = ["case__reference", "reviewer__full_name", "reviewer__email", "interest"]
    actions = ["export_csv", "export_reviews_csv"]
    list_per_page = 50

    def get_queryset(self, request):
        assigned = super().get_queryset(request)
        if access.reads_every_case(request.user):
            return assigned
        return assigned.filter(reviewer=request.user)

    def has_add_permission(self, request):
        return False  # assigned from the case page, through evaluation.review.assignments

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="case", ordering="case__reference")
    def case_reference(self, obj):
        return obj.case.reference

    @admin.display(description="service", ordering="case__service__name")
    def service(self, obj):
        return obj.case.service.name

    @admin.display(description="case status")
    def case_status(self, obj):
        return obj.case.get_status_display()

    @admin.display(description="declaration")
    def declaration(self, obj):
        if not obj.declared:
            return "Not declared yet"
        return f"Interest: {obj.interest}" if obj.recused else "No interest"

    @admin.display(description="review")
    def review_state(self, obj):
        review = getattr(obj, "review", None)
        if review is None:
            return "Not started"
        return "Submitted" if review.submitted_at else "Draft"

    # --- The reviewer's own page: declare, then review -------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        assignment = self.get_object(request, object_id)
        if assignment is None or assignment.reviewer_id != request.user.pk:
            return super().change_view(request, object_id, form_url, extra_context)
        if not workflow.may(request.user, assignment.case, workflow.Action.REVIEW):
            raise PermissionDenied
        if not assignment.declared:
            return self.declare_view(request, assignment)
        if assignment.recused:
            return self._render(request, assignment, "recused.html", title="Recused")
        return self.review_view(request, assignment)

    def _render(self, request, assignment, template, **context):
        return self.render_page(
            request,
            template,
            original=assignment,
            assignment=assignment,
            case=assignment.case,
            **context,
        )

    def declare_view(self, request, assignment):
        form = DeclarationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                assignments.declare(
                    assignment=assignment,
                    by=request.user,
                    has_interest=form.cleaned_data["has_interest"],
                    interest=form.cleaned_data["interest"],
                )
            except assignments.AssignmentError as e:
                form.add_error(None, str(e))
            else:
                if form.cleaned_data["has_interest"]:
                    messages.success(
                        request, "Interest declared: you are recused and the officer is told."
                    )
                else:
                    messages.success(request, "No interest declared: you can now review the case.")
                return redirect(request.path)
        return self._render(
            request,
            assignment,
            "declare.html",
            title=f"Declare your interests: {assignment.case.reference}",
            form=form,
        )

    def review_view(self, request, assignment):
        case = assignment.case
        try:
            review = reviews.review_for(assignment)
        except reviews.ReviewError as e:
            messages.warning(request, str(e))
            return redirect(reverse("admin:evaluation_assignment_changelist"))
        lines = reviews.lines(review)
        editable = review.submitted_at is None and case.status == Status.UNDER_REVIEW
        form = ScoresForm(
            request.POST if editable and request.method == "POST" else None,
            criteria=[line.criterion for line in lines],
            initial_scores={line.criterion.pk: (line.score, line.comment) for line in lines},
        )
        if editable and request.method == "POST" and form.is_valid():
            submit = "submit" in request.POST
            try:
                reviews.save(review=review, by=request.user, scores=form.scores(), submit=submit)
            except (reviews.ReviewError, workflow.WorkflowError) as e:
                form.add_error(None, str(e))
            else:
                messages.success(
                    request, "Review submitted." if submit else "Review saved as a draft."
                )
                return redirect(request.path)
        return self._render(
            request,
            assignment,
            "review.html",
            title=f"Review {case.reference}",
            form=form,
            rows=list(zip(lines, form.rows(), strict=True)),
            editable=editable,
            review=review,
            document=case_document(case, blind=access.blind_for(request.user, case)),
        )
