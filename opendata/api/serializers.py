"""What each API resource shows. Every field is named here (no `__all__`), so that a field added
to a model is never published by accident."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bids.models import BusinessCase, Outcome, Status
from evaluation.models import Decision, Ground, Recommendation
from opendata import published
from opendata.api import disclosure
from services.models import DeliveryModel, Directorate, District, Portfolio, Service


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["slug", "name"]


class DirectorateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Directorate
        fields = ["slug", "name"]


class ServiceSerializer(serializers.ModelSerializer):
    directorate = DirectorateSerializer()
    districts = DistrictSerializer(many=True, help_text="Empty for a county-wide service.")
    portfolio = serializers.ChoiceField(choices=Portfolio.choices)
    delivery_model = serializers.ChoiceField(
        choices=DeliveryModel.choices, help_text="How the service is delivered today."
    )
    open_for_bids = serializers.SerializerMethodField(help_text="Taking bids today.")
    web_url = serializers.SerializerMethodField(help_text="The service's page in the catalogue.")

    class Meta:
        model = Service
        fields = [
            "slug",
            "name",
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
            "open_for_bids",
            "web_url",
        ]

    def get_open_for_bids(self, service) -> bool:
        return service.is_open_for_bids(self.context.get("today") or timezone.localdate())

    def get_web_url(self, service) -> str:
        return self.context["request"].build_absolute_uri(service.get_absolute_url())


class ServiceRefSerializer(serializers.ModelSerializer):
    portfolio = serializers.ChoiceField(choices=Portfolio.choices)

    class Meta:
        model = Service
        fields = ["slug", "name", "portfolio"]


class DecisionSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="case.reference", help_text="RTB-<year>-<number>")
    service = ServiceRefSerializer(source="case.service")
    bidder = serializers.SerializerMethodField(
        help_text="The organisation that made the bid; null where it is not published."
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    ground = serializers.SerializerMethodField(
        help_text="The statutory ground (SI 2012/1647, Schedule) of a rejection; null otherwise."
    )

    class Meta:
        model = Decision
        fields = [
            "reference",
            "service",
            "bidder",
            "outcome",
            "ground",
            "reasons",
            "decided_at",
            "published_at",
        ]

    def get_bidder(self, decision) -> str | None:
        return published.named_bidder(decision)

    @extend_schema_field(serializers.ChoiceField(choices=Ground.choices, allow_null=True))
    def get_ground(self, decision):
        return decision.ground or None


class CriterionScoreSerializer(serializers.Serializer):
    """One criterion's machine score, read from Assessment.scores (evaluation/scoring)."""

    key = serializers.CharField()
    title = serializers.CharField()
    group = serializers.CharField()
    score = serializers.IntegerField(help_text="0 to 5.")
    weight = serializers.DecimalField(max_digits=8, decimal_places=2)
    weighted = serializers.DecimalField(max_digits=8, decimal_places=2)
    threshold = serializers.IntegerField(allow_null=True)
    passed = serializers.BooleanField(help_text="The score met the criterion's threshold.")
    rule = serializers.CharField(help_text="Why the machine gave this score.")
    figures = serializers.DictField(help_text="The figures the rule read.")


class AssessmentSerializer(serializers.Serializer):
    framework = serializers.CharField(help_text="The criteria framework and its version.")
    engine_version = serializers.CharField()
    total = serializers.DecimalField(max_digits=5, decimal_places=1, help_text="0 to 100.")
    recommendation = serializers.ChoiceField(choices=Recommendation.choices)
    failed_thresholds = serializers.ListField(
        child=serializers.CharField(), help_text="Keys of the criteria below their threshold."
    )
    reasons = serializers.ListField(child=serializers.CharField())
    scores = CriterionScoreSerializer(many=True)
    whole_life = serializers.DictField(
        child=serializers.CharField(), help_text="Whole-life cost figures (Green Book)."
    )
    created_at = serializers.DateTimeField()


class CaseSerializer(serializers.ModelSerializer):
    service = ServiceRefSerializer()
    status = serializers.ChoiceField(choices=Status.choices)
    outcome = serializers.SerializerMethodField(help_text="Null until decided.")
    organisation = serializers.SerializerMethodField(
        help_text="The bidder; null to a reviewer of a blind case, and once anonymised."
    )
    assessment = serializers.SerializerMethodField(
        help_text="The machine's latest assessment; null until it has assessed the case."
    )

    class Meta:
        model = BusinessCase
        fields = [
            "reference",
            "title",
            "service",
            "organisation",
            "status",
            "outcome",
            "submitted_at",
            "status_changed_at",
            "assessment",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=Outcome.choices, allow_null=True))
    def get_outcome(self, case):
        return case.outcome or None

    def get_organisation(self, case) -> str | None:
        return disclosure.bidder_name_for_officer(self.context["request"].user, case)

    @extend_schema_field(AssessmentSerializer(allow_null=True))
    def get_assessment(self, case):
        # Prefetched newest first by the view (one query per page, whatever its length).
        newest = case.newest_assessments[0] if case.newest_assessments else None
        return None if newest is None else AssessmentSerializer(newest).data
