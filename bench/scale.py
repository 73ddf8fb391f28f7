"""Do the list pages and admin changelists hold at 100,000 business cases?

Prints, measured in one run on the same machine and database:
  - for every list page and admin changelist (the bidder's /bids/ for a large organisation, the
    members' area, the organisation's members, every admin changelist, the case search...): its
    query count at 10 and at 1,000 cases (must be equal); its time as a ratio to a plain admin
    page's (the admin index, requested in turn with it, so both see the same load) at 100 and at
    100,000 cases; and the growth, the second ratio over the first: its time at 100,000 cases as
    a ratio to its time at 100, the machine's load taken out (goal <= 2). The raw ratio of the
    times is printed too;
  - the admin case change page's query count with 1 and with 20 of each inline;
  - then, run from here so that one run prints every figure of issue 11: bench/catalogue.py (the
    catalogue's and its search's requests a second against a bare view, at 10,000 services) and
    bench/scoring.py (the whole per-case scoring cost in-process, with and without 50 rivals, and
    assessments through a real worker against bare tasks).

Cases, organisations, services, events, assessments, assignments, decisions and packs are made
with bulk inserts (kcc_portal/tests/bulk.py). Pages are requested in-process with Django's test
Client, signed in with force_login; each time is the median of --repeat requests.

Needs PostgreSQL (DATABASE_URL). Uses a throwaway test database (test_<name>), so it never
touches real data; making 100,000 cases takes a few minutes:
    DATABASE_URL=postgres://kcc:kcc@127.0.0.1:5432/kcc REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/scale.py
(--searches: only the admin's searches and the baseline; --no-catalogue --no-scoring: the lists
alone.)
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcc_portal.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed requests of each page")
    parser.add_argument("--large", type=int, default=100_000, help="cases at the large size")
    parser.add_argument(
        "--no-catalogue", dest="catalogue", action="store_false", help="skip bench/catalogue.py"
    )
    parser.add_argument(
        "--no-scoring", dest="scoring", action="store_false", help="skip bench/scoring.py"
    )
    parser.add_argument(
        "--searches", action="store_true", help="only the admin's searches (and the baseline)"
    )
    args = parser.parse_args()
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="kcc-bench-scale-"))
    os.environ.setdefault("EMAIL_URL", "dummymail://")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL (PostgreSQL): this measures the real thing.")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        lists = Lists(searches_only=args.searches)
        lists.run(large=args.large, repeat=args.repeat)
        lists.print()
        if not args.searches:
            print()
            case_page_queries()
    finally:
        teardown_databases(databases, verbosity=0)
    # The rest of issue 11's figures, each from its own benchmark (its own throwaway database and
    # processes), in this same run.
    for script, wanted in (("catalogue.py", args.catalogue), ("scoring.py", args.scoring)):
        if wanted:
            print(f"\n=== bench/{script}", flush=True)
            subprocess.run([sys.executable, str(ROOT / "bench" / script)], check=True)


class Lists:
    """Each page: (name, who requests it, its URL). Built once the people exist."""

    def __init__(self, *, searches_only: bool = False):
        from django.test import Client

        from accounts.factories import UserFactory
        from accounts.roles import Role
        from kcc_portal.tests import bulk

        self.bulk = bulk
        self.searches_only = searches_only
        self.services = bulk.services(100)
        self.big = bulk.organisations(1)[0]  # the large organisation: a tenth of every case
        self.orgs = bulk.organisations(10)
        self.officer, self.reviewers = bulk.officers()
        admin = UserFactory(role=Role.ADMIN, email="bench-admin@kent.gov.uk")
        member = UserFactory(role=Role.MEMBER, email="bench-member@kent.gov.uk")
        bidder = self.big.members.get()
        self.clients = {}
        for name, user in [("admin", admin), ("member", member), ("bidder", bidder)]:
            client = Client()
            client.force_login(user)
            self.clients[name] = client
        self.cases = 0
        self.counts: dict[int, dict[str, int]] = {}
        self.times: dict[int, dict[str, float]] = {}
        self.shown: dict[int, dict[str, int | None]] = {}

    def pages(self) -> list[tuple[str, str, str]]:
        from django.contrib import admin
        from django.urls import reverse

        def changelist(model, query=""):
            meta = model._meta
            return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist") + query

        from accounts.models import Organisation, User
        from bids.models import BusinessCase
        from evaluation.models import Assignment
        from services.models import Service

        pages = [
            ("admin index (baseline)", "admin", reverse("admin:index")),
            ("/bids/ (large organisation)", "bidder", reverse("bids:list")),
            ("/bids/ page 50", "bidder", reverse("bids:list") + "?page=50"),
            ("organisation page", "bidder", reverse("accounts:organisation")),
            ("members' area list", "member", reverse("members:list")),
            ("members' area, filtered", "member", reverse("members:list") + "?outcome=accepted"),
        ]
        for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
            pages.append((f"admin {model._meta.label}", "admin", changelist(model)))
        pages += [
            ("admin case search, reference", "admin", changelist(BusinessCase, "?q=RTB-B-0000042")),
            ("admin case search, organisation", "admin", changelist(BusinessCase, "?q=group+7")),
            ("admin case search, common words", "admin", changelist(BusinessCase, "?q=bid+12")),
            ("admin case search, every case", "admin", changelist(BusinessCase, "?q=community")),
            ("admin user search", "admin", changelist(User, "?q=person+3")),
            ("admin organisation search", "admin", changelist(Organisation, "?q=group+12")),
            ("admin case by status", "admin", changelist(BusinessCase, "?status__exact=decided")),
            ("admin case, assigned to me", "admin", changelist(BusinessCase, "?mine=yes")),
            ("admin assignments search", "admin", changelist(Assignment, "?q=RTB-B-00001")),
            ("admin service search", "admin", changelist(Service, "?q=service+12")),
        ]
        if self.searches_only:
            return [pages[0], *(page for page in pages if " search" in page[0])]
        return pages

    def grow_to(self, total: int) -> None:
        from django.db import connection

        more = total - self.cases
        if more <= 0:
            return
        big = more // 10
        for start in range(0, more - big, 20_000):
            n = min(20_000, more - big - start)
            self.orgs += self.bulk.organisations(max(1, n // 10))
            self.bulk.cases(
                n,
                orgs=self.orgs,
                services_=self.services,
                officer=self.officer,
                reviewers=self.reviewers,
            )
        if big:
            self.bulk.cases(
                big,
                orgs=[self.big],
                services_=self.services,
                officer=self.officer,
                reviewers=self.reviewers,
            )
        self.cases = total
        with connection.cursor() as cursor:
            # As autovacuum would after so many inserts: statistics for the planner, and the GIN
            # indexes' pending lists merged (until then every search reads them through).
            cursor.execute("VACUUM ANALYZE")

    def count_queries(self) -> dict[str, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        counts = {}
        for name, who, url in self.pages():
            self.get(who, url)  # the session's renewal, the day's first view
            with CaptureQueriesContext(connection) as queries:
                self.get(who, url)
            counts[name] = len(queries)
        return counts

    def rows_shown(self) -> dict[str, int | None]:
        """The rows each admin list shows (each row's first cell is a `<th class="field-...">`):
        a search that finds 3 rows at 100 cases and a page of 50 at 100,000 renders 47 rows
        more, and its growth is partly that."""
        shown = {}
        for name, who, url in self.pages():
            html = self.get(who, url).content.decode()
            shown[name] = html.count('<th class="field-') if 'id="result_list"' in html else None
        return shown

    def time_pages(self, repeat: int) -> dict[str, float]:
        """Each page's median time, and (as "name/index") its median ratio to the admin index
        requested just before it each time."""
        base_who, base_url = "admin", self.pages()[0][2]
        times = {}
        for name, who, url in self.pages():
            self.get(who, url)
            runs, ratios = [], []
            for _ in range(repeat):
                base = self.timed(base_who, base_url)
                runs.append(self.timed(who, url))
                ratios.append(runs[-1] / base)
            times[name] = statistics.median(runs)
            times[f"{name}/index"] = statistics.median(ratios)
        return times

    def timed(self, who: str, url: str) -> float:
        start = time.perf_counter()
        self.get(who, url)
        return time.perf_counter() - start

    def get(self, who: str, url: str):
        response = self.clients[who].get(url)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code} to {who}")
        return response

    def run(self, *, large: int, repeat: int) -> None:
        for size, measure in [(10, "count"), (100, "time"), (1_000, "count"), (large, "time")]:
            started = time.perf_counter()
            self.grow_to(size)
            print(f"{size:>7,} cases made in {time.perf_counter() - started:6.1f} s", flush=True)
            if measure == "count":
                self.counts[size] = self.count_queries()
            else:
                self.times[size] = self.time_pages(repeat)
                self.shown[size] = self.rows_shown()
        self.large = large

    def print(self) -> None:
        small, large = self.times[100], self.times[self.large]
        print()
        print(
            f"{'page':38} {'q@10':>5} {'q@1k':>5} {'ms@100':>7} {f'ms@{self.large:,}':>10}"
            f" {'raw':>5} {'/index@100':>10} {f'/index@{self.large:,}':>13} {'growth':>6}"
            f" {'rows':>7}"
        )
        worst = 0.0
        for name, _, _ in self.pages()[1:]:
            at_small, at_large = small[f"{name}/index"], large[f"{name}/index"]
            growth = at_large / at_small
            worst = max(worst, growth)
            same = "" if self.counts[10][name] == self.counts[1_000][name] else "  <- grows"
            rows = (self.shown[100][name], self.shown[self.large][name])
            rows = "" if rows[0] is None else f"{rows[0]:>3}/{rows[1]:<3}"
            print(
                f"{name:38} {self.counts[10][name]:>5} {self.counts[1_000][name]:>5} "
                f"{small[name] * 1000:>7.1f} {large[name] * 1000:>10.1f} "
                f"{large[name] / small[name]:>5.2f} {at_small:>10.2f} {at_large:>13.2f} "
                f"{growth:>6.2f} {rows:>7}{same}"
            )
        base = self.pages()[0][0]
        print(
            f"{base}: {small[base] * 1000:.1f} ms at 100 cases, {large[base] * 1000:.1f} ms at "
            f"{self.large:,}; its queries {self.counts[10][base]} and {self.counts[1_000][base]}"
        )
        print(f"worst growth, 100 to {self.large:,} cases: {worst:.2f} (goal <= 2)")


def case_page_queries() -> None:
    """The admin case change page's queries with 1 and with 20 of each inline."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from accounts.roles import Role
    from bids.models import BusinessCase, Clarification, Document, Event, Status
    from evaluation.models import DecisionPack

    case = BusinessCase.objects.filter(status=Status.DECIDED).order_by("pk").first()
    officer = User.objects.create(email="bench-co@kent.gov.uk", full_name="Co", is_staff=True)
    officer.groups.add(Group.objects.get(name=Role.COMMISSIONING_OFFICER))
    client = Client()
    client.force_login(officer)
    url = reverse("admin:bids_businesscase_change", args=[case.pk])

    def add(n):
        people = User.objects.bulk_create(
            [User(email=f"bench-inline-{n}-{i}@example.org", full_name=f"P{i}") for i in range(n)]
        )
        Event.objects.bulk_create([Event(case=case, kind="moved", actor=p) for p in people])
        Clarification.objects.bulk_create(
            [Clarification(case=case, question="Why?", asked_by=p) for p in people]
        )
        Document.objects.bulk_create(
            [
                Document(case=case, file="x", name="a.pdf", kind="pdf", size=1, uploaded_by=p)
                for p in people
            ]
        )
        top = case.packs.count()
        DecisionPack.objects.bulk_create(
            [DecisionPack(case=case, version=top + i + 1) for i in range(n)]
        )

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add(1)
    one = queries()
    add(19)
    twenty = queries()
    print(f"admin case change page: {one} queries with 1 of each inline, {twenty} with 20")


if __name__ == "__main__":
    main()
