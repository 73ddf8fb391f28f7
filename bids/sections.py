"""The sections of a business case: their order, their forms, and the state of each in a draft.

A draft keeps every section exactly as typed (less control characters, which cannot be stored:
see `save_draft`): `case.answers[key] = {"data": {field: [values]},
"checked": bool}`, "checked" meaning the bidder last saved it with "Save and continue" (so its
errors are shown) rather than by autosave. Whether a section is complete is never stored: it is
whether its answers validate now, so it can never disagree with them.
"""

from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.utils.datastructures import MultiValueDict

from bids import forms as f
from kcc_portal.text import strip_from_lists

IGNORED_FIELDS = {"csrfmiddlewaretoken", "action", "autosave"}


def to_querydict(data: dict[str, list[str]] | None) -> MultiValueDict | None:
    return None if data is None else MultiValueDict(data)


def from_post(post) -> dict[str, list[str]]:
    """What the bidder typed, as JSON-able lists: buttons and the CSRF token left out."""
    return {k: v for k, v in post.lists() if k not in IGNORED_FIELDS}


class Repeating:
    """A yes/no question and a list of repeated items (partners, risks) as one section form.

    Mimics a form (`is_valid`, `errors`, `cleaned_data`) so that every section is handled alike.
    """

    item_form: type[forms.Form]
    prefix: str
    question: str | None = None  # a yes/no question that must be "yes" for items to be needed
    item_name: str = "item"
    min_items_message: str = ""
    # Far more than any bid needs; without a bound a posted TOTAL_FORMS of thousands made the
    # page build thousands of empty forms (Django's own bound is 2,000).
    max_items: int = 50

    def __init__(self, data=None, *, show_errors: bool = True):
        self.data = data
        self.is_bound = data is not None
        self.show_errors = show_errors
        formset_class = forms.formset_factory(
            self.item_form,
            extra=1,
            can_delete=True,
            max_num=self.max_items,
            absolute_max=self.max_items,
            validate_max=True,
        )
        self.formset = formset_class(
            data=data,
            prefix=self.prefix,
            form_kwargs={"show_errors": show_errors},
            error_messages={
                "too_many_forms": f"You can add at most {self.max_items} {self.item_name}s",
                # Only a page not sent by this service's form lacks the hidden count of items.
                "missing_management_form": f"The number of {self.item_name}s is missing: go "
                "back to the task list and open this section again",
            },
        )
        self.question_form = self.make_question_form(data) if self.question else None

    def make_question_form(self, data):
        class Question(f.SectionForm):
            has_items = forms.ChoiceField(
                label=self.question,
                choices=[("yes", "Yes"), ("no", "No")],
                widget=forms.RadioSelect,
                error_messages={"required": "Select yes or no"},
            )

            def layout(self):
                return f.Layout(f.Field.radios("has_items", legend_size=f.Size.MEDIUM, inline=True))

        return Question(data=data, show_errors=self.show_errors)

    @property
    def wants_items(self) -> bool:
        if self.question_form is None:
            return True
        return (
            self.question_form.is_valid() and self.question_form.cleaned_data["has_items"] == "yes"
        )

    @cached_property
    def items(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.formset.forms
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def is_valid(self) -> bool:
        return self.is_bound and not self.errors

    @cached_property
    def errors(self) -> list[tuple[str, str]]:
        """(field id, message) pairs in page order, for the error summary."""
        if not self.is_bound:
            return []
        errors = []
        if self.question_form is not None and not self.question_form.is_valid():
            for message in self.question_form.errors.get("has_items", []):
                errors.append(("id_has_items_1", message))
            return errors
        if not self.wants_items:
            return errors
        first = f"id_{self.prefix}-0-{next(iter(self.item_form.base_fields))}"
        if self.formset.non_form_errors():
            # Too many items, or the count of items missing: the items cannot be trusted.
            return errors + [(first, message) for message in self.formset.non_form_errors()]
        if not self.formset.is_valid():
            for form in self.formset.forms:
                for name, messages in form.errors.items():
                    suffix = "_1" if isinstance(form.fields[name].widget, forms.RadioSelect) else ""
                    errors.extend((f"id_{form.add_prefix(name)}{suffix}", m) for m in messages)
        elif not self.items:
            errors.append((first, self.min_items_message))
        return errors

    @property
    def cleaned_data(self) -> dict:
        has = self.question_form.cleaned_data["has_items"] if self.question_form else "yes"
        return {"has_items": has, "items": self.items if has == "yes" else []}


class PartnersForm(Repeating):
    item_form = f.PartnerForm
    prefix = "partners"
    question = "Will you work with consortium members or sub-contractors?"
    item_name = "partner"
    min_items_message = "Add at least one consortium member or sub-contractor, or answer No"


class RisksForm(Repeating):
    item_form = f.RiskForm
    prefix = "risks"
    item_name = "risk"
    min_items_message = "Add at least one risk and how you will manage it"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    form_class: type
    intro: str = ""

    def form(self, case, *, data=None, show_errors=None):
        """The section's form, bound to `data` if given, else to what the draft holds."""
        stored = case.answers.get(self.key)
        if data is None and stored is not None:
            data = to_querydict(stored["data"])
            show_errors = stored.get("checked", False) if show_errors is None else show_errors
        return self.form_class(data=data, show_errors=True if show_errors is None else show_errors)

    def state(self, case) -> str:
        """Completed only when the bidder said so ("Save and continue") and the answers
        validate: "Save and come back later" and autosave leave a section in progress."""
        stored = case.answers.get(self.key)
        if stored is None:
            return "not_started"
        if stored.get("checked") and self.form(case).is_valid():
            return "completed"
        return "in_progress"


SECTIONS = [
    Section(
        "proposal",
        "Your proposal",
        f.ProposalForm,
        "Whether you propose to run the whole service or part of it, and how.",
    ),
    Section(
        "outcomes",
        "Outcomes",
        f.OutcomesForm,
        "What your proposal would achieve for the people who use the service and for Kent.",
    ),
    Section(
        "finance",
        "Financial case",
        f.FinanceForm,
        "The price to KCC each year, one-off costs, income and the money behind the bid.",
    ),
    Section(
        "delivery",
        "Delivery and staffing",
        f.DeliveryForm,
        "How ready you are, how performance will be measured, and staff who would transfer.",
    ),
    Section(
        "partners",
        "Consortium members and sub-contractors",
        PartnersForm,
        "Each organisation you would work with, and its financial standing.",
    ),
    Section(
        "social_value",
        "Social value",
        f.SocialValueForm,
        "Local jobs, apprenticeships, volunteering and spend with Kent businesses.",
    ),
    Section("risks", "Risks", RisksForm, "What could go wrong, and how you would manage it."),
    Section(
        "declarations",
        "Declarations",
        f.DeclarationsForm,
        "Confirm that the business case is true, and declare any interests.",
    ),
]
BY_KEY = {section.key: section for section in SECTIONS}


def section_errors(form) -> list[tuple[str, str]]:
    """(field id, message) pairs for the GOV.UK error summary, whatever the kind of form."""
    if isinstance(form, Repeating):
        return form.errors
    pairs = []
    for name, messages in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS:
            pairs.extend(("", m) for m in messages)
            continue
        field = form.fields[name]
        # crispy-forms-gds numbers radio buttons from 1: link to the first.
        suffix = "_1" if isinstance(field.widget, forms.RadioSelect) else ""
        pairs.extend((f"id_{name}{suffix}", m) for m in messages)
    return pairs


class NotADraft(Exception):
    """The case was submitted (or withdrawn) meanwhile: its answers can no longer change."""


def save_draft(*, case, key: str, data: dict[str, list[str]], checked: bool) -> int:
    """Keeps one section's answers as typed, and returns how many characters had to be removed
    first (control characters: see kcc_portal/text.py), for the view to tell the bidder.

    Answers are stored before they are validated, so this is the boundary where they are
    cleaned: PostgreSQL's jsonb refuses NUL in names and values alike, and one NUL pasted from a
    PDF used to lose every answer of the save. The case's row is locked and re-read first, so
    that two tabs saving different sections at once both keep their work (the answers of all
    sections live in one JSON field), and nothing is saved into a case submitted meanwhile."""
    from django.db import transaction

    from bids.models import BusinessCase, Status

    data, removed = strip_from_lists(data.items())
    with transaction.atomic():
        fresh = BusinessCase.objects.select_for_update().get(pk=case.pk)
        if fresh.status != Status.DRAFT:
            raise NotADraft
        fresh.answers[key] = {"data": data, "checked": checked}
        fresh.save(update_fields=["answers", "updated_at"])
    case.answers, case.updated_at = fresh.answers, fresh.updated_at
    return removed


def states(case) -> list[tuple[Section, str]]:
    """Each section with its state, validating each section's answers once."""
    return [(section, section.state(case)) for section in SECTIONS]


def incomplete(case, section_states=None) -> list[Section]:
    return [s for s, state in section_states or states(case) if state != "completed"]


def cleaned(case) -> dict[str, dict]:
    """Every section's validated answers. Only for a complete case (a submitted one is)."""
    result = {}
    for section in SECTIONS:
        form = section.form(case)
        if not form.is_valid():
            raise ValueError(f"Section {section.key!r} of {case} is not complete")
        result[section.key] = form.cleaned_data
    return result


def _display(field, value) -> str:
    if value in (None, ""):
        return "Not given"
    if isinstance(field, f.MoneyField):
        return f"£{value:,.2f}".removesuffix(".00")
    if isinstance(field, forms.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(value)


def display_rows(form, *, withhold: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(question, answer) rows of a section for "check your answers", from what validates.
    Repeated items leave out the fields named in `withhold` (a partner's name, in a blind
    review)."""
    if isinstance(form, Repeating):
        if not form.is_valid():
            return []
        rows = []
        if form.question_form is not None:
            field = form.question_form.fields["has_items"]
            rows.append((field.label, _display(field, form.cleaned_data["has_items"])))
        for number, item in enumerate(form.cleaned_data["items"], start=1):
            fields = form.item_form.base_fields
            text = "; ".join(
                f"{fields[n].label}: {_display(fields[n], v)}"
                for n, v in item.items()
                if n in fields and n not in withhold
            )
            rows.append((f"{form.item_name.capitalize()} {number}", text))
        return rows
    if not form.is_valid():
        return []
    return [
        (field.label, _display(field, form.cleaned_data.get(name)))
        for name, field in form.fields.items()
        if not (name.startswith("price_year_") and form.cleaned_data.get(name) is None)
    ]
