"""The case page officers work from: the machine's assessment beside the case, and the steps of
the officers' workflow (screen, assign reviewers, moderate, decide, publish) as pages of their own.

Every step's view checks the officer's role against bids.workflow's tables and calls the one
function in evaluation/review/ that does the step, so the admin offers the workflow and never
bypasses it. Reviewers see only the cases they are cleared for (evaluation.review.access).
"""

import datetime
from functools import wraps

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import DecimalField, Exists, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone

from bids import workflow
from bids.admin import (
    BusinessCaseAdmin,
    ClarificationAdmin,
    ClarificationInline,
    DocumentInline,
    EventInline,
)
from bids.models import BusinessCase, Clarification, Event, Status
from evaluation.admin.assessments import AssessmentInline
from evaluation.admin.exports import CaseExports
from evaluation.admin.forms import AssignForm, DecisionForm, ScoresForm, ScreeningForm
from evaluation.admin.packs import CasePacks, DecisionPackInline
from evaluation.admin.pages import OwnPages
from evaluation.admin.timeline import CaseTimeline
from evaluation.models import Assessment, Decision, Recommendation, Route
from evaluation.packs import versions
from evaluation.review import access, assignments, decisions, moderation, reading, screening
from evaluation.review.reviews import framework_of

A = workflow.Action
STEPS = {
    # name: (the action it needs, the statuses it is offered in, its title). Deciding is offered
    # after moderation; a rejection at screening is the screening's own outcome.
    "screen": (A.SCREEN, workflow.OPEN_IN[A.SCREEN], "Screen"),
    "assign": (A.ASSIGN, workflow.OPEN_IN[A.ASSIGN], "Assign reviewers"),
    "moderate": (A.MODERATE, workflow.OPEN_IN[A.MODERATE], "Moderate"),
    "decide": (A.DECIDE, workflow.OPEN_IN[A.DECIDE] - {Status.SCREENING}, "Decide"),
    "publish": (A.PUBLISH, workflow.OPEN_IN[A.PUBLISH], "Publish the decision"),
}


def step(name: str):
    """Wraps a step's view: finds the case among those the officer may read (404 otherwise),
    refuses an officer whose role may not take the step (403), and sends them back to the case
    page, saying why, when the case is not at that step."""
    action, statuses, title = STEPS[name]

    def decorator(view):
        @wraps(view)
        def wrapper(self, request, object_id):
            case = self.get_object(request, object_id)
            if case is None:
                raise Http404("No such business case")
            if not workflow.may(request.user, case, action):
                raise PermissionDenied
            if case.status not in statuses:
                messages.warning(
                    request,
                    f"{title} is not possible now: the case is "
                    f"{case.get_status_display().lower()}.",
                )
                return redirect(self._case_url(case))
            return view(self, request, case)

        return wrapper

    return decorator


def record_view(case: BusinessCase, user) -> None:
    """Officers' reading of a case is on its timeline: once a day for each officer."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    if not Event.objects.filter(
        case=case, kind=Event.Kind.VIEWED, actor=user, at__gte=start
    ).exists():
        Event.objects.create(case=case, kind=Event.Kind.VIEWED, actor=user)


class BlindAware:
    """Leaves out, for a reviewer of a blind case, the fields that name the bidder or people."""

    hidden_when_blind: tuple[str, ...] = ()

    def _unblinded(self, request, obj, fields):
        if obj is not None and access.blind_for(request.user, obj):
            return [f for f in fields if f not in self.hidden_when_blind]
        return list(fields)

    def get_fields(self, request, obj=None):
        return self._unblinded(request, obj, super().get_fields(request, obj))

    def get_readonly_fields(self, request, obj=None):
        return self._unblinded(request, obj, super().get_readonly_fields(request, obj))


class BlindEventInline(BlindAware, EventInline):
    hidden_when_blind = ("actor", "note")


class BlindDocumentInline(BlindAware, DocumentInline):
    hidden_when_blind = ("uploaded_by",)


class BlindClarificationInline(BlindAware, ClarificationInline):
    hidden_when_blind = ("asked_by",)


class StatusFilter(admin.SimpleListFilter):
    """The statuses a case in this list can have: drafts are the bidders' until submitted."""

    title = "status"
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return [(value, label) for value, label in Status.choices if value != Status.DRAFT]

    def queryset(self, request, queryset):
        if self.value() in Status.values:
            return queryset.filter(status=self.value())
        return queryset


