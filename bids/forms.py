"""The business-case forms, one per section of the task list, and the small forms around them.

Every form validates what a complete section needs; a draft may hold anything at all (it is kept as
typed), so nothing here is ever required just to save.
"""

from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from kcc_portal.fields import MoneyField, StripsControlCharacters, money

MAX_TERM_YEARS = 10
YEARS = range(1, MAX_TERM_YEARS + 1)

# The most each count may be. Without a bound "99999999999999999999" staff was accepted, submitted
# and scored. Each maximum is far beyond any real bid for one council service, so no honest
# answer is refused, and small enough that scoring stays exact (evaluation/tests/
# test_assessments.py scores the largest values allowed).
# KCC employs about 10,000 people: no one service can transfer twice the council's staff.
MAX_STAFF_TRANSFERRING = 20_000
# Kent has about 1.6 million residents: 100,000 jobs from one service would be a job for one
# resident in sixteen.
MAX_LOCAL_JOBS = 100_000
# Apprenticeships over the term: more than a large employer takes on in a decade.
MAX_APPRENTICESHIPS = 10_000
# Hours a year: 10 million is about 5,000 full-time volunteers, more than any one service has.
MAX_VOLUNTEERING_HOURS = 10_000_000


def whole_number(
    label: str, *, minimum: int = 0, maximum: int | None = None, hint=""
) -> forms.Field:
    validators = [MinValueValidator(minimum)]
    error_messages = {
        "required": f"Enter {label[0].lower() + label[1:]}",
        "invalid": f"{label} must be a whole number, like 12",
        "min_value": f"{label} must be {minimum:,} or more",
    }
    if maximum is not None:
        validators.append(MaxValueValidator(maximum))
        error_messages["max_value"] = f"{label} must be {maximum:,} or less"
    return forms.IntegerField(
        label=label,
        help_text=hint,
        validators=validators,
        error_messages=error_messages,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )


def long_text(label: str, hint: str = "", required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=5000,
        # crispy-forms-gds 2.0.1 appends the character count's id to this attribute, and fails
        # with a KeyError when the field has no hint to have set it first.
        widget=forms.Textarea(attrs={"aria-describedby": ""}),
        error_messages={
            "required": f"Enter {label[0].lower() + label[1:]}",
            "max_length": f"{label} must be 5,000 characters or fewer",
        },
    )


def textarea(name: str, rows: int = 5) -> Field:
    return Field.textarea(name, rows=rows, max_characters=5000, threshold=80)


def choice(label: str, choices, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=hint,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": f"Select {label[0].lower() + label[1:]}"},
    )


