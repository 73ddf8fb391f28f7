"""The financial comparison as an SVG bar chart: in-house against the bid, year by year.

Text, with every label escaped or a number, so it goes into the pack's HTML as is. Its <title>
becomes the chart's alternative text in the PDF's structure tree (WeasyPrint tags an inline SVG as
a Figure with that title as /Alt); its <desc> says what the bars show in words, and the table beside
it in the pack holds the same figures.
"""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from evaluation.scoring.money import pounds

BAR = 16
GROUP_GAP = 14
LABEL_WIDTH = 70
SCALE_WIDTH = 380
COLOURS = {"in_house": "#1d3a6c", "bid": "#00703c"}


def comparison_chart(years, *, chart_id: str = "finance-chart") -> SafeString:
    """`years`: evaluation.review.reading.Year rows (year, in_house, bid)."""
    years = list(years)
    top = max([y.in_house for y in years] + [y.bid for y in years] + [Decimal(1)])
    height = len(years) * (2 * BAR + GROUP_GAP) + 40
    width = LABEL_WIDTH + SCALE_WIDTH + 110
    words = "; ".join(
        f"year {y.year}: in-house {pounds(y.in_house)}, bid {pounds(y.bid)}" for y in years
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{chart_id}-title '
        f'{chart_id}-desc" font-family="Arial, Liberation Sans, sans-serif" font-size="11">',
        f'<title id="{chart_id}-title">Cost to KCC each year: in-house against the bid</title>',
        f'<desc id="{chart_id}-desc">{escape(words)}.</desc>',
    ]
    for row, y in enumerate(years):
        base = row * (2 * BAR + GROUP_GAP) + 4
        parts.append(f'<text x="0" y="{base + BAR + 4}">Year {y.year}</text>')
        for n, (key, value) in enumerate((("in_house", y.in_house), ("bid", y.bid))):
            length = max(int(value / top * SCALE_WIDTH), 1) if value > 0 else 1
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{base + n * BAR}" width="{length}" '
                f'height="{BAR - 2}" fill="{COLOURS[key]}"/>'
                f'<text x="{LABEL_WIDTH + length + 4}" y="{base + n * BAR + BAR - 5}">'
                f"{escape(pounds(value))}</text>"
            )
    legend_y = height - 12
    parts.append(
        f'<rect x="{LABEL_WIDTH}" y="{legend_y - 9}" width="10" height="10" '
        f'fill="{COLOURS["in_house"]}"/><text x="{LABEL_WIDTH + 14}" y="{legend_y}">In-house</text>'
        f'<rect x="{LABEL_WIDTH + 90}" y="{legend_y - 9}" width="10" height="10" '
        f'fill="{COLOURS["bid"]}"/><text x="{LABEL_WIDTH + 104}" y="{legend_y}">Bid</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or a number
