"""Public pages of the evaluation app: the stated assessment method."""

from functools import lru_cache

from django.conf import settings
from django.shortcuts import render
from django.utils.safestring import mark_safe

METHOD = settings.BASE_DIR / "docs" / "scoring.md"


@lru_cache(maxsize=1)
def _method_html() -> str:
    import markdown

    # Our own document from the repository, not user input: safe to mark as HTML. Its nested
    # lists are indented by two spaces, as GitHub renders them.
    return markdown.markdown(
        METHOD.read_text(encoding="utf-8"), extensions=["tables"], tab_length=2
    )


def scoring_method(request):
    """docs/scoring.md, the method bidders are judged by, as a page of the portal."""
    return render(
        request,
        "evaluation/scoring_method.html",
        {"method": mark_safe(_method_html())},  # noqa: S308
    )
