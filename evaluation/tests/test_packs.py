"""Decision packs: what a rendered pack says, that it is tagged and reproducible, that nothing a
bidder wrote can make it fetch or attach anything, and the versions and states of its renders.

Real WeasyPrint renders real packs here, but only in a handful of tests: the rest exercise the
versions, the sweep and the admin without rendering."""

import datetime
import hashlib
import http.server
import io
import subprocess
import threading
from decimal import Decimal

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.roles import Role
from bids import clarifications, documents, workflow
from bids.factories import BusinessCaseFactory, complete_answers
from bids.models import Status
from bids.tests.files import pdf_bytes
from evaluation import assessments, sweeps
from evaluation.models import Assessment, Consensus, DecisionPack, Screening
from evaluation.packs import content, files, render, versions
from evaluation.review import assignments, decisions, moderation, reviews, screening
from evaluation.scoring.money import pounds

pytestmark = pytest.mark.django_db
State = DecisionPack.State
ALL_MET = dict.fromkeys(Screening.CHECKS, True)
REVIEWERS = ("Rae Reviewer", "Ron Reviewer", "Ria Reviewer")
REVIEW_SCORES = (2, 3, 4)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def submitted(answers=None, **kwargs):
    case = BusinessCaseFactory(complete=True, **kwargs)
    if answers is not None:
        case.answers = answers
        case.save(update_fields=["answers"])
    return case


def decide_with_three_reviewers(case, *, commissioning_officer, moderator):
    """Takes a draft through the officers' workflow by its own functions: a supporting document,
    submission and assessment, screening, a clarification answered, three reviewers who declared
    no interest and reviewed, one who declared an interest, moderation and an acceptance."""
    documents.add(
        case=case,
        upload=SimpleUploadedFile("Business plan.pdf", pdf_bytes(), "application/pdf"),
        by=case.created_by,
    )
    workflow.submit(case=case, by=case.created_by)
    assessments.assess_case(case.pk)
    case.refresh_from_db()
    screening.screen(
        case=case, by=commissioning_officer, route="kent", checks=ALL_MET, outcome="pass"
    )
    question = clarifications.ask(
        case=case, question="How many hubs will open in year one?", by=commissioning_officer
    )
    clarifications.answer(clarification=question, text="Four hubs, in Margate.", by=case.created_by)
    case.refresh_from_db()
    for n, name in enumerate(REVIEWERS):
        reviewer = UserFactory(role=Role.REVIEWER, full_name=name)
        assignment = assignments.assign(case=case, reviewer=reviewer, by=commissioning_officer)
        assignments.declare(assignment=assignment, by=reviewer, has_interest=False)
        review = reviews.review_for(assignment)
        reviews.save(
            review=review,
            by=reviewer,
            scores={
                c.pk: (REVIEW_SCORES[n], f"Comment {n + 1} on {c.title}")
                for c in review.framework.criteria.all()
            },
            submit=True,
        )
    recused = UserFactory(role=Role.REVIEWER, full_name="Rex Recused")
    assignments.declare(
        assignment=assignments.assign(case=case, reviewer=recused, by=commissioning_officer),
        by=recused,
        has_interest=True,
        interest="My sister chairs the co-operative.",
    )
    case = workflow.move(case=case, to=Status.MODERATION, by=commissioning_officer)
    framework = reviews.framework_of(case)
    moderation.record(
        case=case,
        by=moderator,
        scores={c.pk: (3, f"Agreed on {c.title}") for c in framework.criteria.all()},
        final=True,
    )
    decisions.decide(
        case=case,
        by=commissioning_officer,
        outcome="accepted",
        reasons="It saves money and keeps every hub open.",
    )
    case.refresh_from_db()
    return case


def rendered(case, *, by=None) -> DecisionPack:
    """Asks for a pack and renders it here and now, as a worker would."""
    pack = versions.request(case=case, by=by)
    made = versions.make(pack.pk)
    assert made is not None and made.state == State.READY, made and made.error
    return made


