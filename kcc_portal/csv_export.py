"""Every CSV the portal sends: streamed a row at a time, and safe to open in a spreadsheet.

Streamed, so that a download of 100,000 rows holds one chunk in memory, not the file: callers
pass rows built over `QuerySet.iterator(chunk_size=...)` (no prefetch: with `iterator()` a
prefetch runs once per chunk, and the count of queries would grow with the rows).

Safe: a text cell starting with = + - @, a tab or a carriage return is read by Excel, LibreOffice
and Google Sheets as a formula (CSV or "formula" injection: `=HYPERLINK(...)` in a bidder's answer
runs on an officer's machine), so such a cell is prefixed with a single quote, which spreadsheets
show as text. Numbers are written as they are, so that a negative saving stays a number.
"""

import csv
import datetime
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 500  # rows read from the database at a time


class _Echo:
    """A file that returns what is written to it: csv.writer then yields each line as text."""

    def write(self, value: str) -> str:
        return value


def cell(value) -> str | int | Decimal:
    """One value as a cell: text made safe, dates in ISO 8601 in the council's time zone, None as
    empty, numbers untouched."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | Decimal | float):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV's lines: a byte order mark (so that Excel reads UTF-8), the header, the rows."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([cell(h) for h in header])
    for row in rows:
        yield writer.writerow([cell(v) for v in row])


def response(filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    """A streamed CSV download named `filename` (no path, no quotes: the callers build it from
    references and dates)."""
    return StreamingHttpResponse(
        lines(header, rows),
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )
