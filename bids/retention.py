"""Removing the personal data of closed business cases once the retention period has passed, while
keeping the record of what was decided.

UK GDPR storage limitation (the reasons and periods are beside PERSONAL_DATA_RETENTION_DAYS in
settings.py). A withdrawn case, or a rejected one, is anonymised that many days after it was
withdrawn or decided (`closed_at`). It keeps its reference, service, organisation, status, outcome,
dates, automatic assessment (scores of figures, not of people) and the timeline's kinds, dates and
statuses. It loses what the bidder wrote and who they were: the answers (a withdrawn case's all
go; a rejected case's sections each become a dated marker), the documents' files and names (each
row stays, with its size and SHA-256 as evidence of what was received), the answers to
clarification questions (officers' questions stay), the notes the bidder wrote on the timeline
and the link from timeline lines to bidders' accounts. Accepted cases are never touched.

An organisation whose cases are all anonymised and whose members have not signed in within the
account retention period is anonymised too (accounts/retention.py), and unused accounts are, except
those of organisations with a case under consideration. Idempotent: a second run finds nothing.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts import retention as accounts
from accounts.models import Organisation
from bids.models import BusinessCase, Document, Event, Outcome, Status
from bids.signals import case_anonymised
from bids.workflow import UNDER_CONSIDERATION

log = logging.getLogger(__name__)

REMOVED_DOCUMENT_NAME = "Document removed under the retention policy"
# Timeline notes written by the bidder: the reason for withdrawing, answers to clarification
# questions, and file names (which often name people). Officers' notes and questions stay.
BIDDER_NOTES = {
    Event.Kind.WITHDRAWN,
    Event.Kind.QUESTION_ANSWERED,
    Event.Kind.DOCUMENT_ADDED,
    Event.Kind.DOCUMENT_REMOVED,
}


def cutoff(now: datetime.datetime) -> datetime.datetime:
    """Cases closed before this are past the retention period."""
    return now - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)


def due(*, now: datetime.datetime):
    """Withdrawn and rejected cases closed before the retention period and not yet anonymised."""
    closed = Q(status=Status.WITHDRAWN) | Q(outcome=Outcome.REJECTED)
    return BusinessCase.objects.filter(
        closed, anonymised_at=None, closed_at__lt=cutoff(now)
    ).order_by("closed_at", "pk")


def removed_answers(case: BusinessCase, *, now: datetime.datetime) -> dict:
    """What the answers become. A withdrawn case was never decided: nothing of it is needed. A
    rejected case keeps, for each section the bidder answered, a marker dated today in the shape
    bids/sections.py reads (an empty draft), so the record shows what was there and when it
    went. The figures the decision rested on are in its assessment."""
    if case.outcome != Outcome.REJECTED:
        return {}
    removed = now.date().isoformat()
    return {key: {"data": {}, "checked": False, "removed": removed} for key in case.answers}


def anonymise_case(*, case_id: int, now: datetime.datetime) -> int | None:
    """Anonymises one case that is due; returns how many documents' files it deletes (after
    commit), or None when the case is not due (done already, or changed meanwhile)."""
    with transaction.atomic():
        case = due(now=now).select_for_update().filter(pk=case_id).first()
        if case is None:
            return None
        documents = list(case.documents.exclude(file=""))
        case.documents.update(name=REMOVED_DOCUMENT_NAME, file="")
        case.clarifications.filter(Q(answered_by__isnull=False) | ~Q(answer="")).update(
            answer="", answered_by=None
        )
        case.events.filter(kind__in=BIDDER_NOTES).exclude(note="").update(note="")
        # Officers (staff) stay on the timeline; the bidder's people do not.
        case.events.filter(actor__is_staff=False).update(actor=None)
        case.answers = removed_answers(case, now=now)
        # The record as submitted is the bidder's text too; the assessment keeps the figures.
        case.record = {}
        case.anonymised_at = now
        case.save(update_fields=["answers", "record", "anonymised_at"])
        storage = Document._meta.get_field("file").storage
        paths = [d.file.name for d in documents]
        transaction.on_commit(lambda: _delete_files(storage, paths))
        transaction.on_commit(
            lambda: case_anonymised.send(sender=BusinessCase, case_id=case_id, at=now)
        )
    return len(documents)


def _delete_files(storage, paths) -> None:
    for path in paths:
        storage.delete(path)


def organisations_due(*, now: datetime.datetime, counting_cases_due: bool = False):
    """Organisations to anonymise: every business case of theirs (if any) anonymised, none of
    their members signed in within the account retention period, on the portal at least that
    long, and something left to clear. `counting_cases_due` counts the cases due now as
    anonymised already (for a dry run, which anonymises nothing)."""
    settled = Q(anonymised_at__isnull=False)
    if counting_cases_due:
        settled |= Q(pk__in=due(now=now).values("pk"))
    unsettled = BusinessCase.objects.exclude(settled).values("organisation_id")
    active = accounts.in_use(now=now).exclude(organisation=None).values("organisation_id")
    candidates = (
        Organisation.objects.filter(created_at__lt=accounts.cutoff(now))
        .exclude(pk__in=unsettled)
        .exclude(pk__in=active)
    )
    return accounts.identifiable(candidates, keep_name_of=_named_in_public()).order_by("pk")


def _named_in_public():
    """Organisations with a published decision: the public register names them, so they keep
    their name (everything else identifying still goes)."""
    return Organisation.objects.filter(business_cases__status=Status.PUBLISHED)


@dataclass
class Report:
    """What a run did (or, in a dry run, would do)."""

    dry_run: bool = False
    withdrawn_cases: int = 0
    rejected_cases: int = 0
    documents: int = 0
    organisations: int = 0
    accounts: int = 0
    unconfirmed_accounts: int = 0
    sign_in_records: int = 0
    expired_sessions: int = 0
    # In a dry run, which cases, organisations and accounts (by reference or id: never a name).
    details: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "withdrawn_cases": self.withdrawn_cases,
            "rejected_cases": self.rejected_cases,
            "documents": self.documents,
            "organisations": self.organisations,
            "accounts": self.accounts,
            "unconfirmed_accounts": self.unconfirmed_accounts,
            "sign_in_records": self.sign_in_records,
            "expired_sessions": self.expired_sessions,
        }

    def lines(self) -> list[str]:
        would = "would be " if self.dry_run else ""
        lines = ["Dry run: nothing has been changed."] if self.dry_run else []
        lines += self.details
        lines += [
            f"Withdrawn business cases {would}anonymised: {self.withdrawn_cases}",
            f"Rejected business cases {would}anonymised: {self.rejected_cases}",
            f"Documents {would}deleted: {self.documents}",
            f"Organisations {would}anonymised: {self.organisations}",
            f"Accounts {would}anonymised: {self.accounts}",
            f"Accounts never confirmed {would}deleted: {self.unconfirmed_accounts}",
            f"Sign-in records {would}deleted: {self.sign_in_records}",
            f"Expired sessions {would}deleted: {self.expired_sessions}",
        ]
        return lines


def _case_label(case: BusinessCase) -> str:
    closed = timezone.localtime(case.closed_at).date().isoformat()
    name = case.reference or f"draft {case.public_id}"
    return f"Business case {name} ({case.get_status_display().lower()} {closed})"


def purge_personal_data(*, now: datetime.datetime | None = None, dry_run: bool = False) -> Report:
    """Anonymises what is past its retention period: cases, then organisations, then accounts
    (other than members of organisations with a case under consideration), sign-in records and
    expired sessions. Each case, organisation and account in a transaction of its own, so a
    failure part way keeps what was done and the next run carries on. With `dry_run`, changes
    nothing and says what it would do."""
    now = now or timezone.now()
    report = Report(dry_run=dry_run)
    cases = due(now=now)
    busy = Organisation.objects.filter(business_cases__status__in=UNDER_CONSIDERATION)
    named = set(_named_in_public().values_list("pk", flat=True))

    if dry_run:
        for case in cases:
            report.details.append(f"{_case_label(case)} would be anonymised")
            report.rejected_cases += case.outcome == Outcome.REJECTED
            report.withdrawn_cases += case.outcome != Outcome.REJECTED
        report.documents = Document.objects.filter(case__in=cases).exclude(file="").count()
        for organisation_id in organisations_due(now=now, counting_cases_due=True).values_list(
            "pk", flat=True
        ):
            report.details.append(f"Organisation {organisation_id} would be anonymised")
            report.organisations += 1
        for user_id in accounts.unused(now=now, keep_organisations=busy).values_list(
            "pk", flat=True
        ):
            report.details.append(f"Account {user_id} would be anonymised")
    else:
        for case_id, outcome in list(cases.values_list("pk", "outcome")):
            deleted = anonymise_case(case_id=case_id, now=now)
            if deleted is not None:
                report.rejected_cases += outcome == Outcome.REJECTED
                report.withdrawn_cases += outcome != Outcome.REJECTED
                report.documents += deleted
        for organisation_id in list(organisations_due(now=now).values_list("pk", flat=True)):
            report.organisations += accounts.anonymise_organisation(
                organisation_id=organisation_id, keep_name=organisation_id in named
            )

    people = accounts.purge(now=now, keep_organisations=busy, dry_run=dry_run)
    report.accounts = people.accounts
    report.unconfirmed_accounts = people.unconfirmed_accounts
    report.sign_in_records = people.sign_in_records
    report.expired_sessions = people.expired_sessions
    if not dry_run:
        log.info("purge_personal_data: %s", report.counts())
    return report
