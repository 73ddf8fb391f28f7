"""The catalogue's CSV format: the one definition of its columns, read by `import_services` and
written by the admin's export action, so that an export can be edited and imported back.

Every row is parsed and checked before anything is saved, and every problem is reported at once,
named by row and column as a spreadsheet counts them (the header is row 1). An import is all or
nothing. Rows are matched to existing services by name, so importing the same file twice changes
nothing the second time. docs/import-format.md describes the format for the people who fill it in.
"""

import csv
import dataclasses
import datetime
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.utils.text import slugify

from kcc_portal.text import strip_control_characters
from services.models import DeliveryModel, Directorate, District, Portfolio, Service

COLUMNS = (
    "name",
    "directorate",
    "portfolio",
    "districts",
    "gross_budget",
    "net_budget",
    "delivery_model",
    "market_review_tranche",
    "excluded_from_challenge",
    "bid_window_opens",
    "bid_window_closes",
    "figures_illustrative",
    "summary",
)
# A file may leave out the others: a column left out reads as blank on every row.
REQUIRED_COLUMNS = COLUMNS[:7]
COUNTY_WIDE = "County-wide"
DISTRICT_SEPARATOR = ";"

_MONEY = re.compile(r"^(?P<minus>-)?£?(?P<pounds>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<pence>\d+))?$")
_MAX_POUNDS = 10**12  # the budget fields hold 14 digits, two of them pence
_MAX_TRANCHE = 32767  # PositiveSmallIntegerField
_TRUE = {"yes", "true"}
_FALSE = {"no", "false", ""}


class CsvImportError(Exception):
    """The file cannot be imported; `errors` lists every problem found, in row order."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclasses.dataclass(frozen=True)
class ServiceRow:
    """One row, parsed and checked: what a Service will be set to."""

    row: int
    name: str
    directorate: str
    portfolio: str
    county_wide: bool
    districts: tuple[str, ...]  # names of existing districts
    gross_budget: Decimal
    net_budget: Decimal
    delivery_model: str
    market_review_tranche: int | None
    excluded_from_challenge: bool
    bid_window_opens: datetime.date | None
    bid_window_closes: datetime.date | None
    figures_illustrative: bool
    summary: str


@dataclasses.dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    # Control characters removed from the file's cells (see kcc_portal/text.py): PostgreSQL
    # refuses NUL, and a spreadsheet exported from another system can carry them.
    removed_characters: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated


# --- Writing ---------------------------------------------------------------------------------


def service_to_row(service: Service) -> dict[str, str]:
    """A service as one CSV row, in the words a person would type (labels, yes/no, ISO dates)."""
    if service.county_wide:
        districts = COUNTY_WIDE
    else:
        # sorted in Python so that a prefetched `districts` costs no query
        names = sorted(district.name for district in service.districts.all())
        districts = f"{DISTRICT_SEPARATOR} ".join(names)
    return {
        "name": service.name,
        "directorate": service.directorate.name,
        "portfolio": service.get_portfolio_display(),
        "districts": districts,
        "gross_budget": f"{service.gross_budget:.2f}",
        "net_budget": f"{service.net_budget:.2f}",
        "delivery_model": service.get_delivery_model_display(),
        "market_review_tranche": _blank_or_str(service.market_review_tranche),
        "excluded_from_challenge": _yes_no(service.excluded_from_challenge),
        "bid_window_opens": _iso_or_blank(service.bid_window_opens),
        "bid_window_closes": _iso_or_blank(service.bid_window_closes),
        "figures_illustrative": _yes_no(service.figures_illustrative),
        "summary": service.summary,
    }


def write_services(services: Iterable[Service], out: TextIO) -> None:
    """Writes the header and one row per service. Pass services with directorate selected and
    districts prefetched, or this runs two queries a service."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for service in services:
        writer.writerow(service_to_row(service))


def _blank_or_str(value) -> str:
    return "" if value is None else str(value)