def pdf_text(data: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode()


def page_text(data: bytes, page: int) -> str:
    done = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode()


def flat(text: str) -> str:
    """The text without white space or hyphens: a table cell may wrap anywhere, and pdftotext
    joins a word broken after its hyphen without it."""
    return "".join(text.split()).replace("-", "")


def structure(pdf: pikepdf.Pdf) -> tuple[list[str], list[str]]:
    """Every structure element's type, and every Figure's alternative text."""
    kinds, alts = [], []
    seen = set()

    def walk(node):
        if isinstance(node, pikepdf.Array):
            for item in node:
                walk(item)
            return
        if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
            return
        key = node.objgen
        if key != (0, 0) and key in seen:
            return
        seen.add(key)
        kinds.append(str(node.S))
        if node.S == "/Figure" and "/Alt" in node:
            alts.append(str(node.Alt))
        if "/K" in node:
            walk(node.K)

    walk(pdf.Root.StructTreeRoot.K)
    return kinds, alts


def test_the_pack_of_a_case_with_three_reviewers_says_everything_tagged_and_reproducibly(
    commissioning_officer, moderator
):
    case = decide_with_three_reviewers(
        submitted(blind_review=False),
        commissioning_officer=commissioning_officer,
        moderator=moderator,
    )
    pack = rendered(case, by=commissioning_officer)
    with pack.file.open("rb") as f:
        data = f.read()
    assert hashlib.sha256(data).hexdigest() == pack.sha256
    assert pack.size == len(data) and files.intact(pack)
    assert pack.engine.startswith("WeasyPrint 70.")
    text = pdf_text(data)
    words = flat(text)

    # Every section, in the contents and as a heading.
    for _, heading in render.SECTIONS:
        assert text.count(heading) >= 2, heading
    # The cover.
    for fact in (case.reference, case.service.name, case.organisation.name, "Pack version"):
        assert fact in text
    assert "Decided" in text and "OFFICIAL" in text and f"Page 1 of {pack.pages}" in text
    # The service.
    service = case.service
    assert flat(pounds(service.gross_budget)) in words and service.directorate.name in text
    # The proposal as submitted, in the bidder's words.
    assert flat("A staff-led co-operative running the service from local hubs.") in words
    assert flat("Staff do not transfer.") in words
    # The financial comparison: year by year, the totals, whole-life cost and NPV, and a chart.
    assessment = Assessment.objects.get(case=case)
    for year in (1, 2, 3):
        assert f"Year {year}" in text
    assert text.count("£900,000") >= 3  # the bid's price in each year
    assert flat(pounds(service.net_budget * 3)) in words  # in-house over the term
    # The bid over the term, with its transition costs.
    assert flat(pounds(Decimal(3 * 900_000 + 50_000))) in words
    for key in ("npv_bid", "npv_in_house", "cost_bid", "cost_in_house"):
        assert flat(pounds(Decimal(assessment.whole_life[key]))) in words
    # The machine's assessment: total, each criterion's reason, sensitivity in sentences.
    assert f"{assessment.total} out of 100" in text
    for score in assessment.scores:
        assert flat(score["rule"]) in words, score["key"]
    assert "One weight at a time" in text
    # Each reviewer's scores and comments, named (the review was not blind).
    first = assessment.framework.criteria.first()
    for n, name in enumerate(REVIEWERS, start=1):
        assert flat(name) in words and flat(f"Comment {n} on {first.title}") in words
    # The consensus and its reasons beside the machine's.
    consensus = Consensus.objects.get(case=case)
    assert f"Consensus total {consensus.total} out of 100" in " ".join(text.split())
    assert flat(f"Agreed on {first.title}") in words
    assert flat(consensus.reasons[0]) in words
    # Screening, clarifications, conflicts, decision, documents, audit trail.
    assert flat("The bid window was open when it was submitted") in words
    assert (
        flat("How many hubs will open in year one?") in words
        and flat("Four hubs, in Margate.") in words
    )
    assert flat("Rex Recused") in words and flat("My sister chairs the co-operative.") in words
    assert "Accepted: proceed to a full business case" in text
    assert flat("It saves money and keeps every hub open.") in words
    document = case.documents.get()
    assert "Business plan.pdf" in text and document.sha256 in words
    assert "Review submitted" in text and "Consensus recorded" in text

    # The contents' page references are right.
    contents = page_text(data, 2)
    line = next(x for x in contents.splitlines() if "4. Financial comparison" in x)
    page = int(line.rstrip(". ").split(".")[-1].strip().split()[-1])
    assert page_text(data, page).lstrip().startswith(f"{case.reference}")
    assert "4. Financial comparison" in page_text(data, page)

    # Tagged and accessible: structure tree, language, title, outline, table headers, chart alts.
    pdf = pikepdf.open(io.BytesIO(data))
    assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
    assert str(pdf.Root.Lang) == "en-GB"
    assert str(pdf.docinfo.Title) == f"Decision pack {case.reference}, version 1"
    assert pdf.Root.ViewerPreferences.DisplayDocTitle
    outline = [item.title for item in pdf.open_outline().root]
    assert outline == ["Contents", *(heading for _, heading in render.SECTIONS)]
    kinds, alts = structure(pdf)
    assert {"/Table", "/THead", "/TH", "/TD", "/H1", "/H2", "/Figure"} <= set(kinds)
    assert "Cost to KCC each year: in-house against the bid" in alts
    assert "Score of each criterion, 0 to 5, against its threshold" in alts
    assert len(pdf.attachments) == 0

    # Rendering the same version again gives the very same bytes.
    pack.refresh_from_db()
    again, _ = render.pdf(render.html(content.gather(pack)))
    assert hashlib.sha256(again).hexdigest() == pack.sha256


class Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self):
        self.server.requests.append(self.path)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/etc-passwd-copy")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { background: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def attacks(port: int) -> list[str]:
    return [
        '<img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/passwd">',
        f'<style>@import url("http://127.0.0.1:{port}/import.css");</style>',
        f'<img src="http://127.0.0.1:{port}/redirect">',
    ]


