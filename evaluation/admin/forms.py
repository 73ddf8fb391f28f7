"""The officers' forms: they collect what each step needs and nothing else. The rules (who may,
when, what must be given) are the domain functions' (evaluation/review/), which the views call."""

from django import forms
from django.db.models import Q

from accounts.models import User
from accounts.roles import Role
from evaluation.models import Decision, Ground, Route, Screening

SCORES = [("", "Not scored yet")] + [(str(n), str(n)) for n in range(6)]


def ground_field() -> forms.ChoiceField:
    """The ten statutory grounds of rejection, asked for when rejecting."""
    return forms.ChoiceField(
        label="Statutory ground",
        required=False,
        choices=[("", "Choose a ground"), *Ground.choices],
        help_text="Only when rejecting.",
    )


def text_field(label: str, *, required: bool, rows: int, hint: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=hint,
    )


class ScreeningForm(forms.Form):
    route = forms.ChoiceField(
        label="Route the bidder chose", choices=Route.choices, widget=forms.RadioSelect
    )
    outcome = forms.ChoiceField(
        label="Outcome", choices=Screening.Outcome.choices, widget=forms.RadioSelect
    )
    question = forms.CharField(
        label="Question for the bidder",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only when asking a clarification: the bidder is emailed and the case waits.",
    )
    ground = ground_field()
    reasons = text_field(
        "Reasons",
        required=False,
        rows=4,
        hint="Required when rejecting; they go in the decision letter.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One checkbox for each item of the checklist, worded as the model words it, after the
        # route and before the outcome.
        fields = list(self.fields.items())
        checks = {
            name: forms.BooleanField(
                label=Screening._meta.get_field(name).verbose_name.capitalize(), required=False
            )
            for name in Screening.CHECKS
        }
        self.fields = dict([fields[0], *checks.items(), *fields[1:]])

    def checks(self) -> dict[str, bool]:
        return {name: self.cleaned_data[name] for name in Screening.CHECKS}


def reviewer_choices(case):
    """Active reviewers, except those who work in the service under challenge."""
    return (
        User.objects.filter(is_active=True, groups__name=Role.REVIEWER)
        .exclude(Q(works_in=case.service_id) | Q(assignments__case=case))
        .order_by("full_name", "email")
        .distinct()
    )


class AssignForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label="Reviewers to assign",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Reviewers who work in the service under challenge are not listed.",
    )
    blind = forms.BooleanField(
        label="Blind review: reviewers see no organisation or people's names",
        required=False,
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewer_choices(case)


class DeclarationForm(forms.Form):
    has_interest = forms.TypedChoiceField(
        label="Do you have an interest to declare in this business case?",
        choices=[
            ("no", "No: I have no interest in the bidder, its partners or this proposal"),
            ("yes", "Yes: I have an interest (I will not review this case)"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="For example a family, financial, employment or other close relationship with "
        "the bidder, a consortium member or a sub-contractor.",
    )
    interest = forms.CharField(
        label="Describe the interest",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ScoresForm(forms.Form):
    """A score and a comment (or reason) for each criterion, named by the criterion's id."""

    def __init__(self, *args, criteria, initial_scores=None, text_label="Comment", **kwargs):
        super().__init__(*args, **kwargs)
        initial_scores = initial_scores or {}
        self.criteria = list(criteria)
        for criterion in self.criteria:
            score, text = initial_scores.get(criterion.pk, (None, ""))
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.title}: score",
                choices=SCORES,
                coerce=int,
                empty_value=None,
                required=False,
                initial="" if score is None else str(score),
            )
            self.fields[f"text_{criterion.pk}"] = forms.CharField(
                label=f"{criterion.title}: {text_label.lower()}",
                required=False,
                max_length=5000,
                initial=text,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> dict[int, tuple[int | None, str]]:
        return {
            c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"text_{c.pk}"].strip())
            for c in self.criteria
        }

    def rows(self):
        """(criterion, score field, text field) for the template."""
        return [(c, self[f"score_{c.pk}"], self[f"text_{c.pk}"]) for c in self.criteria]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decision", choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    ground = ground_field()
    modification = text_field(
        "Modification agreed with the bidder",
        required=False,
        rows=3,
        hint="Only when accepting with a modification.",
    )
    reasons = text_field(
        "Reasons", required=True, rows=5, hint="They go in the decision letter to the bidder."
    )
