"""A submitted business case as officers read it: each section of "check your answers", in the
bidder's wording, with names withheld from reviewers of a blind case."""

from dataclasses import dataclass

from bids import sections

BLIND_FIELDS = {"name"}  # a partner's name identifies the bid as surely as the bidder's


@dataclass(frozen=True)
class Part:
    title: str
    rows: list[tuple[str, str]]


def case_document(case, *, blind: bool) -> list[Part]:
    parts = []
    for section in sections.SECTIONS:
        form = section.form(case, show_errors=False)
        if blind and isinstance(form, sections.Repeating):
            rows = _blind_items(form)
        else:
            rows = sections.display_rows(form)
        parts.append(Part(section.title, rows))
    return parts


def _blind_items(form) -> list[tuple[str, str]]:
    rows = []
    if not form.is_valid():
        return rows
    if form.question_form is not None:
        field = form.question_form.fields["has_items"]
        rows.append((field.label, sections._display(field, form.cleaned_data["has_items"])))
    fields = form.item_form.base_fields
    for number, item in enumerate(form.cleaned_data["items"], start=1):
        text = "; ".join(
            f"{fields[n].label}: {sections._display(fields[n], v)}"
            for n, v in item.items()
            if n in fields and n not in BLIND_FIELDS
        )
        rows.append((f"{form.item_name.capitalize()} {number}", text))
    return rows
