"""The whole story in one Chromium test, with real Celery workers on PostgreSQL and Redis.

A voluntary group signs up, sets up its organisation, writes and submits a business case; a
worker scores it; officers screen, assign, review, moderate, decide and publish in the admin; a
worker renders the decision pack; an elected member filters the decided cases, opens this one and
downloads its pack; anyone can then read the decision in the public register and find it in the
OCDS release package. axe runs on every GOV.UK page on the way (none at all) and on every admin
page (no serious or critical violation). The steps are the ones the journey tests take
(bids/tests/journeys.py, evaluation/tests/journeys.py).
"""

import hashlib
import json
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from accounts.roles import Role
from bids.models import Event, Status
from bids.tests import journeys as bidder_journeys
from evaluation.models import Assessment, DecisionPack
from evaluation.tests import journeys as officer_journeys
from evaluation.tests.test_workers import wait_for
from services.factories import ServiceFactory
from services.models import District

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_the_whole_story_from_sign_up_to_the_public_register(
    page, site, check, as_user, admin_check, start_worker, mailoutbox, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    worker = start_worker(MEDIA_ROOT=str(tmp_path))
    thanet = District.objects.get(name="Thanet")
    service = ServiceFactory(
        name="Day Services for Older People",
        net_budget=Decimal("3600000"),
        gross_budget=Decimal("4100000"),
        districts=[thanet],
    )
    commissioning_officer = UserFactory(role=Role.COMMISSIONING_OFFICER, full_name="Cam Officer")
    moderator = UserFactory(role=Role.MODERATOR, full_name="Mo Moderator")
    reviewers = [
        UserFactory(role=Role.REVIEWER, full_name="Rae Reviewer"),
        UserFactory(role=Role.REVIEWER, full_name="Ron Reviewer"),
    ]
    member = UserFactory(role=Role.MEMBER, full_name="Cllr Mel Member")

    # A group signs up, sets up its organisation, writes and submits.
    case = bidder_journeys.a_group_signs_up_writes_and_submits(
        page, site.url, check, mailoutbox, tmp_path, service
    )

    # The worker scores it.
    wait_for(
        lambda: Assessment.objects.filter(case=case).exists(),
        what="the worker's assessment",
        logs=[worker],
    )
    case.refresh_from_db()
    page.reload()
    expect(page.get_by_text("Assessed. Officers are now reviewing it")).to_be_visible()

    # Officers screen, assign, review, moderate, decide and publish.
    officer_journeys.officers_decide_and_publish(
        page,
        site.url,
        as_user,
        admin_check,
        case,
        commissioning_officer=commissioning_officer,
        moderator=moderator,
        reviewers=reviewers,
        mailoutbox=mailoutbox,
    )
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED

    # The worker renders the decision pack that the decision asked for.
    wait_for(
        lambda: case.packs.filter(state=DecisionPack.State.READY).exists(),
        timeout=120,
        what="the decision pack",
        logs=[worker],
    )
    pack = case.packs.get(state=DecisionPack.State.READY)

    # A member finds it by district and downloads it.
    as_user(member)
    page.goto(site.url + "/")
    page.get_by_role("link", name="Members' area").click()
    check("Decided business cases")
    page.get_by_label("District").select_option(label="Thanet")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"district=thanet"))
    check("Decided business cases")
    page.get_by_role("link", name=f"{case.reference}: {service.name}").click()
    check(service.name)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"Download the decision pack \(PDF, ")).click()
    download = download_info.value
    assert download.suggested_filename == f"{case.reference}-decision-pack-v{pack.version}.pdf"
    with open(download.path(), "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == pack.sha256
    assert Event.objects.filter(case=case, kind=Event.Kind.PACK_DOWNLOADED, actor=member).exists()

    # Anyone reads the decision in the public register, and finds it in the open data.
    page.context.clear_cookies()
    page.goto(site.url + "/")
    page.get_by_role("link", name="Register of decisions").click()
    check("Register of decisions")
    page.get_by_role("link", name=re.compile(case.reference)).click()
    check(service.name)
    expect(page.locator("main")).to_contain_text("It saves money and keeps the service local.")
    expect(page.locator("main")).to_contain_text("Thanet Care Co-operative")
    expect(page.locator("main")).not_to_contain_text(str(case.assessments.get().total))

    response = page.request.get(site.url + "/decisions/ocds.json")
    assert response.ok
    package = json.loads(response.body())
    (release,) = [r for r in package["releases"] if r["ocid"].endswith(case.reference)]
    assert release["ocid"].startswith(settings.OCDS_OCID_PREFIX)
    assert case.created_by.email not in response.text()
