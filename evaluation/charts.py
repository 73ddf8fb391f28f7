"""An SVG bar chart of an assessment: each criterion's score (0-5) against its threshold.

Built as text with every value escaped, so it can be put in a page (the admin) or a PDF as is.
"""

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT = 22
GAP = 10
LABEL_WIDTH = 260
SCALE_WIDTH = 300  # pixels for a score of 5
COLOURS = {"passed": "#00703c", "failed": "#d4351c", "threshold": "#0b0c0c"}


def score_chart(scores: list[dict]) -> SafeString:
    """`scores`: the assessment's criterion rows (title, score, threshold, passed)."""
    height = len(scores) * (BAR_HEIGHT + GAP) + 30
    width = LABEL_WIDTH + SCALE_WIDTH + 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="score-chart-title" '
        'font-family="Arial, sans-serif" font-size="13">',
        '<title id="score-chart-title">Score of each criterion, 0 to 5, against its '
        "threshold</title>",
    ]
    for mark in range(6):
        x = LABEL_WIDTH + mark * SCALE_WIDTH / 5
        parts.append(
            f'<line x1="{x:.0f}" y1="0" x2="{x:.0f}" y2="{height - 24}" stroke="#b1b4b6" '
            'stroke-width="1"/>'
            f'<text x="{x:.0f}" y="{height - 8}" text-anchor="middle">{mark}</text>'
        )
    for row, item in enumerate(scores):
        y = row * (BAR_HEIGHT + GAP) + 4
        colour = COLOURS["passed"] if item["passed"] else COLOURS["failed"]
        bar = max(int(item["score"]) * SCALE_WIDTH / 5, 2)
        title = escape(item.get("title") or item["key"])
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{title}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar:.0f}" height="{BAR_HEIGHT}" '
            f'fill="{colour}"><title>{title}: {int(item["score"])} out of 5</title></rect>'
            f'<text x="{LABEL_WIDTH + bar + 6:.0f}" y="{y + 15}">{int(item["score"])}</text>'
        )
        if item.get("threshold") is not None:
            x = LABEL_WIDTH + int(item["threshold"]) * SCALE_WIDTH / 5
            parts.append(
                f'<line x1="{x:.0f}" y1="{y - 3}" x2="{x:.0f}" y2="{y + BAR_HEIGHT + 3}" '
                f'stroke="{COLOURS["threshold"]}" stroke-width="3" stroke-dasharray="4 2">'
                f"<title>Threshold: {int(item['threshold'])}</title></line>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or a number


def _swatch(colour: str) -> str:
    # An SVG square: its fill is an attribute, which the Content Security Policy allows (an
    # inline style attribute would be blocked).
    return (
        f'<svg width="12" height="12" aria-hidden="true" focusable="false">'
        f'<rect width="12" height="12" fill="{colour}"/></svg>'
    )


def legend() -> SafeString:
    return format_html(
        "<p>{} meets its threshold &nbsp; {} below its threshold (disqualifies) &nbsp; "
        "<b>┆</b> threshold</p>",
        mark_safe(_swatch(COLOURS["passed"])),  # noqa: S308 - a constant colour
        mark_safe(_swatch(COLOURS["failed"])),  # noqa: S308 - a constant colour
    )


# --- Bar charts of figures (the members' pipeline dashboard) -------------------------------------

# GOV.UK Frontend's colours, each at least 3:1 against white (WCAG 1.4.11, graphical objects).
SERIES_COLOURS = ("#1d70b8", "#00703c", "#d4351c", "#4c2c92", "#505a5f")
BAR_LABEL_WIDTH = 170
BAR_SCALE_WIDTH = 260
VALUE_WIDTH = 110


def bar_chart(
    *,
    chart_id: str,
    title: str,
    rows: list[tuple[str, tuple]],
    series: tuple[str, ...],
    show=str,
) -> SafeString:
    """A horizontal bar chart: for each row, a label and one bar per series, each with its value
    written after it by `show` (str, or evaluation.scoring.money.pounds for amounts).

    An image to a screen reader (role="img"), named by its <title> and described by its <desc>,
    which gives every value in words; the page puts a table of the same figures beside it. Every
    label is escaped. A negative value draws no bar (the value written says it). Scales to the
    width of its column."""
    top = max([v for _, values in rows for v in values if v is not None] + [1])
    bar = 24 if len(series) == 1 else 20
    group = bar * len(series) + GAP
    width = BAR_LABEL_WIDTH + BAR_SCALE_WIDTH + VALUE_WIDTH
    keys = _legend_places(series, width) if len(series) > 1 else []
    body = len(rows) * group + 8
    height = body + (max(line for _, _, line in keys) + 1) * 24 if keys else body

    def words(label, values):
        if len(series) == 1:
            return f"{label}: {show(values[0])}"
        return f"{label}: " + ", ".join(
            f"{s} {show(v)}" for s, v in zip(series, values, strict=True)
        )

    desc = "; ".join(words(label, values) for label, values in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="app-chart" '
        'font-family="Arial, sans-serif" font-size="15">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}.</desc>',
    ]
    for row, (label, values) in enumerate(rows):
        y = row * group + 4
        parts.append(
            f'<text x="{BAR_LABEL_WIDTH - 8}" y="{y + bar * len(series) / 2 + 4:.0f}" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        for n, value in enumerate(values):
            length = int(value / top * BAR_SCALE_WIDTH) if value and value > 0 else 0
            top_y = y + n * bar
            parts.append(
                f'<rect x="{BAR_LABEL_WIDTH}" y="{top_y}" width="{max(length, 1)}" '
                f'height="{bar - 2}" fill="{SERIES_COLOURS[n % len(SERIES_COLOURS)]}"/>'
                f'<text x="{BAR_LABEL_WIDTH + length + 5}" y="{top_y + bar - 6}">'
                f"{escape(show(value))}</text>"
            )
    for n, (name, x, line) in enumerate(keys):
        y = body + line * 24 + 16
        parts.append(
            f'<rect x="{x}" y="{y - 11}" width="12" height="12" '
            f'fill="{SERIES_COLOURS[n % len(SERIES_COLOURS)]}"/>'
            f'<text x="{x + 16}" y="{y}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or a number


def _legend_places(series, width: int) -> list[tuple[str, int, int]]:
    """(name, x, line) of each series' key: left to right, onto a new line when one is full
    (a character of 15px Arial is taken as 8px wide, which is generous)."""
    places, x, line = [], 0, 0
    for name in series:
        needed = 16 + 8 * len(name)
        if x and x + needed > width:
            x, line = 0, line + 1
        places.append((name, x, line))
        x += needed + 20
    return places
