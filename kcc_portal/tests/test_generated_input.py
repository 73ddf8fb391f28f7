"""Generated input (hypothesis) thrown at every form and filter of the portal: no server error.

Whatever a person, a script or an attacker sends — control characters, NUL, lone carriage
returns, right-to-left marks, emoji, combining characters, Arabic-Indic digits, "1e309", "NaN",
"-0", numbers too long to print, very long text, invalid UTF-8, forged formset counts, random
bytes as a file — every page answers below 500, on PostgreSQL, through the real views.

How the tests are built:
- Each test sets up its data once, then runs an inner @given function: hypothesis never sees
  a pytest fixture, so no function-scoped-fixture health check is involved, and each example
  builds its own Client.
- Each example runs in a savepoint that is rolled back, and clears the cache (which also resets
  rate limits): examples do not depend on each other, so a failure shrinks and replays exactly.
- derandomize=True and no example database: CI runs the same examples every time. FUZZ_EXAMPLES
  in the environment changes how many (e.g. 500 for a long local run).
"""

import io
import os
from contextlib import contextmanager
from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.factories import OrganisationFactory, UserFactory
from bids import clarifications, sections, workflow
from bids.factories import BusinessCaseFactory
from bids.tests import files
from services.factories import ServiceFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# What people paste, what scripts send, and what breaks parsers.
SPECIAL = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00\x01\x02\x07\x08\x0b\x0c\x0e\x1b\x1f\x7f\x85\x9f",
    "\r",
    "line\rbreak",
    "\r\n",
    "\n\r",
    "\t",
    "\u202e\u200f\u202b right to left \u202c",
    "\ufeff",
    "\u200b\u200d\u2060",
    "e\u0301\u0301\u0301\u0301",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",
    "\U0001f4a9",
    "\u0661\u0662\u0663",  # Arabic-Indic 123
    "\u06f1\u06f2\u06f3",  # extended Arabic-Indic
    "\uff11\uff12\uff13",  # full-width 123
    "\u00b2",
    "1e309",
    "-1e309",
    "NaN",
    "nan",
    "sNaN",
    "Infinity",
    "-Infinity",
    "-0",
    "0",
    "-1",
    "1.5",
    "0.001",
    "1,000",
    "£1,000.50",
    "£",
    "£-5",
    "99999999999999999999",
    "999999999999.99",
    "1000000000000",
    "9" * 4301,  # longer than Python will turn into an int
    "1e-999999999",
    "1E+999999999",
    "0x1F",
    "1_000",
    "<script>alert(1)</script>",
    "{{ 7|add:7 }}{% now 'Y' %}",
    "' OR 1=1 --",
    "%s%n%x",
    "\\u0000",
    "../../etc/passwd",
    "x" * 5001,
    "\u00e9" * 60_000,
    "\ud7ff\ue000\uffff\U0010ffff",
]

text = st.text(max_size=30)
values = st.one_of(
    st.sampled_from(SPECIAL),
    text,
    st.integers().map(str),
    st.floats().map(str),
    st.decimals().map(str),
    st.lists(st.sampled_from(SPECIAL[:40]) | st.text(max_size=5), max_size=4).map("".join),
)
raw_bytes = st.binary(max_size=20)  # percent-encoded as they are: often invalid UTF-8


@st.composite
def posts(draw, names):
    """A form body: some of the form's own field names (others left out), a few more, each with
    one or two values; sometimes a name or value that is not UTF-8 at all."""
    keys = st.sampled_from(names) | values if names else values
    pairs = [
        (key, value)
        for key, many in draw(
            st.dictionaries(keys, st.lists(values, min_size=1, max_size=2), max_size=12)
        ).items()
        for value in many
    ]
    body = urlencode(pairs)
    if draw(st.integers(0, 4)) == 0:
        name = quote_from_bytes(draw(raw_bytes))
        body += f"&{name}={quote_from_bytes(draw(raw_bytes))}"
    return body


def post(client, url, body, **extra):
    return client.post(url, body, content_type="application/x-www-form-urlencoded", **extra)


