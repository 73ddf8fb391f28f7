"""The business case as submitted: every section's validated, typed answers and the questions as
they were worded on the day, kept on the case beside the raw draft.

Scoring, the officers' pages and the decision pack read this record, never the live forms, so a
form changed later (a new question, a reworded label, a tighter limit) cannot change how an old
case reads or scores. `SCHEMA_VERSION` says which shape a record has; a reader meeting a newer or
older shape knows it.

    {"version": 1,
     "sections": [{"key": "finance", "title": "Financial case",
                   "values": {"contract_term_years": 3,
                              "transition_costs": {"$decimal": "50000"}, ...},
                   "rows": [["Contract term in years", "3"], ...],
                   "blind_rows": [...]}]}   # the same, with names withheld from blind reviewers
"""

from decimal import Decimal

from bids import sections

SCHEMA_VERSION = 1
# Withheld from reviewers of a blind case: a partner's name identifies the bid like the bidder's.
BLIND_WITHHELD = frozenset({"name"})


class NotSubmitted(ValueError):
    """The case has no record: it was never submitted, or its record was anonymised."""


def _encode(value):
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def _decode(value):
    if isinstance(value, dict):
        if set(value) == {"$decimal"}:
            return Decimal(value["$decimal"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


class _Answers:
    """What Section.form reads of a case: only its draft answers (a migration has no model)."""

    def __init__(self, answers: dict):
        self.answers = answers


def build(answers: dict) -> dict:
    """The record of a complete draft's answers. Raises ValueError if a section does not
    validate (submission checks completeness first)."""
    case = _Answers(answers)
    parts = []
    for section in sections.SECTIONS:
        form = section.form(case)
        if not form.is_valid():
            raise ValueError(f"Section {section.key!r} is not complete")
        values = dict(form.cleaned_data)
        if isinstance(form, sections.Repeating):
            values["items"] = [
                {k: v for k, v in item.items() if k != "DELETE"} for item in values["items"]
            ]
        parts.append(
            {
                "key": section.key,
                "title": section.title,
                "values": _encode(values),
                "rows": [list(row) for row in sections.display_rows(form)],
                "blind_rows": [
                    list(row) for row in sections.display_rows(form, withhold=BLIND_WITHHELD)
                ],
            }
        )
    return {"version": SCHEMA_VERSION, "sections": parts}


def _sections(case) -> list[dict]:
    record = case.record or {}
    if not record.get("sections"):
        raise NotSubmitted(f"{case} has no submitted record")
    return record["sections"]


def values(case) -> dict[str, dict]:
    """Every section's typed answers as submitted: {section key: {field: value}}."""
    return {part["key"]: _decode(part["values"]) for part in _sections(case)}


def document(case, *, blind: bool = False) -> list[tuple[str, list[tuple[str, str]]]]:
    """(section title, [(question, answer), ...]) as submitted, names withheld if `blind`."""
    key = "blind_rows" if blind else "rows"
    return [(part["title"], [tuple(row) for row in part[key]]) for part in _sections(case)]