def test_markup_a_bidder_wrote_is_printed_as_text_and_fetches_and_attaches_nothing(
    commissioning_officer, moderator, local_server
):
    payloads = attacks(local_server.server_address[1])
    answers = complete_answers()
    answers["proposal"]["data"]["summary"] = ["\n".join(payloads)]
    answers["outcomes"]["data"]["customer"] = [payloads[1]]
    answers["risks"]["data"]["risks-0-description"] = [payloads[3]]
    case = decide_with_three_reviewers(
        submitted(answers), commissioning_officer=commissioning_officer, moderator=moderator
    )
    fetch = render.fetcher()
    pack = versions.request(case=case, by=commissioning_officer)
    pack.refresh_from_db()
    data, _ = render.pdf(render.html(content.gather(pack)), fetch=fetch)

    assert local_server.requests == []
    assert fetch.refused == []  # escaped, the markup never became a request at all
    pdf = pikepdf.open(io.BytesIO(data))
    assert len(pdf.attachments) == 0
    assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
    assert "/AF" not in pdf.Root
    text = pdf_text(data)
    for payload in payloads:
        assert flat(payload) in flat(text), payload
    assert "root:x:0:0" not in text


def test_the_fetcher_refuses_files_local_servers_and_redirects_even_in_raw_markup(local_server):
    """The second line of defence: markup that did reach the renderer unescaped still fetches
    nothing but data: URLs and the project's static files."""
    port = local_server.server_address[1]
    fetch = render.fetcher()
    raw = (
        '<!DOCTYPE html><html lang="en-GB"><head><title>Raw</title></head><body>'
        + "".join(attacks(port))
        + '<img alt="a dot" src="data:image/svg+xml,'
        + "%3Csvg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/%3E\">"
        + "<p>Body</p></body></html>"
    )
    data, _ = render.pdf(raw, fetch=fetch)

    assert local_server.requests == []
    assert len(pikepdf.open(io.BytesIO(data)).attachments) == 0
    assert f"http://127.0.0.1:{port}/import.css" in fetch.refused
    assert f"http://127.0.0.1:{port}/redirect" in fetch.refused
    assert "file:///etc/passwd" in fetch.refused
    assert not any(url.startswith("data:") for url in fetch.refused)
    assert not any(url.startswith(render.STATIC_ORIGIN) for url in fetch.refused)


def test_the_static_origin_serves_only_files_the_static_finders_know():
    fetch = render.fetcher()
    assert b"@page" in fetch.fetch(render.STATIC_ORIGIN + render.STYLESHEET).read()
    for name in ("../kcc_portal/settings.py", "pack/../../manage.py", "nothing-here.css"):
        with pytest.raises(render.RefusedURL):
            fetch.fetch(render.STATIC_ORIGIN + name)