@contextmanager
def example():
    """One example: a clean cache (and so rate limits), and nothing left in the database."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ok(response) -> None:
    assert response.status_code < 500, response.content[:2000]


def field_names(section) -> list[str]:
    form = section.form_class()
    if isinstance(form, sections.Repeating):
        prefix = form.prefix
        management = ["TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"]
        items = [*form.item_form.base_fields, "DELETE"]
        return [
            "has_items",
            *(f"{prefix}-{name}" for name in management),
            *(f"{prefix}-{i}-{name}" for i in range(3) for name in items),
        ]
    return list(form.fields)


# --- The bidder's business case --------------------------------------------------------------


@pytest.mark.parametrize("section", sections.SECTIONS, ids=lambda s: s.key)
def test_section_pages_save_autosave_and_show_anything_typed(section):
    case = BusinessCaseFactory()
    url = reverse("bids:section", kwargs={"public_id": case.public_id, "key": section.key})
    autosave = reverse("bids:autosave", kwargs={"public_id": case.public_id, "key": section.key})
    check = reverse("bids:check", kwargs={"public_id": case.public_id})
    actions = st.sampled_from(["continue", "later", "add"]) | values

    @FUZZ
    @given(body=posts(field_names(section)), action=actions, autosaved=posts(field_names(section)))
    def run(body, action, autosaved):
        with example():
            client = signed_in(case.created_by)
            ok(post(client, url, f"{body}&{urlencode({'action': action})}"))
            ok(client.get(url))
            ok(client.get(check))
            ok(client.get(case.get_absolute_url()))
            response = post(client, autosave, autosaved)
            ok(response)
            assert response.json()["saved"] is True
            ok(client.get(url))

    run()


def test_section_pages_take_multipart_bodies_as_autosave_sends_them():
    """The page's script posts FormData, which browsers send as multipart/form-data."""
    case = BusinessCaseFactory()
    key = st.sampled_from([s.key for s in sections.SECTIONS])

    @FUZZ
    @given(key=key, data=st.dictionaries(values, st.lists(values, min_size=1, max_size=2)))
    def run(key, data):
        with example():
            client = signed_in(case.created_by)
            url = reverse("bids:autosave", kwargs={"public_id": case.public_id, "key": key})
            ok(client.post(url, data))
            ok(
                client.get(
                    reverse("bids:section", kwargs={"public_id": case.public_id, "key": key})
                )
            )

    run()


def test_a_section_key_or_case_id_that_does_not_exist_is_a_404_not_an_error():
    case = BusinessCaseFactory()

    @FUZZ
    @given(key=values)
    def run(key):
        with example():
            client = signed_in(case.created_by)
            path = f"/bids/{case.public_id}/sections/{quote(key, safe='')}/"
            ok(client.get(path))
            ok(client.post(path, {"action": "later"}))
            ok(client.post(f"{path}autosave/", {}))
            ok(client.get(f"/bids/{quote(key, safe='')}/"))

    run()


def test_the_upload_form_takes_any_bytes_and_any_name(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = BusinessCaseFactory()
    url = reverse("bids:documents", kwargs={"public_id": case.public_id})
    docx = files.realistic_docx()
    names = st.sampled_from(["plan.docx", "a.pdf", "x.xlsx", "y.odt", "z.ods", ".docx"]) | values

    @st.composite
    def damaged_docx(draw):
        """A real Word document with some of its bytes changed: the archive checks must refuse
        or accept it, never fail."""
        content = bytearray(docx)
        for _ in range(draw(st.integers(1, 8))):
            position = draw(st.integers(0, len(content) - 1))
            content[position] = draw(st.integers(0, 255))
        return bytes(content)

    contents = st.one_of(
        st.binary(max_size=2000),
        st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=200).map(lambda b: b"%PDF-" + b),
        damaged_docx(),
        st.sampled_from([files.docx_bytes(), files.odf_bytes("text"), files.encrypted_docx()]),
    )

    @FUZZ
    @given(name=names, content=contents, as_json=st.booleans())
    def run(name, content, as_json):
        with example():
            client = signed_in(case.created_by)
            upload = io.BytesIO(content)
            upload.name = name  # any name at all, as a browser or a script may send
            headers = {"Accept": "application/json"} if as_json else {}
            ok(client.post(url, {"file": upload}, headers=headers))
            ok(client.get(url))

    run()


def test_clarification_answers_and_withdrawal_reasons_take_anything():
    case = BusinessCaseFactory(complete=True)
    workflow.submit(case=case, by=case.created_by)
    question = clarifications.ask(case=case, question="Why?", by=UserFactory(role="Reviewer"))
    answer = reverse("bids:clarification", kwargs={"public_id": case.public_id, "pk": question.pk})
    withdraw = reverse("bids:withdraw", kwargs={"public_id": case.public_id})

    @FUZZ
    @given(answer_body=posts(["answer"]), withdraw_body=posts(["reason"]))
    def run(answer_body, withdraw_body):
        with example():
            client = signed_in(case.created_by)
            ok(post(client, answer, answer_body))
            ok(client.get(answer))
            ok(post(client, withdraw, withdraw_body))
            ok(client.get(case.get_absolute_url()))

    run()


