"""The one function that decides which characters of what people type can be stored."""

import pytest

from kcc_portal.text import removed_message, strip_control_characters, strip_from_lists


@pytest.mark.parametrize(
    ("typed", "stored", "removed"),
    [
        ("plain text", "plain text", 0),
        ("a\x00b", "ab", 1),
        ("\x00\x01\x02\x03\x04\x05\x06\x07\x08", "", 9),
        ("vertical\x0btab and form\x0cfeed", "verticaltab and formfeed", 2),
        ("escape\x1b[31m", "escape[31m", 1),
        ("delete\x7f and C1 \x85\x9f", "delete and C1 ", 3),
        ("lone \ud800 surrogate", "lone  surrogate", 1),
        ("tab\tand\nline feed", "tab\tand\nline feed", 0),
        ("windows\r\nline\r\nbreaks", "windows\r\nline\r\nbreaks", 0),
        ("old mac\rline break", "old mac\nline break", 0),
        ("\r", "\n", 0),
        ("\r\r\n", "\n\r\n", 0),
        ("\x00\r\x00\n", "\r\n", 2),  # the NULs go, and what is left is a CR LF pair
    ],
)
def test_control_characters_are_removed_and_counted(typed, stored, removed):
    assert strip_control_characters(typed) == (stored, removed)


@pytest.mark.parametrize(
    "text",
    [
        "Right-to-left mark \u200f and embedding \u202b\u05e9\u05dc\u05d5\u05dd\u202c",
        "Zero width joiner in an emoji: \U0001f468\u200d\U0001f469\u200d\U0001f467",
        "Combining acute: e\u0301, Arabic-Indic digits \u0661\u0662\u0663",
        "Replacement character from invalid UTF-8: \ufffd, byte order mark \ufeff",
        "Pound £, en dash \N{EN DASH}, non-breaking space \xa0",
    ],
)
def test_real_text_in_any_script_is_kept_as_typed(text):
    assert strip_control_characters(text) == (text, 0)


def test_names_and_values_of_a_post_are_cleaned_and_names_that_merge_keep_every_value():
    cleaned, removed = strip_from_lists(
        [("summary\x00", ["one\x01"]), ("summary", ["two"]), ("n", [3])]
    )
    assert cleaned == {"summary": ["one", "two"], "n": [3]}
    assert removed == 2


def test_the_message_says_how_many_in_words_that_fit():
    assert removed_message(1).startswith("We removed 1 character that cannot be stored")
    assert removed_message(1234).startswith("We removed 1,234 characters that cannot be stored")
    assert "(invisible control characters, often from text copied out of a PDF)" in (
        removed_message(2)
    )