# --- What the pack says, without rendering ------------------------------------------------------


@pytest.fixture
def decided(commissioning_officer, moderator):
    return decide_with_three_reviewers(
        submitted(), commissioning_officer=commissioning_officer, moderator=moderator
    )


def test_a_blind_case_names_its_reviewers_by_number_everywhere_in_the_pack(decided):
    assert decided.blind_review
    pack = versions.request(case=decided)
    said = render.html(content.gather(pack))
    for name in (*REVIEWERS, "Rex Recused"):
        assert name not in said
    for n in (1, 2, 3, 4):
        assert f"Reviewer {n}" in said
    assert decided.organisation.name in said  # the bidder is named: the pack is the record


def test_an_anonymised_case_names_no_bidder(decided):
    decided.anonymised_at = timezone.now()
    decided.save(update_fields=["anonymised_at"])
    said = content.gather(versions.request(case=decided))
    assert said.bidder == "Anonymised"


def test_the_pack_reads_the_case_as_it_stood_when_the_pack_was_asked_for(
    decided, commissioning_officer
):
    pack = versions.request(case=decided)
    before = render.html(content.gather(pack))
    decisions.publish(case=decided, by=commissioning_officer)  # later: not in this version
    assert render.html(content.gather(pack)) == before
    later = render.html(content.gather(versions.request(case=decided)))
    assert "Decision published" in later and "Decision published" not in before


def test_gathering_a_pack_takes_the_same_queries_for_one_reviewer_as_for_three(
    decided, django_assert_max_num_queries
):
    pack = versions.request(case=decided)
    with django_assert_max_num_queries(16):
        content.gather(pack)


# --- Versions and the states of a render --------------------------------------------------------


def test_each_request_is_a_new_version_and_earlier_ones_are_kept(decided, commissioning_officer):
    first = versions.request(case=decided, by=commissioning_officer)
    second = versions.request(case=decided, by=commissioning_officer)
    assert (first.version, second.version) == (1, 2)
    assert list(decided.packs.values_list("version", "state")) == [
        (2, State.QUEUED),
        (1, State.QUEUED),
    ]


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.MODERATOR, Role.MEMBER, Role.BIDDER])
def test_only_commissioning_officers_and_admins_ask_for_packs(decided, role):
    with pytest.raises(versions.PackError, match="Only a commissioning officer"):
        versions.request(case=decided, by=UserFactory(role=role))
    assert not decided.packs.exists()


def test_a_draft_has_no_pack(commissioning_officer):
    with pytest.raises(versions.PackError, match="only a submitted business case"):
        versions.request(case=BusinessCaseFactory(), by=commissioning_officer)


def test_a_redelivered_render_does_nothing_once_another_has_claimed_the_pack(decided):
    pack = versions.request(case=decided)
    assert versions.claim(pack.pk) is not None
    assert versions.make(pack.pk) is None  # a second delivery of the same message
    pack.refresh_from_db()
    assert (pack.state, pack.file.name) == (State.RENDERING, "")


def test_a_failed_render_shows_its_reason_and_can_be_retried_as_the_same_version(
    decided, commissioning_officer, settings
):
    settings.STATICFILES_DIRS = []  # the stylesheet cannot be found: the render fails
    settings.STATIC_ROOT = settings.MEDIA_ROOT / "no-static"
    pack = versions.request(case=decided, by=commissioning_officer)
    failed = versions.make(pack.pk)
    assert failed.state == State.FAILED and failed.finished_at is not None
    assert "Rendering failed" in failed.error and "Try again" in failed.error
    assert not failed.file

    retried = versions.retry(pack=failed, by=commissioning_officer)
    assert (retried.version, retried.state, retried.error) == (1, State.QUEUED, "")
    with pytest.raises(versions.PackError, match="has not failed"):
        versions.retry(pack=retried, by=commissioning_officer)


def test_the_soft_time_limit_is_recorded_as_the_reason():
    from celery.exceptions import SoftTimeLimitExceeded

    assert "longer than the time limit" in versions.failure_reason(SoftTimeLimitExceeded())


