"""What a person types, made safe to store: the one place that decides which characters go.

PostgreSQL refuses the NUL character in text and in jsonb (`\\u0000`), so a NUL pasted from a
PDF turned a whole save into a server error and lost every answer in it. The other control
characters are stored, but they are invisible, mean nothing in an answer, and break what is made
from the answers later (XML 1.0, which PDFs, spreadsheets and open data are written in, refuses
them). So every boundary where user text is stored or sent to the database calls
`strip_control_characters`, and tells the person when something was removed.

Kept: tab, line feed, and a carriage return followed by a line feed. Browsers send every line
break typed in a text area as CR LF (the HTML standard says so), so that pair is an ordinary line
break and is kept as sent. A carriage return on its own (old Mac files, some scripts) is a line
break too: it becomes a line feed and is not counted as removed, since nothing is lost.

Removed and counted: every other character of Unicode's "control" category (C0, DEL and C1), and
lone surrogates (U+D800 to U+DFFF), which cannot be encoded as UTF-8 at all. Django decodes
request bodies and query strings with errors="replace", so invalid UTF-8 arrives as U+FFFD and
never as a lone surrogate; they are removed all the same, in case text arrives another way (JSON
escapes such as "\\ud800" decode to one). Format characters such as right-to-left marks and zero
width joiners are kept: Arabic and Hebrew text and emoji need them.
"""

import re

# C0 controls except tab (09), line feed (0A) and carriage return (0D, handled below); DEL and
# the C1 controls (7F-9F); and the surrogate code points, which only occur alone in a str.
_REMOVED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LONE_CR = re.compile("\r(?!\n)")

REMOVED_MESSAGE = (
    "We removed {count} {characters} that cannot be stored (invisible control characters, "
    "often from text copied out of a PDF). Check that the text still reads as you meant."
)


def strip_control_characters(text: str) -> tuple[str, int]:
    """`text` without the characters that cannot or should not be stored, and how many of them
    were removed. A lone carriage return becomes a line feed (not counted)."""
    clean, removed = _REMOVED.subn("", text)
    if "\r" in clean:
        clean = _LONE_CR.sub("\n", clean)
    return clean, removed


def removed_message(count: int) -> str:
    """What to tell the person when `count` characters were removed from what they typed."""
    return REMOVED_MESSAGE.format(
        count=f"{count:,}", characters="character" if count == 1 else "characters"
    )


def strip_from_lists(items) -> tuple[dict[str, list], int]:
    """A multi-valued mapping's `(key, [values])` pairs (`QueryDict.lists()`), names and values
    cleaned, as a plain dict of lists, and how many characters were removed. Names that become
    the same keep all their values. Anything but text (an uploaded file) is left as it is."""
    cleaned: dict[str, list] = {}
    removed = 0
    for key, values in items:
        key, count = strip_control_characters(key)
        removed += count
        kept = cleaned.setdefault(key, [])
        for value in values:
            if isinstance(value, str):
                value, count = strip_control_characters(value)
                removed += count
            kept.append(value)
    return cleaned, removed