def _iso_or_blank(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


# --- Reading ---------------------------------------------------------------------------------


def import_services(file: TextIO, *, dry_run: bool = False) -> ImportResult:
    """Reads every row, then creates or updates the services in one transaction.

    Raises CsvImportError, having saved nothing, if any row has a problem. New directorates are
    created; districts must exist already. With `dry_run` everything is checked and written, then
    rolled back, so that the counts (and any database error) are exactly what a real run gives.
    """
    rows, removed = _read(file)
    with transaction.atomic():
        result = dataclasses.replace(_save(rows), removed_characters=removed)
        if dry_run:
            transaction.set_rollback(True)
    return result


def read_services(file: TextIO) -> list[ServiceRow]:
    """Parses and checks every row against the database; raises CsvImportError listing every
    problem, or returns the rows. Saves nothing."""
    return _read(file)[0]


def _read(file: TextIO) -> tuple[list[ServiceRow], int]:
    """The rows, and how many control characters were removed from the cells."""
    try:
        records = list(csv.reader(file))
    except csv.Error as e:
        raise CsvImportError([f"The file cannot be read as CSV: {e}."]) from e
    removed = 0
    for record in records:
        for i, cell in enumerate(record):
            record[i], count = strip_control_characters(cell)
            removed += count
    if not records or not any(cell.strip() for cell in records[0]):
        raise CsvImportError(
            [f"The file is empty: row 1 must be the header ({', '.join(COLUMNS)})."]
        )
    # A byte-order mark (Excel writes one, and so does the export) is not part of the first name.
    header = [cell.strip().lower() for cell in records[0]]
    header[0] = header[0].lstrip("\ufeff").strip()
    errors = _check_header(header)
    if errors:
        raise CsvImportError(errors)

    parser = _RowParser()
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # spreadsheets leave blank rows; a person does not count them as services
        if len(record) > len(header):
            parser.errors.append(
                f"Row {number}: has {len(record)} cells but the header has {len(header)} columns."
            )
            continue
        values = dict.fromkeys(COLUMNS, "")
        values.update((column, cell.strip()) for column, cell in zip(header, record, strict=False))
        row = parser.parse(number, values)
        if row is not None:
            rows.append(row)
    errors.extend(parser.errors)
    if not errors and not rows:
        errors.append("The file has no services: there are no rows below the header.")
    if errors:
        raise CsvImportError(errors)
    return rows, removed


def _check_header(header: list[str]) -> list[str]:
    errors = []
    for column in REQUIRED_COLUMNS:
        if column not in header:
            errors.append(f'Row 1: the header has no "{column}" column.')
    seen = set()
    for column in header:
        if column not in COLUMNS:
            errors.append(
                f'Row 1: "{column}" is not a column this import reads. '
                f"The columns are: {', '.join(COLUMNS)}."
            )
        elif column in seen:
            errors.append(f'Row 1: the "{column}" column appears more than once.')
        seen.add(column)
    return errors


class _RowParser:
    """Parses rows one by one, remembering what it needs to check rows against each other and
    against the database: known districts, directorates and the names and slugs already taken."""

    def __init__(self):
        self.errors: list[str] = []
        self.districts = {d.name.lower(): d.name for d in District.objects.all()}
        # Directorates by lower-case name and by slug, with those this file will create added
        # as they are met, so that two spellings of one new directorate are caught too.
        directorates = list(Directorate.objects.all())
        self.directorates = {d.name.lower(): d.slug for d in directorates}
        self.directorate_slugs = {d.slug: d.name for d in directorates}
        self.existing = dict(Service.objects.values_list("slug", "name"))
        self.existing_names = set(self.existing.values())
        self.seen: dict[str, tuple[int, str]] = {}  # slug -> (row, name) earlier in this file

    def parse(self, number: int, values: dict[str, str]) -> ServiceRow | None:
        errors_before = len(self.errors)

        def error(column, message):
            self.errors.append(f'Row {number}, column "{column}": {message}')

        def required(column):
            if not values[column]:
                error(column, "a value is required.")
            return values[column]

        name = required("name")
        if name:
            self._check_name(number, name, error)
        directorate = required("directorate")
        if directorate:
            self._check_directorate(directorate, error)
        portfolio = self._choice(
            required("portfolio"), Portfolio, "portfolio", "a portfolio", error
        )
        delivery_model = self._choice(
            required("delivery_model"), DeliveryModel, "delivery_model", "a delivery model", error
        )
        county_wide, districts = self._districts(values["districts"], error)
        gross = self._money(required("gross_budget"), "gross_budget", error)
        net = self._money(required("net_budget"), "net_budget", error)
        if gross is not None and net is not None and net > gross:
            error(
                "net_budget",
                f"the net budget ({_pounds(net)}) is more than the gross budget "
                f"({_pounds(gross)}): the net budget is what is left after income.",
            )
        tranche = self._tranche(values["market_review_tranche"], error)
        excluded = self._yes_no(values["excluded_from_challenge"], "excluded_from_challenge", error)
        illustrative = self._yes_no(values["figures_illustrative"], "figures_illustrative", error)
        opens = self._date(values["bid_window_opens"], "bid_window_opens", error)
        closes = self._date(values["bid_window_closes"], "bid_window_closes", error)
        if opens and closes and closes < opens:
            error(
                "bid_window_closes",
                f"the bid window closes ({closes.isoformat()}) before it opens "
                f"({opens.isoformat()}).",
            )
        if len(self.errors) > errors_before:
            return None
        return ServiceRow(
            row=number,
            name=name,
            directorate=directorate,
            portfolio=portfolio,
            county_wide=county_wide,
            districts=districts,
            gross_budget=gross,
            net_budget=net,
            delivery_model=delivery_model,
            market_review_tranche=tranche,
            excluded_from_challenge=excluded,
            bid_window_opens=opens,
            bid_window_closes=closes,
            figures_illustrative=illustrative,
            summary=values["summary"],
        )

    def _check_name(self, number, name, error):
        max_length = Service._meta.get_field("name").max_length
        slug = slugify(name)
        if len(name) > max_length:
            error("name", f"is {len(name)} characters long; the most allowed is {max_length}.")
        elif not slug:
            error("name", f'"{name}" needs at least one letter or digit.')
        elif slug in self.seen:
            row, earlier = self.seen[slug]
            if earlier.lower() == name.lower():
                error("name", f'"{name}" is already on row {row}: each service may appear once.')
            else:
                error(
                    "name",
                    f'"{name}" would have the same web address ("{slug}") as "{earlier}" '
                    f"on row {row}.",
                )
        elif name not in self.existing_names and slug in self.existing:
            # A new service takes its slug from its name, and slugs are unique.
            error(
                "name",
                f'"{name}" would have the same web address ("{slug}") as the existing service '
                f'"{self.existing[slug]}". Use that name to update it, or choose another.',
            )
        if slug:
            self.seen.setdefault(slug, (number, name))

    def _check_directorate(self, name, error):
        max_length = Directorate._meta.get_field("name").max_length
        slug = slugify(name)
        if len(name) > max_length:
            error(
                "directorate",
                f"is {len(name)} characters long; the most allowed is {max_length}.",
            )
        elif not slug:
            error("directorate", f'"{name}" needs at least one letter or digit.')
        elif name.lower() not in self.directorates:
            if slug in self.directorate_slugs:
                error(
                    "directorate",
                    f'"{name}" is too like the directorate "{self.directorate_slugs[slug]}": '
                    "use that name, or one more different.",
                )
            else:
                self.directorates[name.lower()] = slug
                self.directorate_slugs[slug] = name

    @staticmethod
    def _choice(value, choices, column, noun, error):
        if not value:
            return None
        found = _choices_by_word(choices).get(value.lower())
        if found is None:
            labels = ", ".join(f'"{label}"' for label in choices.labels)
            error(column, f'"{value}" is not {noun}. Use one of: {labels}.')
            return None
        return found

    def _districts(self, value, error):
        if not value:
            error(
                "districts",
                f'a value is required: district names separated by semicolons, or "{COUNTY_WIDE}".',
            )
            return False, ()
        names = [n.strip() for n in value.split(DISTRICT_SEPARATOR) if n.strip()]
        if any(n.lower() == COUNTY_WIDE.lower() for n in names):
            if len(names) > 1:
                error(
                    "districts",
                    f'"{COUNTY_WIDE}" cannot be combined with district names: a county-wide '
                    "service serves every district.",
                )
            return True, ()
        unknown = [n for n in names if n.lower() not in self.districts]
        if unknown:
            known = ", ".join(sorted(self.districts.values())) or "none (add them in the admin)"
            listed = ", ".join(f'"{n}"' for n in unknown)
            noun = "is not a known district" if len(unknown) == 1 else "are not known districts"
            error("districts", f"{listed} {noun}. The districts known are: {known}.")
            return False, ()
        return False, tuple(dict.fromkeys(self.districts[n.lower()] for n in names))

    @staticmethod
    def _money(value, column, error):
        if not value:
            return None
        match = _MONEY.match(value.replace(" ", ""))
        if not match:
            error(column, f'"{value}" is not an amount of money.')
            return None
        if match["minus"]:
            error(column, f'"{value}" is negative: a budget is zero or more.')
            return None
        if match["pence"] and len(match["pence"]) > 2:
            error(column, f'"{value}" has more than two decimal places.')
            return None
        amount = Decimal(match["pounds"].replace(",", "") + "." + (match["pence"] or "0"))
        if amount >= _MAX_POUNDS:
            error(column, f'"{value}" is too large: budgets are under £1,000,000,000,000.')
            return None
        return amount.quantize(Decimal("0.01"))

    @staticmethod
    def _tranche(value, error):
        if not value:
            return None
        # ASCII digits only: str.isdigit() is also true of "²", which int() refuses.
        if not re.fullmatch(r"[0-9]{1,5}", value) or not 0 < int(value) <= _MAX_TRANCHE:
            error(
                "market_review_tranche",
                f'"{value}" is not a tranche: leave it blank or give a whole number, 1 or more.',
            )
            return None
        return int(value)

    @staticmethod
    def _yes_no(value, column, error):
        word = value.lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        error(column, f'"{value}" is not yes or no.')
        return False

    @staticmethod
    def _date(value, column, error):
        if not value:
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            return datetime.date.fromisoformat(value)
        except ValueError:
            error(column, f'"{value}" is not a date written YYYY-MM-DD, like 2027-03-31.')
            return None


def _choices_by_word(choices) -> dict[str, str]:
    """Maps each value and each label, lower-cased, to the value."""
    found = {}
    for value, label in choices.choices:
        found[label.lower()] = value
        found[value.lower()] = value
    return found


def _pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}".removesuffix(".00")