# --- Accounts and organisations ---------------------------------------------------------------

ORGANISATION_FIELDS = [
    "name",
    "body_type",
    "registration_number",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "district",
    "annual_turnover",
    "reserves",
]


def test_organisation_create_edit_and_join_take_anything():
    member = UserFactory(organisation=OrganisationFactory())
    newcomer = UserFactory()
    OrganisationFactory(join_code="ABCD2345")

    @FUZZ
    @given(
        create=posts(ORGANISATION_FIELDS),
        edit=posts(ORGANISATION_FIELDS),
        join=posts(["join_code"]),
        next_page=values,
    )
    def run(create, edit, join, next_page):
        with example():
            query = f"?{urlencode({'next': next_page})}"
            client = signed_in(newcomer)
            ok(post(client, reverse("accounts:organisation-create") + query, create))
            client = signed_in(newcomer)
            ok(post(client, reverse("accounts:organisation-join") + query, join))
            ok(client.get(reverse("accounts:organisation") + query))
            client = signed_in(member)
            ok(post(client, reverse("accounts:organisation-edit"), edit))
            ok(client.get(reverse("accounts:organisation")))

    run()


def test_sign_up_sign_in_and_password_reset_take_anything():
    # django-axes stays on (a NUL in a locked-out name must not break it either); rolling each
    # example back forgets its failed attempts.
    UserFactory(email="known@example.org")

    @FUZZ
    @given(
        sign_up=posts(["full_name", "email", "password1", "password2"]),
        sign_in=posts(["username", "password"]),
        reset=posts(["email"]),
        next_page=values,
    )
    def run(sign_up, sign_in, reset, next_page):
        with example():
            query = f"?{urlencode({'next': next_page})}"
            ok(post(Client(), reverse("accounts:sign-up") + query, sign_up))
            ok(post(Client(), reverse("accounts:sign-in") + query, sign_in))
            ok(Client().get(reverse("accounts:sign-in") + query))
            ok(post(Client(), reverse("accounts:password-reset"), reset))

    run()


def test_password_reset_links_with_any_uid_and_token_are_not_an_error():
    @FUZZ
    @given(uid=values.filter(bool), token=values.filter(bool), body=posts(["new_password1"]))
    def run(uid, token, body):
        with example():
            path = f"/accounts/password-reset/{quote(uid, safe='')}/{quote(token, safe='')}/"
            ok(Client().get(path))
            ok(post(Client(), path, body))

    run()


# --- The catalogue --------------------------------------------------------------------------

CATALOGUE_PARAMETERS = [
    "q",
    "directorate",
    "portfolio",
    "district",
    "budget",
    "open",
    "sort",
    "page",
]


def test_catalogue_filters_take_any_query_string():
    ServiceFactory(name="Adult Education")
    ServiceFactory(name="Highways")

    @st.composite
    def query_strings(draw):
        pairs = draw(
            st.lists(st.tuples(st.sampled_from(CATALOGUE_PARAMETERS) | values, values), max_size=8)
        )
        query = urlencode(pairs)
        if draw(st.booleans()):  # not UTF-8, or not even percent-encoding
            raw = quote_from_bytes(draw(raw_bytes))
            query += f"&{draw(st.sampled_from(CATALOGUE_PARAMETERS))}={raw}%{draw(text)}"
        return query

    @FUZZ
    @given(query=query_strings())
    def run(query):
        with example():
            ok(Client().get(f"{reverse('services:list')}?{query}"))

    run()


def test_service_pages_and_bid_starts_with_any_slug_are_a_page_or_a_404():
    service = ServiceFactory(name="Adult Education")
    bidder = UserFactory(organisation=OrganisationFactory())

    @FUZZ
    @given(slug=values | st.just(service.slug), raw=raw_bytes)
    def run(slug, raw):
        with example():
            for path in (
                f"/services/{quote(slug, safe='')}/",
                f"/services/{quote_from_bytes(raw)}/",
                f"/bids/start/{quote(slug, safe='')}/",
            ):
                ok(Client().get(path))
                ok(signed_in(bidder).get(path))

    run()
