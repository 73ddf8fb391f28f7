"""Every list page and admin changelist runs the same queries at 10 rows as at 1,000, pages its
rows, counts once (estimating past kcc_portal.admin_lists.EXACT_UP_TO) and searches through each
field's own index; every admin change page runs the same queries however many rows its inlines
have. Rows are bulk-inserted (kcc_portal/tests/bulk.py)."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.roles import Role
from bids.models import BusinessCase, Event, Status
from evaluation.models import Assessment, Assignment, DecisionPack
from kcc_portal import admin_lists
from kcc_portal.admin_lists import EstimatedCountPaginator, ScaledAdmin
from kcc_portal.tests import bulk

pytestmark = pytest.mark.django_db


REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def grow(n: int):
    """n cases (and n/10 organisations and services) with what each list shows beside them."""
    orgs = bulk.organisations(max(1, n // 10))
    return bulk.cases(n, orgs=orgs, services_=bulk.services(max(1, n // 10)))


@pytest.mark.parametrize(
    "model_admin", [a for _, a in REGISTERED], ids=[m._meta.label for m, _ in REGISTERED]
)
def test_every_admin_list_pages_and_counts_once(model_admin):
    assert isinstance(model_admin, ScaledAdmin)
    assert model_admin.show_full_result_count is False  # no second COUNT(*) of the table
    assert model_admin.paginator is EstimatedCountPaginator
    assert model_admin.list_per_page <= 100
    assert not model_admin.date_hierarchy  # it reads every row's date on every page


def test_every_changelist_and_its_search_run_the_same_queries_at_10_and_1000_cases(
    client, admin_user
):
    grow(10)
    urls = [changelist_url(model) for model, _ in REGISTERED]
    urls += [
        changelist_url(BusinessCase) + "?q=community+bid",
        changelist_url(BusinessCase) + "?status__exact=under_review&q=Bulk",
        changelist_url(Assignment) + "?q=RTB-B",
        changelist_url(Assessment) + "?q=group",
        changelist_url(DecisionPack) + "?q=RTB",
    ]
    client.force_login(admin_user)
    client.get(urls[0])  # the first request after signing in renews the session
    few = {url: queries_for(client, url) for url in urls}
    grow(990)
    many = {url: queries_for(client, url) for url in urls}
    assert {url: n for url, n in many.items() if n != few[url]} == {}


def test_the_case_search_finds_by_each_field_and_every_word(client, admin_user):
    made = grow(20)
    target = next(c for c in made if c.status == Status.SCREENING)
    client.force_login(admin_user)
    url = changelist_url(BusinessCase)

    def found(q):
        return {c.reference for c in client.get(url, {"q": q}).context["cl"].result_list}

    assert found(target.reference) == {target.reference}
    by_org = found(f'"{target.organisation.name}"')
    assert target.reference in by_org
    assert all(
        target.organisation.name in BusinessCase.objects.get(reference=r).organisation.name
        for r in by_org
    )
    assert target.reference in found(target.service.name)
    # Every word must match (in any field): the organisation's and the reference's together.
    assert found(f'"{target.organisation.name}" {target.reference}') == {target.reference}
    assert found("no-such-thing-anywhere") == set()
    # Drafts stay out of the officers' list, whatever the search.
    draft = next(c for c in made if c.status == Status.DRAFT)
    BusinessCase.objects.filter(pk=draft.pk).update(title="A draft like no other")
    assert found("like no other") == set()


def test_a_reviewers_search_reaches_only_their_cases(client):
    made = grow(16)
    _, reviewers = bulk.officers()
    client.force_login(reviewers[0])
    found = client.get(changelist_url(BusinessCase), {"q": "community bid"}).context["cl"]
    mine = {c.pk for c in made if c.status == Status.UNDER_REVIEW}
    assert {c.pk for c in found.result_list} == mine


def test_counts_are_exact_up_to_the_cap_and_estimated_past_it(monkeypatch):
    grow(30)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE bids_businesscase")
    cases = BusinessCase.objects.order_by("pk")
    assert EstimatedCountPaginator(cases, 10).count == 30
    monkeypatch.setattr(admin_lists, "EXACT_UP_TO", 5)
    paginator = EstimatedCountPaginator(cases, 10)
    assert paginator.count > 5 and paginator.estimated
    exact = EstimatedCountPaginator(cases.filter(pk=cases[0].pk), 10)
    assert exact.count == 1 and not exact.estimated


def test_a_count_that_takes_too_long_is_estimated_and_the_time_limit_put_back(monkeypatch):
    grow(30)
    monkeypatch.setattr(admin_lists, "COUNT_TIME_LIMIT_MS", 50)
    slow = BusinessCase.objects.extra(where=["pg_sleep(0.01) IS NOT NULL"])  # 10 ms a row
    paginator = EstimatedCountPaginator(slow, 10)
    assert paginator.count >= 1 and paginator.estimated
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
    assert BusinessCase.objects.count() == 30  # the connection still works


def test_common_words_are_tested_row_by_row_with_the_same_results(client, admin_user, monkeypatch):
    grow(40)
    client.force_login(admin_user)
    url = changelist_url(BusinessCase)

    def found(q):
        return sorted(c.pk for c in client.get(url, {"q": q, "all": ""}).context["cl"].result_list)

    terms = ["community", "bid 1", "group 2 RTB", "Bulk service 3"]
    by_union = [found(q) for q in terms]
    monkeypatch.setattr(admin_lists, "EXACT_UP_TO", 0)  # every word is "common"
    assert [found(q) for q in terms] == by_union
    assert all(by_union)


def test_the_case_list_reads_neither_answers_nor_record(client, admin_user):
    grow(10)
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as queries:
        client.get(changelist_url(BusinessCase))
    page_query = next(q["sql"] for q in queries if '"bids_businesscase"."reference"' in q["sql"])
    assert '"bids_businesscase"."answers"' not in page_query
    assert '"bids_businesscase"."record"' not in page_query


# --- Change pages ------------------------------------------------------------------------------


def test_the_case_page_shows_the_latest_20_events_newest_first(client, admin_user):
    case = grow(2)[1]
    for i in range(30):
        Event.objects.create(case=case, kind=Event.Kind.MOVED, note=f"move {i}")
    client.force_login(admin_user)
    html = client.get(reverse("admin:bids_businesscase_change", args=[case.pk])).content.decode()
    # Today's "viewed" event, then the 19 latest moves.
    assert "move 29" in html and "move 11" in html
    assert "move 10" not in html and "move 9" not in html
    assert html.index("move 29") < html.index("move 11")
    assert "Timeline: the latest 20 events, newest first" in html


def test_the_organisation_page_runs_the_same_queries_with_1_and_30_members(client, admin_user):
    org = bulk.organisations(1)[0]
    url = reverse("admin:accounts_organisation_change", args=[org.pk])
    client.force_login(admin_user)
    client.get(url)
    with_one = queries_for(client, url)
    bulk.members([org], each=30)
    assert queries_for(client, url) == with_one
    html = client.get(url).content.decode()
    assert html.count("@example.org") == 20  # the latest 20 members


def test_every_change_page_runs_the_same_queries_at_10_and_1000_cases(client, admin_user):
    made = grow(10)
    case = next(c for c in made if c.status == Status.DECIDED)
    under_review = next(c for c in made if c.status == Status.UNDER_REVIEW)
    pages = [
        reverse("admin:bids_businesscase_change", args=[case.pk]),
        reverse("admin:accounts_organisation_change", args=[case.organisation_id]),
        reverse("admin:accounts_user_change", args=[case.created_by_id]),
        reverse("admin:services_service_change", args=[case.service_id]),
        reverse("admin:evaluation_assessment_change", args=[case.assessments.get().pk]),
        reverse("admin:evaluation_decisionpack_change", args=[case.packs.get().pk]),
        reverse("admin:evaluation_assignment_change", args=[under_review.assignments.first().pk]),
    ]
    client.force_login(admin_user)
    for url in pages:
        client.get(url)  # the day's "viewed" event is written once
    few = {url: queries_for(client, url) for url in pages}
    grow(990)
    assert {url: queries_for(client, url) for url in pages} == few


# --- Public pages ------------------------------------------------------------------------------


def test_the_bidders_list_runs_the_same_queries_at_10_and_1000_cases(client):
    org = bulk.organisations(1)[0]
    services_ = bulk.services(5)
    bulk.cases(10, orgs=[org], services_=services_)
    user = org.members.get()
    client.force_login(user)
    url = reverse("bids:list")
    client.get(url)
    few = queries_for(client, url)
    bulk.cases(990, orgs=[org], services_=services_)
    assert queries_for(client, url + "?page=30") == few
    assert len(client.get(url).context["cases"]) == 20


def test_the_members_list_runs_the_same_queries_at_10_and_1000_cases(client):
    member = UserFactory(role=Role.MEMBER)
    grow(10)
    client.force_login(member)
    url = reverse("members:list")
    client.get(url)
    few = queries_for(client, url)
    grow(990)
    assert queries_for(client, url + "?page=5") == few


def test_the_organisation_page_pages_its_members(client):
    org = bulk.organisations(1)[0]
    user = UserFactory(organisation=org)
    url = reverse("accounts:organisation")
    client.force_login(user)
    client.get(url)
    few = queries_for(client, url)
    bulk.members([org], each=120)
    assert queries_for(client, url + "?page=2") == few
    response = client.get(url + "?page=3")
    assert len(response.context["members"]) == 122 - 100
    html = response.content.decode()
    assert '<nav class="govuk-pagination" aria-label="Pagination">' in html
    assert 'rel="prev"' in html and 'rel="next"' not in html


def test_the_full_timeline_pages_every_event_in_the_same_queries(client, admin_user):
    case = grow(2)[1]
    url = reverse("admin:bids_businesscase_timeline", args=[case.pk])
    client.force_login(admin_user)
    client.get(url)
    few = queries_for(client, url)
    actor = UserFactory(full_name="Tim Eline")
    Event.objects.bulk_create(
        [Event(case=case, kind=Event.Kind.MOVED, actor=actor, note=f"move {i}") for i in range(120)]
    )
    assert queries_for(client, url + "?page=2") == few
    html = client.get(url + "?page=3").content.decode()
    assert "move 0" in html and "Tim Eline" in html and 'rel="next"' not in html
    case_page = client.get(reverse("admin:bids_businesscase_change", args=[case.pk]))
    assert url in case_page.content.decode()


def test_the_timeline_is_for_those_who_may_read_the_case_and_blind_for_reviewers(client):
    made = grow(16)
    _, reviewers = bulk.officers()
    mine = next(c for c in made if c.status == Status.UNDER_REVIEW)  # blind by default
    other = next(c for c in made if c.status == Status.SCREENING)
    Event.objects.create(case=mine, kind=Event.Kind.MOVED, actor=UserFactory(full_name="Named"))
    client.force_login(reviewers[0])
    html = client.get(reverse("admin:bids_businesscase_timeline", args=[mine.pk])).content.decode()
    assert "Status changed" in html and "Named" not in html
    response = client.get(reverse("admin:bids_businesscase_timeline", args=[other.pk]))
    assert response.status_code == 404
    client.force_login(UserFactory(role=Role.BIDDER, organisation=mine.organisation))
    response = client.get(reverse("admin:bids_businesscase_timeline", args=[mine.pk]))
    assert response.status_code == 302  # to the admin's sign-in: bidders are not staff


def test_short_and_common_words_find_the_rows_djangos_own_search_finds(rf, admin_user):
    """Words no trigram index can find ("12", "B") and words in most rows are tested row by
    row, related fields through `IN (the matching rows)`: the same rows as the admin's default
    search, on every model searched that way."""
    from accounts.models import Organisation, User

    grow(40)
    request = rf.get("/")
    request.user = admin_user
    terms = {
        BusinessCase: ["bid 1", "12", "B 3", "group 2 RTB", "Bulk service 3", "community x"],
        Organisation: ["group 1", "1", "group 3 Bulk"],
        User: ["person 3", "3", "bulk 1-0"],
        Assignment: ["RTB-B-00001", "B 2", "reviewer"],
    }
    for model, words in terms.items():
        model_admin = admin.site._registry[model]
        rows = model_admin.get_queryset(request)
        for term in words:
            ours, _ = model_admin.get_search_results(request, rows, term)
            theirs, _ = admin.ModelAdmin.get_search_results(model_admin, request, rows, term)
            assert set(ours.values_list("pk", flat=True)) == set(
                theirs.values_list("pk", flat=True)
            ), (model, term)
            if term in ("12", "person 3", "group 1", "bid 1"):
                assert ours.exists(), (model, term)


def test_only_words_of_three_letters_or_digits_go_to_the_trigram_index():
    assert admin_lists.indexable("bid") and admin_lists.indexable("RTB-B-00001")
    assert not admin_lists.indexable("12") and not admin_lists.indexable("B-3")
    assert not admin_lists.indexable("a_b")


def test_a_related_field_is_tested_without_joining_its_table():
    test = admin_lists._row_test(BusinessCase, "organisation__name__icontains", "group")
    sql = str(BusinessCase.objects.filter(test).query)
    assert "JOIN" not in sql and '"organisation_id" IN (SELECT' in sql


def test_a_search_takes_an_estimate_far_past_the_cap_without_counting(
    client, admin_user, monkeypatch
):
    grow(30)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE bids_businesscase")
    monkeypatch.setattr(admin_lists, "TRUSTED_ESTIMATE", 5)
    with CaptureQueriesContext(connection) as queries:
        paginator = EstimatedCountPaginator(BusinessCase.objects.order_by("pk"), 10)
        paginator.estimate_first = True
        assert paginator.count > 5 and paginator.estimated
    assert [q["sql"].split()[0] for q in queries] == ["EXPLAIN"]
    # Without a search, the count comes first, as ever.
    assert EstimatedCountPaginator(BusinessCase.objects.order_by("pk"), 10).count == 30
    client.force_login(admin_user)
    searched = client.get(changelist_url(BusinessCase), {"q": "bid 1"}).context["cl"]
    assert searched.paginator.estimate_first and searched.paginator.estimated
    plain = client.get(changelist_url(BusinessCase)).context["cl"]
    assert not plain.paginator.estimate_first


def test_each_rows_link_and_checkbox_are_djangos_own(client, admin_user):
    """The changelist makes its rows' links and checkboxes more cheaply than Django does
    (admin_lists.DeferringChangeList, ScaledAdmin.action_checkbox): the same markup, and a link
    that keeps the list's search and filters, so that saving returns to the same list."""
    from django.contrib.admin import helpers
    from django.forms import CheckboxInput
    from django.utils.html import format_html

    from accounts.models import Organisation

    orgs = bulk.organisations(3)
    client.force_login(admin_user)
    url = changelist_url(Organisation)
    page = client.get(url, {"q": "community group", "body_type__exact": "voluntary"})
    html = page.content.decode()

    for org in orgs:
        change = reverse("admin:accounts_organisation_change", args=[org.pk])
        filters = "_changelist_filters=q%3Dcommunity%2Bgroup%26body_type__exact%3Dvoluntary"
        assert f'<a href="{change}?{filters}">{org.name}</a>' in html
        checkbox = CheckboxInput(
            {
                "class": "action-select",
                "aria-label": format_html("Select this object for an action - {}", str(org)),
            },
            lambda value: False,
        ).render(helpers.ACTION_CHECKBOX_NAME, str(org.pk))
        assert checkbox in html
    # Unfiltered, the links are bare.
    plain = client.get(url).content.decode()
    change = reverse("admin:accounts_organisation_change", args=[orgs[0].pk])
    assert f'<a href="{change}">{orgs[0].name}</a>' in plain