class SectionForm(forms.Form):
    """A section of the business case. `layout()` says how it is laid out on its page."""

    def __init__(self, *args, show_errors: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_errors = show_errors
        self.helper = FormHelper()
        self.helper.form_tag = False  # the section page wraps the form: it adds its own buttons
        self.helper.form_show_errors = show_errors
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        return Layout(*self.fields)


class DeliveryModel:
    CHOICES = [
        ("management_buyout", "Management buyout"),
        ("cooperative", "Public-service co-operative"),
        ("mutual", "Mutual"),
        ("social_enterprise", "Social enterprise"),
        ("trading_company", "Trading company"),
        ("teckal", "Teckal company"),
        ("joint_venture", "Joint venture"),
        ("prime_provider", "Prime provider with sub-contractors"),
        ("other", "Other"),
    ]


class ProposalForm(SectionForm):
    scope = choice(
        "How much of the service do you propose to run?",
        [("whole", "The whole service"), ("part", "Part of the service")],
    )
    part_description = long_text(
        "Which part of the service?",
        hint="Only if you propose to run part of it: say which activities, places or people.",
        required=False,
    )
    delivery_model = choice("Delivery model", DeliveryModel.CHOICES)
    delivery_model_other = forms.CharField(
        label="If other, describe the delivery model", required=False, max_length=200
    )
    summary = long_text(
        "Summary of your proposal",
        hint="What you would do differently, and why it would be better for the people who use "
        "the service.",
    )

    def layout(self):
        return Layout(
            Field.radios("scope", legend_size=Size.MEDIUM),
            textarea("part_description", rows=3),
            Field.radios("delivery_model", legend_size=Size.MEDIUM),
            Field.text("delivery_model_other"),
            textarea("summary", rows=8),
        )

    def clean(self):
        data = super().clean()
        if data.get("scope") == "part" and not data.get("part_description"):
            self.add_error("part_description", "Say which part of the service you propose to run")
        if data.get("delivery_model") == "other" and not data.get("delivery_model_other"):
            self.add_error("delivery_model_other", "Describe the delivery model")
        return data


class OutcomesForm(SectionForm):
    service_users = long_text("Outcomes for the people who use the service")
    wellbeing_social = long_text("Social well-being of Kent")
    wellbeing_economic = long_text("Economic well-being of Kent")
    wellbeing_environmental = long_text("Environmental well-being of Kent")
    customer = long_text(
        "Customer", hint="Experience, access and satisfaction of the people served."
    )
    communities = long_text(
        "Communities", hint="Engagement, and decisions taken at the most local level."
    )
    clout = long_text("Clout", hint="Economic growth and regeneration in Kent.")
    cost = long_text("Cost", hint="Savings to the council and the public purse.")
    capabilities = long_text("Capabilities", hint="Talent, skills and local suppliers.")

    def layout(self):
        return Layout(
            textarea("service_users"),
            Fieldset(
                textarea("wellbeing_social", rows=4),
                textarea("wellbeing_economic", rows=4),
                textarea("wellbeing_environmental", rows=4),
                legend="Kent's social, economic and environmental well-being",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                HTML(
                    '<p class="govuk-body">The Kent Commitment\'s five outcomes. '
                    "Say what your proposal would achieve for each.</p>"
                ),
                textarea("customer", rows=4),
                textarea("communities", rows=4),
                textarea("clout", rows=4),
                textarea("cost", rows=4),
                textarea("capabilities", rows=4),
                legend="The five Cs",
                legend_size=Size.MEDIUM,
            ),
        )


class FinanceForm(SectionForm):
    contract_term_years = whole_number(
        "Contract term in years",
        minimum=1,
        maximum=MAX_TERM_YEARS,
        hint=f"From 1 to {MAX_TERM_YEARS} years.",
    )
    transition_costs = MoneyField(
        label="Transition costs",
        help_text="One-off costs of moving the service to you, such as systems and premises.",
    )
    investment = MoneyField(label="Investment you will make", help_text="Over the whole term.")
    external_income = MoneyField(
        label="Yearly income from selling the service to others",
        help_text="What you expect to earn each year from customers other than KCC.",
    )
    big_society_grant = MoneyField(
        label="Big Society Fund start-up grant asked for",
        help_text="Enter 0 if you are not asking for a grant.",
    )
    working_capital = MoneyField(
        label="Working capital available",
        help_text="Cash you can draw on to run the service before KCC's payments arrive.",
    )

    def __init__(self, *args, **kwargs):
        # One price per year, as separate fields so that each has its own label and error.
        for year in YEARS:
            self.base_fields[f"price_year_{year}"] = MoneyField(
                label=f"Price to KCC in year {year}", required=False
            )
        super().__init__(*args, **kwargs)

    def layout(self):
        return Layout(
            Field.text("contract_term_years", field_width=2),
            Fieldset(
                HTML(
                    '<p class="govuk-hint">Fill in a price for each year of the term, and leave '
                    "the later years empty.</p>"
                ),
                *[money(f"price_year_{year}") for year in YEARS],
                legend="Yearly price to KCC",
                legend_size=Size.MEDIUM,
            ),
            money("transition_costs"),
            money("investment"),
            money("external_income"),
            money("big_society_grant"),
            money("working_capital"),
        )

    def clean(self):
        data = super().clean()
        term = data.get("contract_term_years")
        if term is None:
            return data
        for year in YEARS:
            field = f"price_year_{year}"
            if field in self.errors:
                continue
            price = data.get(field)
            if year <= term and price is None:
                self.add_error(field, f"Enter the price to KCC in year {year}")
            elif year > term and price is not None:
                self.add_error(
                    field,
                    f"Year {year} is after the end of a {term}-year term: "
                    "leave it empty or make the term longer",
                )
        return data

    @staticmethod
    def yearly_prices(data) -> list[Decimal]:
        return [data[f"price_year_{y}"] for y in range(1, data["contract_term_years"] + 1)]


class DeliveryForm(SectionForm):
    readiness = long_text(
        "How ready are you to run the service?",
        hint="When you could start, and what must happen first.",
    )
    kpis = long_text(
        "Key performance indicators",
        hint="The measures you would report to KCC, with targets.",
    )
    staff_transferring = whole_number(
        "Number of staff transferring to you (TUPE)",
        maximum=MAX_STAFF_TRANSFERRING,
        hint="Enter 0 if no staff would transfer.",
    )
    pensions = choice(
        "Pensions for transferring staff",
        [
            ("lgps", "Admitted body status in the Local Government Pension Scheme"),
            ("comparable", "A broadly comparable pension scheme"),
            ("not_applicable", "Not applicable: no staff transfer"),
        ],
    )
    pensions_detail = long_text(
        "How you will meet the pension costs", required=False, hint="Optional."
    )

    def layout(self):
        return Layout(
            textarea("readiness"),
            textarea("kpis"),
            Field.text("staff_transferring", field_width=4),
            Field.radios("pensions", legend_size=Size.MEDIUM),
            textarea("pensions_detail", rows=3),
        )

    def clean(self):
        data = super().clean()
        staff, pensions = data.get("staff_transferring"), data.get("pensions")
        if staff and pensions == "not_applicable":
            self.add_error("pensions", "Select how the pensions of transferring staff are met")
        return data


class SocialValueForm(SectionForm):
    local_jobs = whole_number(
        "Jobs for Kent residents", maximum=MAX_LOCAL_JOBS, hint="New or kept, over the term."
    )
    apprenticeships = whole_number(
        "Apprenticeships", maximum=MAX_APPRENTICESHIPS, hint="Over the term."
    )
    volunteering_hours = whole_number(
        "Volunteering hours each year", maximum=MAX_VOLUNTEERING_HOURS
    )
    kent_spend_percent = whole_number(
        "Share of spend with Kent small businesses and voluntary groups, in per cent",
        maximum=100,
        hint="From 0 to 100.",
    )
    commitments = long_text("Other social value commitments", required=False, hint="Optional.")

    def layout(self):
        return Layout(
            Field.text("local_jobs", field_width=4),
            Field.text("apprenticeships", field_width=4),
            Field.text("volunteering_hours", field_width=5),
            Field.text("kent_spend_percent", field_width=3),
            textarea("commitments", rows=4),
        )


class DeclarationsForm(SectionForm):
    accurate = forms.BooleanField(
        label="The information in this business case is true and complete to the best of my "
        "knowledge",
        error_messages={"required": "Confirm that the information is true and complete"},
    )
    authorised = forms.BooleanField(
        label="I am authorised to submit this business case for my organisation",
        error_messages={"required": "Confirm that you are authorised to submit"},
    )
    sharing = forms.BooleanField(
        label="I understand that KCC officers and elected members will read this business case",
        error_messages={"required": "Confirm that you understand who will read it"},
    )
    interests = long_text(
        "Interests to declare",
        required=False,
        hint="Any relationship with KCC officers or members who may assess this case. "
        "Leave empty if there is none.",
    )
    # The bidder's request; an officer decides when publishing (evaluation.review.decisions).
    withhold_name = forms.BooleanField(
        label="Ask KCC not to name your organisation in the public register of decisions",
        help_text="KCC publishes every decision with the service, the outcome and the reasons. "
        "An officer decides whether to withhold your name, for example where it would identify "
        "a person.",
        required=False,
    )

    def layout(self):
        return Layout(
            Field.checkbox("accurate"),
            Field.checkbox("authorised"),
            Field.checkbox("sharing"),
            textarea("interests", rows=3),
            Field.checkbox("withhold_name"),
        )


# --- Repeating sections: consortium members and sub-contractors, and risks ---------------------


class ItemForm(forms.Form):
    """One of the repeated items of a section; laid out by crispy-forms-gds like the rest."""

    def __init__(self, *args, show_errors: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_show_errors = show_errors
        self.helper.layout = Layout(
            *[
                Field.radios(name, small=True, inline=True)
                if isinstance(field.widget, forms.RadioSelect)
                else Field.checkbox(name, small=True)
                if name == "DELETE"
                else money(name)
                if isinstance(field, MoneyField)
                else Field(name)
                for name, field in self.fields.items()
            ]
        )


class PartnerForm(ItemForm):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the partner's name"}
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[("consortium", "Consortium member"), ("subcontractor", "Sub-contractor")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the partner's role"},
    )
    work = forms.CharField(
        label="What they will do",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what the partner will do"},
    )
    turnover = MoneyField(label="Their yearly turnover")
    reserves = MoneyField(label="Their reserves")


class RiskForm(ItemForm):
    LEVELS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]
    description = forms.CharField(
        label="Risk",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Describe the risk"},
    )
    likelihood = forms.ChoiceField(
        label="Likelihood",
        choices=LEVELS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how likely the risk is"},
    )
    impact = forms.ChoiceField(
        label="Impact",
        choices=LEVELS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how great the impact would be"},
    )
    mitigation = forms.CharField(
        label="How you will manage it",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say how you will manage the risk"},
    )


# --- Around the business case -----------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Choose a file",
        help_text="PDF, DOCX, XLSX, ODT or ODS, smaller than 10 MB.",
        error_messages={"required": "Select a file to upload"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("file"))


class WithdrawForm(StripsControlCharacters, forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.textarea("reason", rows=3))


class AnswerForm(StripsControlCharacters, forms.ModelForm):
    class Meta:
        from bids.models import Clarification

        model = Clarification
        fields = ["answer"]
        labels = {"answer": "Your answer"}
        error_messages = {"answer": {"required": "Enter your answer"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.textarea("answer", rows=6))