def _save(rows: list[ServiceRow]) -> ImportResult:
    directorates = {d.name.lower(): d for d in Directorate.objects.all()}
    districts = {d.name: d for d in District.objects.all()}
    existing = {s.name: s for s in Service.objects.filter(name__in=[r.name for r in rows])}
    created = updated = 0
    for row in rows:
        directorate = directorates.get(row.directorate.lower())
        if directorate is None:
            directorate = Directorate.objects.create(
                name=row.directorate, slug=slugify(row.directorate)
            )
            directorates[row.directorate.lower()] = directorate
        service = existing.get(row.name)
        if service is None:
            # Only a new service takes its slug from its name: an existing one keeps its web
            # address, which may have been shared or changed in the admin.
            service = Service(name=row.name, slug=slugify(row.name))
            created += 1
        else:
            updated += 1
        service.directorate = directorate
        service.portfolio = row.portfolio
        service.county_wide = row.county_wide
        service.gross_budget = row.gross_budget
        service.net_budget = row.net_budget
        service.delivery_model = row.delivery_model
        service.market_review_tranche = row.market_review_tranche
        service.excluded_from_challenge = row.excluded_from_challenge
        service.bid_window_opens = row.bid_window_opens
        service.bid_window_closes = row.bid_window_closes
        service.figures_illustrative = row.figures_illustrative
        service.summary = row.summary
        service.save()
        service.districts.set([districts[name] for name in row.districts])
    return ImportResult(created=created, updated=updated)
