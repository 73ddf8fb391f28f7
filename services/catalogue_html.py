"""The catalogue list's body, its filters and its results, written in Python: every search makes
it afresh (searches are never cached), and through templates (an include for the search box,
another for the pagination, a {% querystring %} for each page link) it was half of a search's
time in Python. The same HTML as the templates still used elsewhere, services/_filter_field.html
and services/_pagination.html (tests compare them), but for blank lines.

Everything that comes from the request or the database is escaped here (format_html,
conditional_escape); the cards and the filters column are our own templates' output already."""

from django.core.paginator import Page
from django.http import QueryDict
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

_PREVIOUS_ICON = (
    '<svg class="govuk-pagination__icon govuk-pagination__icon--prev" '
    'xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" '
    'focusable="false" viewBox="0 0 15 13"><path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 '
    '6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"></path></svg>'
)
_NEXT_ICON = (
    '<svg class="govuk-pagination__icon govuk-pagination__icon--next" '
    'xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" '
    'focusable="false" viewBox="0 0 15 13"><path d="m8.107-0.0078125-1.4136 1.414 4.2926 '
    '4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"></path></svg>'
)


def body(*, form, filters: str, page: Page, page_range, cards: list[str], query: QueryDict):
    """The filters (the search box, then `filters`: the other filters, rendered and cached
    apart) and a page of results: their number, the `cards`, and the pagination, whose links
    keep the rest of the `query` string."""
    count = page.paginator.count
    html = [
        '<div class="govuk-grid-row">\n  <div class="govuk-grid-column-one-third">\n',
        format_html(
            '    <form method="get" action="{}" novalidate class="app-filter">\n',
            reverse("services:list"),
        ),
        '      <h2 class="govuk-heading-m">Filter services</h2>\n',
        form_group(form["q"]),
        filters,
        "\n    </form>\n  </div>\n\n",
        '  <div class="govuk-grid-column-two-thirds">\n',
        f'    <h2 class="govuk-heading-m">{localize(count)} service{"" if count == 1 else "s"}'
        "</h2>\n",
    ]
    if page.paginator.num_pages > 1:
        html.append(
            f'    <p class="govuk-body">Showing {localize(page.start_index())} to '
            f"{localize(page.end_index())} of {localize(count)}</p>\n"
        )
    for card in cards:
        html += (card, "\n")
    if not cards:
        html.append(
            format_html(
                '    <p class="govuk-body">No services match these filters. Try removing some, '
                'or <a class="govuk-link" href="{}">clear all filters</a>.</p>\n',
                reverse("services:list"),
            )
        )
    html += (pagination(page, page_range, query), "  </div>\n</div>\n")
    return mark_safe("".join(html))  # noqa: S308 - every part escaped above, or our templates'


def form_group(field) -> SafeString:
    """A text input or select as a GOV.UK form group, as services/_filter_field.html writes it:
    its widget carries the GOV.UK classes and aria-describedby naming the hint and error ids."""
    errors = field.errors
    html = [
        '<div class="govuk-form-group govuk-form-group--error">\n'
        if errors
        else '<div class="govuk-form-group">\n',
        format_html(
            '  <label class="govuk-label govuk-label--s" for="{}">{}</label>\n',
            field.id_for_label,
            field.label,
        ),
    ]
    if field.help_text:
        html.append(
            format_html(
                '  <div id="{}-hint" class="govuk-hint">{}</div>\n',
                field.html_name,
                field.help_text,
            )
        )
    if errors:
        html.append(
            format_html(
                '  <p id="{}-error" class="govuk-error-message">'
                '<span class="govuk-visually-hidden">Error:</span> {}</p>\n',
                field.html_name,
                conditional_escape(". ").join(conditional_escape(e) for e in errors),
            )
        )
    html.append(f"  {field}\n</div>\n")  # the widget escapes its own
    return mark_safe("".join(html))  # noqa: S308 - every part escaped above


def pagination(page: Page, page_range, query: QueryDict) -> str:
    """GOV.UK pagination (Frontend 5.x markup), as services/_pagination.html writes it: each
    link is the `query` string with its page number, as {% querystring page=… %} gives it."""
    if not page.has_other_pages():
        return ""
    # The query string but its page number, each side of where the number goes (where it was,
    # else at the end): encoded once, not once a link.
    items = list(query.lists())
    at = next((i for i, (name, _) in enumerate(items) if name == "page"), len(items))
    around = [_encoded(items[:at]), "", _encoded(items[at + 1 :])]

    def link(number) -> str:
        around[1] = f"page={number}"
        return conditional_escape("?" + "&".join(part for part in around if part))

    html = ['<nav class="govuk-pagination" aria-label="Pagination">\n']
    if page.has_previous():
        html.append(
            '  <div class="govuk-pagination__prev">\n'
            f'    <a class="govuk-link govuk-pagination__link" '
            f'href="{link(page.previous_page_number())}" rel="prev">\n'
            f"      {_PREVIOUS_ICON}\n"
            '      <span class="govuk-pagination__link-title">Previous'
            '<span class="govuk-visually-hidden"> page</span></span>\n'
            "    </a>\n"
            "  </div>\n"
        )
    html.append('  <ul class="govuk-pagination__list">\n')
    for number in page_range:
        if not isinstance(number, int):  # the paginator's ellipsis
            html.append(
                '    <li class="govuk-pagination__item govuk-pagination__item--ellipsis">'
                "&ctdot;</li>\n"
            )
            continue
        shown = localize(number)
        if number == page.number:
            item, current = " govuk-pagination__item--current", ' aria-current="page"'
        else:
            item, current = "", ""
        html.append(
            f'    <li class="govuk-pagination__item{item}">\n'
            f'      <a class="govuk-link govuk-pagination__link" href="{link(number)}" '
            f'aria-label="Page {shown}"{current}>{shown}</a>\n'
            "    </li>\n"
        )
    html.append("  </ul>\n")
    if page.has_next():
        html.append(
            '  <div class="govuk-pagination__next">\n'
            f'    <a class="govuk-link govuk-pagination__link" '
            f'href="{link(page.next_page_number())}" rel="next">\n'
            '      <span class="govuk-pagination__link-title">Next'
            '<span class="govuk-visually-hidden"> page</span></span>\n'
            f"      {_NEXT_ICON}\n"
            "    </a>\n"
            "  </div>\n"
        )
    html.append("</nav>\n")
    return "".join(html)


def _encoded(items) -> str:
    params = QueryDict(mutable=True)
    for name, values in items:
        params.setlist(name, values)
    return params.urlencode()
