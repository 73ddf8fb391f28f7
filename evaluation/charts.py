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
