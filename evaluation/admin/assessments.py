"""Officers manage criteria frameworks and read the machine's assessments here."""

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join

from evaluation import charts, frameworks, rankings
from evaluation.models import Assessment, Criterion, Framework
from kcc_portal.admin_lists import LatestInline, ScaledAdmin


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "key", "title", "group", "weight", "threshold", "how_assessed"]

    def _editable(self, obj):
        return obj is None or not obj.is_frozen

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Framework)
class FrameworkAdmin(ScaledAdmin, admin.ModelAdmin):
    list_display = ["name", "version", "is_current", "frozen_at", "criterion_count"]
    list_filter = ["is_current", "name"]
    search_fields = ["name", "notes"]
    readonly_fields = ["is_current", "frozen_at", "created_at"]
    fields = ["name", "version", "notes", "is_current", "frozen_at", "created_at"]
    inlines = [CriterionInline]
    actions = ["make_new_version", "make_current"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(criterion_count=Count("criteria"))

    @admin.display(description="criteria", ordering="criterion_count")
    def criterion_count(self, obj):
        return obj.criterion_count

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return [*self.readonly_fields, "name", "version", "notes"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.is_frozen) and super().has_delete_permission(request, obj)

    @admin.action(
        description="Make a new version to edit (frozen frameworks cannot change)",
        permissions=["add"],
    )
    def make_new_version(self, request, queryset):
        for framework in queryset:
            try:
                copy = frameworks.new_version(framework, by=request.user)
            except frameworks.FrameworkError as e:
                self.message_user(request, str(e), messages.ERROR)
                return
            self.message_user(request, f"Made {copy}: edit it, then make it current.")

    @admin.action(
        description="Make current: score new business cases against it", permissions=["change"]
    )
    def make_current(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one framework.", messages.ERROR)
            return
        framework = queryset.get()
        try:
            frameworks.make_current(framework, by=request.user)
        except frameworks.FrameworkError as e:
            self.message_user(request, str(e), messages.ERROR)
            return
        self.message_user(request, f"{framework} is now current.")


def _reasons(assessment: Assessment):
    return format_html(
        "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in assessment.reasons))
    )


def _chart(assessment: Assessment):
    return format_html("{}{}", charts.score_chart(assessment.scores), charts.legend())


@admin.register(Assessment)
class AssessmentAdmin(ScaledAdmin, admin.ModelAdmin):
    list_display = ["case", "framework", "recommendation", "total", "disqualified", "created_at"]
    list_filter = ["recommendation", "framework", "case__service__portfolio"]
    list_select_related = ["case", "framework"]
    search_fields = ["case__reference", "case__organisation__name", "case__service__name"]
    # The list shows the total and whether a threshold failed, not the scores and reasons.
    list_defer = ("scores", "reasons", "whole_life", "sensitivity", "case__answers", "case__record")

    def get_queryset(self, request):
        from evaluation.review import access

        assessments = super().get_queryset(request)
        if access.reads_every_case(request.user):
            return assessments  # no "case in (every case)" to join at 100,000 cases
        return assessments.filter(case__in=access.readable_cases(request.user))

    fields = [
        "case",
        "framework",
        "engine_version",
        "recommendation",
        "total",
        "chart",
        "reasons_list",
        "criteria_table",
        "whole_life_costs",
        "sensitivity_summary",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(boolean=True)
    def disqualified(self, obj):
        return obj.disqualified

    @admin.display(description="Scores against thresholds")
    def chart(self, obj):
        return _chart(obj)

    @admin.display(description="Reasons")
    def reasons_list(self, obj):
        return _reasons(obj)

    @admin.display(description="Each criterion")
    def criteria_table(self, obj):
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    s.get("title", s["key"]),
                    s["score"],
                    s["weight"],
                    s["rule"],
                    "; ".join(f"{k}: {v}" for k, v in s.get("figures", {}).items()),
                )
                for s in obj.scores
            ),
        )
        return format_html(
            "<table><thead><tr><th>Criterion</th><th>Score</th><th>Weight</th><th>Rule</th>"
            "<th>Figures</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description="Whole-life cost")
    def whole_life_costs(self, obj):
        # A list, not "<br>"-joined: format_html_join escapes its separator.
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}: {}</li>", obj.whole_life.items())
        )

    @admin.display(description="Sensitivity (weights ±20%)")
    def sensitivity_summary(self, obj):
        return format_html_join("", "<p>{}</p>", ((line,) for line in sensitivity_lines(obj)))


def sensitivity_lines(assessment: Assessment) -> list[str]:
    """The sensitivity analysis in sentences, for officers."""
    weights = assessment.sensitivity.get("weights")
    if not weights:
        return ["Not measured."]
    flips = weights["flips"]
    lines = [
        f"One weight at a time, ±20%: the {weights['recommendation']} recommendation "
        + (f"changes for {', '.join(flips)}." if flips else "holds for every criterion.")
    ]
    if weights["samples"]:
        lines.append(
            f"Random weights within ±20%: it holds in {weights['held']} of {weights['samples']} "
            f"samples (seed {weights['seed']}); the total ranges from {weights['lowest_total']} "
            f"to {weights['highest_total']}."
        )
    # Worked out now, over the service's live bids (one that an older engine stored with the
    # assessment covered only the bids assessed before it: not read).
    ranking = rankings.ranking_of(assessment)
    if ranking is not None:
        order = ", ".join(f"{b.id} ({b.total})" for b in ranking.order)
        lines.append(f"Bids for this service, best first: {order}.")
        if ranking.samples:
            lines.append(
                f"That order holds in {ranking.order_held} of {ranking.samples} random "
                f"weightings; the top bid stays top in {ranking.top_held}."
            )
    return lines


class AssessmentInline(LatestInline, admin.StackedInline):
    """The case's assessments, one for each framework version it was scored against: the
    latest ten."""

    model = Assessment
    shown = 10
    newest_first = ("-created_at", "-pk")
    extra = 0
    can_delete = False
    fields = ["framework", "recommendation", "total", "chart", "reasons_list"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("framework")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Scores against thresholds")
    def chart(self, obj):
        return _chart(obj)

    @admin.display(description="Reasons")
    def reasons_list(self, obj):
        return _reasons(obj)
