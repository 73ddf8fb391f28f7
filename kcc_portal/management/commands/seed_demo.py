"""Loads the demo catalogue, one demo user per role (and a second reviewer), and demo business
cases in every state from draft to published (kcc_portal/demo/cases.py), and the demo member's
districts (kcc_portal/demo/members.py). Idempotent: run it as often as you like.

Bid windows are set relative to today, so the demo always has services open for bids.
Demo users have known passwords, so the command refuses to create them on a production
deployment (DEBUG off) unless told `--with-users-in-production` (used by the tests).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Organisation, User
from accounts.roles import OFFICER_ROLES, Role
from services.demo_data import ALL, EXCLUDED, SERVICES
from services.models import Directorate, District, Service

DEMO_USERS = [
    # role, email, full name, password
    (Role.BIDDER, "bidder@example.org", "Sam Bidder", "demo-bidder-2026"),
    (Role.REVIEWER, "reviewer@kent.gov.uk", "Riya Reviewer", "demo-reviewer-2026"),
    (Role.REVIEWER, "reviewer2@kent.gov.uk", "Ravi Reviewer", "demo-reviewer-2026"),
    (
        Role.COMMISSIONING_OFFICER,
        "commissioning@kent.gov.uk",
        "Chris Commissioner",
        "demo-commissioning-2026",
    ),
    (Role.MODERATOR, "moderator@kent.gov.uk", "Morgan Moderator", "demo-moderator-2026"),
    (Role.MEMBER, "member@kent.gov.uk", "Cllr Mary Member", "demo-member-2026"),
    (Role.ADMIN, "admin@kent.gov.uk", "Alex Admin", "demo-admin-2026"),
]


class Command(BaseCommand):
    help = (
        "Loads the demo service catalogue, one demo user per role (passwords printed) and demo "
        "business cases in every state."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-users-in-production",
            action="store_true",
            help="Create the demo users even with DEBUG off. Never on a real deployment.",
        )
        parser.add_argument(
            "--without-packs",
            action="store_true",
            help="Do not render the decided demo cases' decision packs (a second or so each).",
        )

    def handle(self, *args, **options):
        make_users = settings.DEBUG or options["with_users_in_production"]
        with transaction.atomic():
            created, updated = self.load_services()
            if make_users:
                self.load_users()
                self.load_member_preferences()
        # The demo cases' emails (confirmations, assignments, decision letters) would go to
        # fictional addresses: they are not sent.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            cases = self.load_cases(packs=not options["without_packs"]) if make_users else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo catalogue: {created + updated} services ({created} created, "
                f"{updated} updated)."
            )
        )
        if not make_users:
            self.stderr.write(
                "Demo users were not created: DEBUG is off, and demo users have known "
                "passwords. Use --with-users-in-production only on a test deployment."
            )
            return
        self.stdout.write(f"Demo business cases: {cases} made (the rest were there already).")
        self.stdout.write(f"Decided demo cases with a decision pack ready: {self.packs_ready}.")
        self.stdout.write("Demo users (sign in at /accounts/sign-in/; officers also at /admin/):")
        for role, email, _name, password in DEMO_USERS:
            self.stdout.write(f"  {role.label:<22} {email:<28} password: {password}")

    def load_services(self) -> tuple[int, int]:
        today = timezone.localdate()
        districts = {d.name: d for d in District.objects.all()}
        created = updated = 0
        for row in SERVICES:
            name, directorate, portfolio, where, gross, net, model, tranche, open_now, summary = row
            directorate, _ = Directorate.objects.get_or_create(
                name=directorate, defaults={"slug": slugify(directorate)}
            )
            if open_now:
                opens, closes = (
                    today - datetime.timedelta(days=14),
                    today + datetime.timedelta(days=90),
                )
            else:
                # A window that has not opened yet: the next round of market reviews.
                opens, closes = (
                    today + datetime.timedelta(days=120),
                    today + datetime.timedelta(days=210),
                )
            service, was_created = Service.objects.update_or_create(
                name=name,
                defaults={
                    "slug": slugify(name),
                    "summary": summary,
                    "directorate": directorate,
                    "portfolio": portfolio,
                    "county_wide": where == ALL,
                    "gross_budget": Decimal(gross),
                    "net_budget": Decimal(net),
                    "delivery_model": model,
                    "market_review_tranche": tranche,
                    "excluded_from_challenge": name in EXCLUDED,
                    "bid_window_opens": None if name in EXCLUDED else opens,
                    "bid_window_closes": None if name in EXCLUDED else closes,
                    # Only Legal Services' figures come from a published source (the seeds).
                    "figures_illustrative": name != "Legal Services",
                },
            )
            service.districts.set([] if where == ALL else [districts[d] for d in where])
            created += was_created
            updated += not was_created
        return created, updated

    def load_cases(self, *, packs: bool) -> int:
        from kcc_portal.demo import cases

        users = {email: User.objects.get(email=email) for _, email, _, _ in DEMO_USERS}
        officers = cases.Officers(
            commissioning=users["commissioning@kent.gov.uk"],
            moderator=users["moderator@kent.gov.uk"],
            reviewers=(users["reviewer@kent.gov.uk"], users["reviewer2@kent.gov.uk"]),
        )
        made = cases.load(bidder=users["bidder@example.org"], officers=officers)
        self.packs_ready = cases.render_packs() if packs else 0
        return made

    def load_member_preferences(self) -> None:
        from kcc_portal.demo import members

        members.load(member=User.objects.get(email="member@kent.gov.uk"))

    def load_users(self) -> None:
        organisation, _ = Organisation.objects.get_or_create(
            name="Thanet Community Partnership",
            defaults={"body_type": Organisation.BodyType.VOLUNTARY},
        )
        for role, email, name, password in DEMO_USERS:
            user = User.objects.filter(email__iexact=email).first() or User(email=email)
            user.full_name = name
            user.is_staff = role in OFFICER_ROLES
            user.is_superuser = role == Role.ADMIN
            user.organisation = organisation if role == Role.BIDDER else None
            # Demo accounts sign in at once: they never wait for an emailed confirmation, even
            # if someone signed up with a demo address before the command ran.
            user.is_active = True
            user.awaiting_confirmation = False
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