class RecommendationFilter(admin.SimpleListFilter):
    title = "machine's recommendation"
    parameter_name = "recommendation"

    def lookups(self, request, model_admin):
        return Recommendation.choices

    def queryset(self, request, queryset):
        if self.value() in Recommendation.values:
            return queryset.filter(machine_recommendation=self.value())
        return queryset


class AssignedToMeFilter(admin.SimpleListFilter):
    title = "assigned to me"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "Assigned to me")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(assignments__reviewer=request.user)
        return queryset


class EvaluatedBusinessCaseAdmin(
    CaseExports, CasePacks, CaseTimeline, OwnPages, BlindAware, BusinessCaseAdmin
):
    """The case admin with the machine's assessments and the officers' steps: evaluation adds
    them, so that bids need not know of evaluation. The case is read here, never edited: every
    change goes through a step."""

    inlines = [
        AssessmentInline,
        DecisionPackInline,
        BlindClarificationInline,
        BlindDocumentInline,
        BlindEventInline,
    ]
    actions = [*BusinessCaseAdmin.actions, "render_decision_packs", "export_cases_csv"]
    change_form_template = "admin/evaluation/case_change_form.html"
    hidden_when_blind = ("organisation_name", "created_by")
    list_display = [
        "reference",
        "service",
        "organisation_name",
        "status",
        "days_in_status",
        "machine_total",
        "machine_recommendation",
        "consensus_total",
    ]
    list_filter = [
        StatusFilter,
        "service__portfolio",
        # Every district, not only those with cases: RelatedOnlyFieldListFilter reads the
        # districts of every case's service on every page.
        "service__districts",
        RecommendationFilter,
        AssignedToMeFilter,
    ]
    list_select_related = ["organisation", "service", "consensus"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "reference",
                    "service",
                    "organisation_name",
                    "created_by",
                    "status",
                    "days_in_status",
                    "submitted_at",
                    "assessed_at",
                    "blind_review",
                ]
            },
        ),
        ("The business case as submitted", {"fields": ["document"]}),
        ("In-house against the bid", {"fields": ["financial_comparison"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        blind = obj is not None and access.blind_for(request.user, obj)
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        f for f in options["fields"] if not (blind and f in self.hidden_when_blind)
                    ],
                },
            )
            for name, options in self.fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        return [f for _, options in self.get_fieldsets(request, obj) for f in options["fields"]]

    def has_change_permission(self, request, obj=None):
        return False  # read here; changed only through the steps and actions

    def get_queryset(self, request):
        latest = Assessment.objects.filter(case=OuterRef("pk")).order_by("-created_at")
        cases = access.readable_cases(request.user, super().get_queryset(request))
        # The list shows neither the answers nor the whole assessment: it reads neither
        # (list_defer); the latest assessment's total and reading are subqueries.
        return cases.annotate(
            machine_total=Subquery(
                latest.values("total")[:1],
                output_field=DecimalField(max_digits=5, decimal_places=1),
            ),
            machine_recommendation=Subquery(latest.values("recommendation")[:1]),
        )

    @admin.display(description="organisation", ordering="organisation__name")
    def organisation_name(self, case):
        return "Anonymised" if case.anonymised_at else case.organisation.name

    @admin.display(description="days in status", ordering="status_changed_at")
    def days_in_status(self, case):
        if case.status_changed_at is None:
            return None
        return (timezone.now() - case.status_changed_at).days

    @admin.display(description="machine total", ordering="machine_total")
    def machine_total(self, case):
        return case.machine_total

    @admin.display(description="machine's reading", ordering="machine_recommendation")
    def machine_recommendation(self, case):
        return case.machine_recommendation

    @admin.display(description="consensus total")
    def consensus_total(self, case):
        consensus = getattr(case, "consensus", None)
        return consensus.total if consensus and consensus.recorded_at else None

    @admin.display(description="")
    def document(self, case):
        return render_to_string(
            "admin/evaluation/_document.html",
            {"document": reading.case_document(case, blind=self._blind(case))},
        )

    @admin.display(description="")
    def financial_comparison(self, case):
        return render_to_string(
            "admin/evaluation/_comparison.html",
            {"comparison": reading.comparison(case, case.assessments.first())},
        )

    def _blind(self, case) -> bool:
        return getattr(case, "_blind", False)

    def get_object(self, request, object_id, from_field=None):
        case = super().get_object(request, object_id, from_field)
        if case is not None:
            case._blind = access.blind_for(request.user, case)
        return case

    def get_list_display(self, request):
        if access.reads_every_case(request.user):
            return self.list_display
        # Reviewers: blind cases must not name their bidders, so the list names none.
        return [f for f in self.list_display if f not in self.hidden_when_blind]

    def get_urls(self):
        steps = [
            path(
                f"<path:object_id>/{name}/",
                self.admin_site.admin_view(getattr(self, f"{name}_view")),
                name=f"bids_businesscase_{name}",
            )
            for name in STEPS
        ]
        return [
            *steps,
            *self.pack_urls(),
            *self.export_urls(),
            *self.timeline_urls(),
            *super().get_urls(),
        ]

    # --- The case page -----------------------------------------------------------------------

    def steps_for(self, request, case) -> list[tuple[str, str]]:
        """(title, url) of each step this officer may take on the case now."""
        return [
            (title, reverse(f"admin:bids_businesscase_{name}", args=[case.pk]))
            for name, (action, statuses, title) in STEPS.items()
            if case.status in statuses and workflow.may(request.user, case, action)
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if case is not None:
            record_view(case, request.user)
            extra_context["steps"] = self.steps_for(request, case)
            timeline = reverse("admin:bids_businesscase_timeline", args=[case.pk])
            extra_context["steps"].append(("Full timeline", timeline))
            if versions.may_read(request.user):
                packs = reverse("admin:bids_businesscase_packs", args=[case.pk])
                extra_context["steps"].append(("Decision packs", packs))
            extra_context["steps"] += self.export_steps(request, case)
        return super().change_view(request, object_id, form_url, extra_context)

    # --- The steps -----------------------------------------------------------------------------

    def _case_url(self, case) -> str:
        return reverse("admin:bids_businesscase_change", args=[case.pk])

    def _render(self, request, case, template, **context):
        return self.render_page(
            request, template, original=case, case=case, case_url=self._case_url(case), **context
        )

    def _done(self, request, case, message):
        messages.success(request, message)
        return redirect(self._case_url(case))

    @step("screen")
    def screen_view(self, request, case):
        suggested = screening.suggested(case)
        form = ScreeningForm(
            request.POST or None,
            initial={"route": Route.KENT, "outcome": "pass", **suggested},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                screening.screen(
                    case=case,
                    by=request.user,
                    route=data["route"],
                    checks=form.checks(),
                    outcome=data["outcome"],
                    ground=data["ground"],
                    reasons=data["reasons"],
                    question=data["question"],
                )
            except (screening.ScreeningError, workflow.WorkflowError) as e:
                form.add_error(None, str(e))
            else:
                return self._done(request, case, f"{case.reference} screened.")
        return self._render(
            request,
            case,
            "step_form.html",
            title=f"Screen {case.reference}",
            form=form,
            suggested=suggested,
            history=case.screenings.select_related("screened_by"),
            submit="Record the screening",
        )

    @step("assign")
    def assign_view(self, request, case):
        form = AssignForm(request.POST or None, case=case, initial={"blind": case.blind_review})
        if request.method == "POST" and form.is_valid():
            errors = []
            BusinessCase.objects.filter(pk=case.pk).update(blind_review=form.cleaned_data["blind"])
            for reviewer in form.cleaned_data["reviewers"]:
                try:
                    assignments.assign(case=case, reviewer=reviewer, by=request.user)
                except (assignments.AssignmentError, workflow.WorkflowError) as e:
                    errors.append(str(e))
            for error in errors:
                messages.error(request, error)
            if not errors:
                return self._done(request, case, "Reviewers assigned: each has been emailed.")
        return self._render(
            request,
            case,
            "assign.html",
            title=f"Assign reviewers to {case.reference}",
            form=form,
            assigned=case.assignments.select_related("reviewer"),
            submit="Assign",
        )

    @step("moderate")
    def moderate_view(self, request, case):
        rows = moderation.table(case)
        framework = framework_of(case)
        form = ScoresForm(
            request.POST or None,
            criteria=[row.criterion for row in rows],
            initial_scores={
                row.criterion.pk: (row.consensus_score, row.consensus_reason) for row in rows
            },
            text_label="Reason",
        )
        if request.method == "POST" and form.is_valid():
            final = "record" in request.POST
            try:
                moderation.record(case=case, by=request.user, scores=form.scores(), final=final)
            except (moderation.ModerationError, workflow.WorkflowError) as e:
                form.add_error(None, str(e))
            else:
                if final:
                    return self._done(request, case, "Consensus recorded.")
                messages.success(request, "Consensus saved as a draft.")
                return redirect(request.path)
        consensus = getattr(case, "consensus", None)
        return self._render(
            request,
            case,
            "moderate.html",
            title=f"Moderate {case.reference}",
            form=form,
            rows=list(zip(rows, form.rows(), strict=True)),
            reviewers=[name for name, _, _ in rows[0].reviews] if rows else [],
            assessment=case.assessments.filter(framework=framework).first(),
            consensus=consensus,
        )

    @step("decide")
    def decide_view(self, request, case):
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                decisions.decide(case=case, by=request.user, **form.cleaned_data)
            except (decisions.DecisionError, workflow.WorkflowError) as e:
                form.add_error(None, str(e))
            else:
                return self._done(request, case, f"Decision on {case.reference} recorded.")
        return self._render(
            request,
            case,
            "step_form.html",
            title=f"Decide {case.reference}",
            form=form,
            consensus=getattr(case, "consensus", None),
            assessment=case.assessments.first(),
            submit="Record the decision",
        )

    @step("publish")
    def publish_view(self, request, case):
        decision = Decision.objects.filter(case=case).first()
        asked = decisions.asked_to_withhold_name(case)
        if request.method == "POST":
            try:
                decisions.publish(
                    case=case,
                    by=request.user,
                    withhold_name=asked and request.POST.get("withhold_name") == "on",
                )
            except (decisions.DecisionError, workflow.WorkflowError) as e:
                messages.error(request, str(e))
            else:
                return self._done(
                    request, case, "Decision published: the bidder has been sent the letter."
                )
        return self._render(
            request,
            case,
            "publish.html",
            title=f"Publish the decision on {case.reference}",
            decision=decision,
            asked_to_withhold_name=asked,
        )


class ReadableClarificationAdmin(ClarificationAdmin):
    """Questions on the cases the officer may read; reviewers ask only about theirs."""

    def get_queryset(self, request):
        questions = super().get_queryset(request)
        if access.reads_every_case(request.user):
            return questions  # no "exists among every case" to join at 100,000 cases
        readable = access.readable_cases(request.user).filter(pk=OuterRef("case_id"))
        return questions.filter(Exists(readable))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "case" in form.base_fields:
            form.base_fields["case"].queryset = access.readable_cases(request.user).exclude(
                status=Status.DRAFT
            )
        return form


admin.site.unregister(BusinessCase)
admin.site.register(BusinessCase, EvaluatedBusinessCaseAdmin)
admin.site.unregister(Clarification)
admin.site.register(Clarification, ReadableClarificationAdmin)
