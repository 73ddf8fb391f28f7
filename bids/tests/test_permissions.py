"""Who may move a business case, and who may run each officer action: one table in
bids/workflow.py, checked by the workflow functions and by every admin action."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.roles import Role
from bids import clarifications, workflow
from bids.factories import BusinessCaseFactory
from bids.models import BusinessCase, Document, Event, Outcome, Status
from bids.tests.files import pdf_bytes

pytestmark = pytest.mark.django_db

# Everyone who might try: each role, a member of the case's organisation, a bidder from another
# organisation and nobody signed in.
ACTORS = [*Role.values, "organisation", "outsider", "anonymous"]
OFFICERS = [Role.REVIEWER, Role.COMMISSIONING_OFFICER, Role.MODERATOR, Role.ADMIN]


def actor_for(kind: str, case: BusinessCase):
    if kind == "organisation":
        return UserFactory(organisation=case.organisation)
    if kind == "outsider":
        return UserFactory(organisation=BusinessCaseFactory().organisation)
    if kind == "anonymous":
        return AnonymousUser()
    return UserFactory(role=kind)


def expected(kind: str, source: str, to: str) -> bool:
    who = workflow.MAY_MOVE.get((source, to), frozenset())
    return (
        to in workflow.ALLOWED[source]
        and ("organisation" if kind == "organisation" else kind) in who
    )


def test_every_move_in_the_table_names_who_may_make_it_and_nothing_else_is_named():
    allowed = {(source, to) for source, targets in workflow.ALLOWED.items() for to in targets}
    assert set(workflow.MAY_MOVE) == allowed
    assert all(workflow.MAY_MOVE.values())


def test_the_table_says_what_the_council_expects():
    commissioning = frozenset({Role.COMMISSIONING_OFFICER, Role.ADMIN})
    assert workflow.MAY_MOVE[(Status.SUBMITTED, Status.SCREENING)] == commissioning
    assert workflow.MAY_MOVE[(Status.MODERATION, Status.DECIDED)] == commissioning
    assert workflow.MAY_MOVE[(Status.DECIDED, Status.PUBLISHED)] == commissioning
    assert Role.MODERATOR in workflow.MAY_MOVE[(Status.UNDER_REVIEW, Status.MODERATION)]
    for source in workflow.OPEN:
        assert workflow.MAY_MOVE[(source, Status.WITHDRAWN)] == {"organisation"}
    for who in workflow.MAY_MOVE.values():
        assert Role.REVIEWER not in who and Role.MEMBER not in who and Role.BIDDER not in who


@pytest.mark.parametrize("kind", ACTORS)
def test_every_move_is_refused_unless_the_table_allows_it_for_that_role(kind):
    """For each status a case can be in and each status it might be moved to, `move` does it
    exactly when ALLOWED and MAY_MOVE both say so, and otherwise changes nothing."""
    for source in Status.values:
        case = BusinessCaseFactory(status=source)
        user = actor_for(kind, case)
        for to in Status.values:
            if to == Status.SUBMITTED:
                continue  # submission has its own function (below)
            BusinessCase.objects.filter(pk=case.pk).update(status=source)
            case.events.all().delete()
            case.refresh_from_db()
            outcome = Outcome.REJECTED if to == Status.DECIDED else ""
            if expected(kind, source, to):
                workflow.move(case=case, to=to, by=user, outcome=outcome)
                assert BusinessCase.objects.get(pk=case.pk).status == to, (kind, source, to)
                event = case.events.get()
                assert (event.from_status, event.to_status) == (source, to)
                assert event.actor == (None if kind == "anonymous" else user)
            else:
                with pytest.raises(workflow.WorkflowError):
                    workflow.move(case=case, to=to, by=user, outcome=outcome)
                assert BusinessCase.objects.get(pk=case.pk).status == source, (kind, source, to)
                assert not case.events.exists()


@pytest.mark.parametrize("kind", ACTORS)
def test_move_never_submits_a_draft(kind):
    case = BusinessCaseFactory(complete=True)
    with pytest.raises(workflow.WorkflowError) as e:
        workflow.move(case=case, to=Status.SUBMITTED, by=actor_for(kind, case))
    assert str(e.value) == "A draft is submitted by its organisation, with its answers complete."
    case.refresh_from_db()
    assert (case.status, case.reference) == (Status.DRAFT, None)


@pytest.mark.parametrize("kind", [k for k in ACTORS if k != "organisation"])
def test_only_the_organisation_submits_its_draft(kind):
    case = BusinessCaseFactory(complete=True)
    with pytest.raises(workflow.WorkflowError) as e:
        workflow.submit(case=case, by=actor_for(kind, case))
    assert str(e.value) == "Only members of the organisation can submit this business case."
    assert BusinessCase.objects.get(pk=case.pk).status == Status.DRAFT


def test_a_refusal_says_who_could_make_the_move():
    case = BusinessCaseFactory(status=Status.SUBMITTED)
    with pytest.raises(workflow.WorkflowError) as e:
        workflow.move(case=case, to=Status.SCREENING, by=UserFactory(role=Role.REVIEWER))
    assert str(e.value) == (
        "Only a commissioning officer can move a business case from submitted to screening."
    )
    case = BusinessCaseFactory(status=Status.UNDER_REVIEW)
    with pytest.raises(workflow.WorkflowError) as e:
        workflow.move(case=case, to=Status.MODERATION, by=UserFactory(role=Role.REVIEWER))
    assert str(e.value) == (
        "Only a commissioning officer or a moderator can move a business case from under review "
        "to moderation."
    )


def test_an_inactive_officer_moves_nothing():
    case = BusinessCaseFactory(status=Status.SUBMITTED)
    officer = UserFactory(role=Role.COMMISSIONING_OFFICER, is_active=False)
    with pytest.raises(workflow.WorkflowError):
        workflow.move(case=case, to=Status.SCREENING, by=officer)


@pytest.mark.parametrize("kind", ACTORS)
def test_only_officers_working_on_cases_ask_clarifications(kind):
    case = BusinessCaseFactory(status=Status.SCREENING)
    user = actor_for(kind, case)
    may_ask = kind in {Role.REVIEWER, Role.COMMISSIONING_OFFICER, Role.MODERATOR, Role.ADMIN}
    if may_ask:
        clarifications.ask(case=case, question="Which sites?", by=user)
        assert case.clarifications.count() == 1
    else:
        with pytest.raises(clarifications.ClarificationError):
            clarifications.ask(case=case, question="Which sites?", by=user)
        assert case.clarifications.count() == 0


# --- Admin actions -------------------------------------------------------------------------

CHANGELIST = reverse("admin:bids_businesscase_changelist")


def officer_moves(client, user, case, to):
    client.force_login(user)
    return client.post(CHANGELIST, {"action": f"move_to_{to}", "_selected_action": [case.pk]})


@pytest.mark.parametrize("role", OFFICERS)
@pytest.mark.parametrize(
    ("source", "to"),
    [
        (Status.SUBMITTED, Status.SCREENING),
        (Status.SCREENING, Status.UNDER_REVIEW),
        (Status.UNDER_REVIEW, Status.MODERATION),
        (Status.MODERATION, Status.UNDER_REVIEW),
    ],
)
def test_each_move_action_runs_only_for_the_roles_the_table_names(client, role, source, to):
    case = BusinessCaseFactory(status=source, reference=f"RTB-2026-{source[:4]}")
    user = UserFactory(role=role)
    client.force_login(user)
    listed = f'value="move_to_{to}"' in client.get(CHANGELIST).content.decode()
    response = officer_moves(client, user, case, to)
    moved = BusinessCase.objects.get(pk=case.pk).status == to
    # Offered to the roles that make some move to `to`; made only where this move allows them.
    assert listed == (role in workflow.roles_moving_to(to)), (role, source, to)
    assert moved == (role in workflow.MAY_MOVE[(source, to)]), (role, source, to)
    assert response.status_code in {200, 302}


def test_a_reviewer_cannot_move_a_case_to_under_review_from_the_admin(client, reviewer):
    """The finding: a reviewer ran "Move to under review" and was recorded as the actor."""
    case = BusinessCaseFactory(status=Status.SCREENING, reference="RTB-2026-0001")
    officer_moves(client, reviewer, case, Status.UNDER_REVIEW)
    assert BusinessCase.objects.get(pk=case.pk).status == Status.SCREENING
    assert not Event.objects.filter(case=case).exists()


@pytest.mark.parametrize("role", [Role.BIDDER, Role.MEMBER])
def test_bidders_and_members_never_reach_the_admin(client, role):
    case = BusinessCaseFactory(status=Status.SUBMITTED, reference="RTB-2026-0001")
    client.force_login(UserFactory(role=role, organisation=case.organisation))
    assert client.get(CHANGELIST).status_code == 302
    response = officer_moves(client, UserFactory(role=role), case, Status.SCREENING)
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert BusinessCase.objects.get(pk=case.pk).status == Status.SUBMITTED


# --- Officers download supporting documents ------------------------------------------------


def document_of(case) -> Document:
    document = Document(
        case=case,
        name="accounts 2025.pdf",
        kind="pdf",
        size=len(pdf_bytes()),
        sha256="0" * 64,
        uploaded_by=case.created_by,
    )
    document.file.save("upload", ContentFile(pdf_bytes()), save=False)
    document.save()
    return document


def download_url(document) -> str:
    return reverse("admin:bids_businesscase_document", args=[document.case_id, document.public_id])


@pytest.fixture
def submitted_document(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    case = BusinessCaseFactory(status=Status.SUBMITTED, reference="RTB-2026-0007")
    return document_of(case)


@pytest.mark.parametrize("role", [r for r in OFFICERS if r != Role.REVIEWER])
def test_officers_download_a_submitted_cases_documents(client, role, submitted_document):
    """Reviewers download only what they are assigned to (evaluation/tests/test_access.py)."""
    client.force_login(UserFactory(role=role))
    response = client.get(download_url(submitted_document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="accounts 2025.pdf"'
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))


def test_the_case_page_links_to_the_officers_download(client, moderator, submitted_document):
    client.force_login(moderator)
    page = client.get(reverse("admin:bids_businesscase_change", args=[submitted_document.case_id]))
    assert f'href="{download_url(submitted_document)}"' in page.content.decode()
    assert submitted_document.get_absolute_url() not in page.content.decode()


@pytest.mark.parametrize("role", [Role.BIDDER, Role.MEMBER, None])
def test_people_who_are_not_officers_cannot_download_through_the_admin(
    client, role, submitted_document
):
    if role:
        client.force_login(
            UserFactory(role=role, organisation=submitted_document.case.organisation)
        )
    response = client.get(download_url(submitted_document))
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_an_officer_without_the_document_permission_gets_404(client, submitted_document):
    staff = UserFactory(role=None, is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_businesscase"))
    client.force_login(staff)
    assert client.get(download_url(submitted_document)).status_code == 404


def test_a_drafts_documents_and_another_cases_documents_are_not_found(
    client, moderator, submitted_document
):
    client.force_login(moderator)
    draft_document = document_of(BusinessCaseFactory())
    assert client.get(download_url(draft_document)).status_code == 404
    other = BusinessCaseFactory(status=Status.SUBMITTED, reference="RTB-2026-0008")
    crossed = reverse(
        "admin:bids_businesscase_document", args=[other.pk, submitted_document.public_id]
    )
    assert client.get(crossed).status_code == 404


@pytest.mark.parametrize("action", workflow.Action.values)
def test_every_action_is_open_only_in_its_statuses_and_to_its_roles(action):
    """For each action, each status and each kind of actor: check_may lets it through exactly
    when MAY_ACT names the actor and OPEN_IN names the status."""
    for source in Status.values:
        case = BusinessCaseFactory(status=source)
        for kind in ACTORS:
            user = actor_for(kind, case)
            allowed = kind in workflow.MAY_ACT[action] and source in workflow.OPEN_IN[action]
            if allowed:
                workflow.check_may(user, case, action)
            else:
                with pytest.raises(workflow.WorkflowError):
                    workflow.check_may(user, case, action)