def test_deciding_a_case_asks_for_its_pack(
    commissioning_officer, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = decide_with_three_reviewers(
            submitted(), commissioning_officer=commissioning_officer, moderator=moderator
        )
    # Queued for a worker (the tests' broker is Redis): nothing rendered in this process.
    assert list(case.packs.values_list("version", "state", "requested_by")) == [
        (1, State.QUEUED, None)
    ]


def test_the_sweep_requeues_stale_packs_and_asks_for_missing_ones(decided, settings):
    settings.PACK_SWEEP_AFTER_SECONDS = 60
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    waiting = versions.request(case=decided)
    stuck = versions.request(case=decided)
    fresh = versions.request(case=decided)
    DecisionPack.objects.filter(pk=waiting.pk).update(requested_at=long_ago)
    DecisionPack.objects.filter(pk=stuck.pk).update(
        state=State.RENDERING, started_at=long_ago, progress=25
    )
    versions.claim(fresh.pk)  # rendering now: left alone
    other = decide_with_three_reviewers(
        submitted(),
        commissioning_officer=UserFactory(role=Role.COMMISSIONING_OFFICER),
        moderator=UserFactory(role=Role.MODERATOR),
    )
    other.__class__.objects.filter(pk=other.pk).update(closed_at=long_ago)

    assert sweeps.queue_stale_packs() == 3
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert (stuck.state, stuck.progress) == (State.QUEUED, 0)
    assert fresh.state == State.RENDERING
    assert other.packs.get().state == State.QUEUED


# --- The officers' admin --------------------------------------------------------------------------


def test_an_officer_asks_for_a_pack_and_the_request_renders_nothing(
    client, decided, commissioning_officer, django_capture_on_commit_callbacks
):
    client.force_login(commissioning_officer)
    url = reverse("admin:bids_businesscase_packs", args=[decided.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"render": "Render a new version"})
    assert response.status_code == 302
    pack = decided.packs.get()
    assert (pack.version, pack.state, pack.file.name) == (1, State.QUEUED, "")
    page = client.get(url)
    assert b"Queued" in page.content and b'http-equiv="refresh"' in page.content


def test_a_ready_pack_is_downloaded_from_the_case_page_with_safe_headers(
    client, decided, commissioning_officer, moderator
):
    pack = rendered(decided)
    client.force_login(moderator)  # reads every case; may not render
    case_page = client.get(reverse("admin:bids_businesscase_change", args=[decided.pk]))
    link = reverse("admin:bids_businesscase_pack", args=[decided.pk, pack.pk])
    assert link.encode() in case_page.content and pack.sha256.encode() in case_page.content
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert (
        f'attachment; filename="{decided.reference}-decision-pack-v1.pdf"'
        == response["Content-Disposition"]
    )
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == pack.sha256
    packs = client.post(reverse("admin:bids_businesscase_packs", args=[decided.pk]))
    assert packs.status_code == 403


def test_a_reviewer_cannot_see_or_download_packs(client, decided):
    reviewer = decided.assignments.filter(has_interest=False).first().reviewer
    pack = versions.request(case=decided)
    client.force_login(reviewer)
    for url in (
        reverse("admin:bids_businesscase_packs", args=[decided.pk]),
        reverse("admin:bids_businesscase_pack", args=[decided.pk, pack.pk]),
        reverse("admin:evaluation_decisionpack_changelist"),
    ):
        assert client.get(url).status_code in {403, 404}, url


def test_the_bulk_action_is_offered_to_commissioning_officers_only(
    client, decided, commissioning_officer, moderator
):
    url = reverse("admin:bids_businesscase_changelist")
    client.force_login(moderator)
    assert b"render_decision_packs" not in client.get(url).content
    client.force_login(commissioning_officer)
    assert b"render_decision_packs" in client.get(url).content
    response = client.post(
        url, {"action": "render_decision_packs", "_selected_action": [decided.pk]}
    )
    assert response.status_code == 302
    assert decided.packs.get().state == State.QUEUED


def test_the_list_of_packs_takes_the_same_queries_for_one_pack_as_for_three(
    client, decided, admin_user
):
    client.force_login(admin_user)
    url = reverse("admin:evaluation_decisionpack_changelist")
    versions.request(case=decided)
    client.get(url)  # the first request of a session reads more (the session, the user's roles)
    one = _count_queries(client, url)
    versions.request(case=decided)
    versions.request(case=decided)
    assert _count_queries(client, url) == one


def _count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
