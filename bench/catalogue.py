"""Does the public catalogue hold at 10,000 services?

Prints, measured in one run against the same gunicorn (same workers, settings and database):
  - requests a second of a bare view (the whole middleware stack, one query, no template): the
    baseline, served only by this benchmark's URLs (bench/catalogue_urls.py);
  - requests a second of the catalogue's list pages and of searches, and their ratios to the
    baseline (goals: list >= 0.5, search >= 0.3): searches new to the cache (the goal's figure)
    and searches asked before, whose results are cached (services/catalogue_cache.py);
  - the size of the list page's HTML, plain and as gzip.

Rounds alternate baseline, list and search, so that all three see the same machine load; each
figure is the median of the rounds. Requests ask for gzip, as browsers do. The list requests go
through the first five pages in turn (their bodies are cached until the catalogue changes); the
searches through about fifty different ones in turn: each request made new to the cache by
trailing spaces (they change the query string, which is the cache's key, and nothing of the
work: the words are the same), so every one is parsed, queried, counted and kept as a search
nobody had asked; then the same fifty again as they are, asked before (the warm-up asks them),
so each is its cached result and cached cards. Real traffic lies between the two, by how often
its searches repeat within ten minutes.

Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL). Generates the services with bulk inserts in
a throwaway database (<name>_bench_catalogue), never touching real data:
    DATABASE_URL=postgres://kcc:kcc@127.0.0.1:5432/kcc REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/catalogue.py

bench/scale.py may import `run(services=...)`, which does all of it and returns the figures.
"""

import argparse
import datetime
import gzip
import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcc_portal.settings")

BARE = "/bench/bare/"
LISTS = [f"/services/?page={n}" for n in range(1, 6)]
# The topics generated services are about: each service's name has one, its summary two more.
TOPICS = [
    "library", "adult care", "transport", "waste collection", "highways", "archives",
    "youth", "education", "public health", "trading standards", "country parks", "coroners",
    "registration", "children's centres", "fostering", "adoption", "libraries", "museum",
    "school meals", "home to school transport", "flood risk", "street lighting", "ecology",
    "heritage", "adult learning", "day centres", "supported living", "domiciliary care",
    "community wardens", "emergency planning", "gypsy and traveller sites", "minerals",
]  # fmt: skip
# Searches of words drawn from those topics, each request in turn a different one of them (and a
# few of two words, one needing stemming). Their cards are cached whatever page shows them; their
# results are cached by query string, so each request of the "new" figure gets trailing spaces
# of its own (see new_searches).
_WORDS = sorted(
    {word for topic in TOPICS for word in topic.split() if len(word) > 3} - {"service", "home"}
)
SEARCHES = [f"/services/?{urlencode({'q': word})}" for word in _WORDS] + [
    "/services/?q=adult+care",
    "/services/?q=waste+collection",
    "/services/?q=librar",
    "/services/?q=centre",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200, help="requests a kind, each round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args()

    import django

    django.setup()
    figures = run(
        services=args.services,
        requests=args.requests,
        rounds=args.rounds,
        clients=args.clients,
        workers=args.workers,
    )
    report(figures)


def report(figures: dict) -> None:
    print(f"services:                      {figures['services']:8d}")
    print(f"gunicorn workers, clients:     {figures['workers']:5d}, {figures['clients']}")
    print(f"bare view (baseline):          {figures['bare_rps']:8.1f} requests/s")
    print(f"catalogue list, pages 1-5:     {figures['list_rps']:8.1f} requests/s   (bodies cached)")
    print(f"catalogue search, each new:    {figures['search_rps']:8.1f} requests/s")
    print(f"  distinct searches, in turn:  {figures['searches']:8d}   (none asked before)")
    print(f"catalogue search, asked before:{figures['search_cached_rps']:8.1f} requests/s")
    print(f"ratio list / bare:             {figures['list_ratio']:8.3f}   (goal >= 0.5)")
    print(f"ratio search (new) / bare:     {figures['search_ratio']:8.3f}   (goal >= 0.3)")
    print(f"ratio search (asked before):   {figures['search_cached_ratio']:8.3f}")
    print(f"list page HTML:                {figures['list_bytes']:8d} bytes")
    served = "served" if figures["list_gzip_served"] else "NOT served: what it would be"
    print(f"list page HTML, gzip:          {figures['list_gzip_bytes']:8d} bytes ({served})")


def run(
    services: int = 10_000,
    *,
    requests: int = 200,
    rounds: int = 3,
    clients: int = 4,
    workers: int = 4,
) -> dict:
    """Makes a throwaway database with `services` services, serves it with gunicorn, measures,
    drops the database and returns the figures (requests a second, ratios, page sizes). Needs
    django.setup() done, on PostgreSQL and Redis."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if not settings.REDIS_URL or connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: this measures the real thing.")
    name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{name}_bench_catalogue"
    databases = setup_databases(verbosity=0, interactive=False)
    server = None
    try:
        generate(services)
        server = start_gunicorn(workers)
        figures = measure(server.port, requests=requests, rounds=rounds, clients=clients)
    finally:
        if server is not None:
            server.stop()
        teardown_databases(databases, verbosity=0)
    return {"services": services, "workers": workers, "clients": clients, **figures}


def generate(n: int) -> None:
    """`n` services across twelve directorates, the four portfolios and Kent's districts (a
    tenth county-wide), with varied budgets and bid windows; bulk inserts throughout."""
    from django.db import connection
    from django.utils import timezone
    from django.utils.text import slugify

    from services.models import DeliveryModel, Directorate, District, Portfolio, Service

    rng = random.Random(11)  # noqa: S311 - made-up data, the same every run
    directorates = Directorate.objects.bulk_create(
        Directorate(name=f"{name} Directorate", slug=slugify(f"{name} Directorate"))
        for name in [
            "Adult Social Care and Health", "Children, Young People and Education",
            "Growth, Environment and Transport", "Chief Executive's Department",
            "Deputy Chief Executive's Department", "Public Health", "Strategic Commissioning",
            "Infrastructure", "Finance", "Governance, Law and Democracy", "Communities",
            "Property",
        ]
    )  # fmt: skip
    today = timezone.localdate()
    made = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        gross = Decimal(rng.randrange(50_000, 40_000_000))
        opens = today + datetime.timedelta(days=rng.randrange(-120, 60))
        name = f"{topic.capitalize()} service {i:05d}"
        made.append(
            Service(
                name=name,
                slug=slugify(name),
                summary=(
                    f"Provides {topic} and {rng.choice(TOPICS)} for residents, working with "
                    f"{rng.choice(TOPICS)} partners across the county."
                ),
                directorate=directorates[i % len(directorates)],
                portfolio=rng.choice(Portfolio.values),
                county_wide=i % 10 == 0,
                gross_budget=gross,
                net_budget=(gross * Decimal(rng.randrange(40, 100)) / 100).quantize(Decimal(1)),
                delivery_model=rng.choice(DeliveryModel.values),
                market_review_tranche=rng.randrange(1, 4),
                excluded_from_challenge=i % 17 == 0,
                bid_window_opens=opens if i % 5 else None,
                bid_window_closes=opens + datetime.timedelta(days=90) if i % 5 else None,
                figures_illustrative=True,
            )
        )
    made = Service.objects.bulk_create(made, batch_size=2_000)
    districts = list(District.objects.all())
    Through = Service.districts.through
    Through.objects.bulk_create(
        (
            Through(service_id=service.pk, district_id=district.pk)
            for service in made
            if not service.county_wide
            for district in rng.sample(districts, rng.randrange(1, 4))
        ),
        batch_size=5_000,
    )
    with connection.cursor() as cursor:
        # As autovacuum leaves a live database: statistics to plan with, not those of empty
        # tables; the search index's pending entries (a bulk insert queues them unsorted, and
        # every search then reads them all) merged into it; pages marked all-visible.
        for model in (Directorate, District, Service, Through):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class Gunicorn:
    def __init__(self, proc: subprocess.Popen, port: int):
        self.proc, self.port = proc, port

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # gunicorn stops its own workers
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_gunicorn(workers: int) -> Gunicorn:
    """gunicorn (sync workers, as in production) on a free port, serving the throwaway database
    with the production settings plus the bare view; returns once it answers."""
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.catalogue_settings",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/"
        f"{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        # A cache namespace of this run's own: nothing cached by an earlier run is read.
        "BENCH_CACHE_PREFIX": f"kcc-bench-catalogue-{uuid.uuid4().hex}",
        "LOG_LEVEL": "WARNING",
        "DEBUG": "false",
    }
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "kcc_portal.wsgi:application"),
            *(f"--bind=127.0.0.1:{port}", f"--workers={workers}", "--log-level=warning"),
        ],
        env=env,
        cwd=ROOT,
    )
    server = Gunicorn(proc, port)
    deadline = time.monotonic() + 60
    while True:
        try:
            if get(port, BARE)[0] == 200:
                return server
        except OSError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            server.stop()
            sys.exit("gunicorn did not start")
        time.sleep(0.2)


def get(port: int, path: str) -> tuple[int, bytes, str]:
    """One GET on a new connection (gunicorn's sync workers close each), asking for gzip."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "gzip", "Host": "127.0.0.1"})
        response = conn.getresponse()
        return response.status, response.read(), response.getheader("Content-Encoding", "")
    finally:
        conn.close()


def new_searches(start: int, requests: int) -> list[str]:
    """`requests` searches of SEARCHES in turn from the `start`th, each with as many trailing
    spaces as the times SEARCHES has come round: query strings nobody asked before in this run
    (the warm-up asks SEARCHES as they are)."""
    paths = []
    for i in range(start, start + requests):
        path = SEARCHES[i % len(SEARCHES)]
        paths.append(path + "+" * (1 + i // len(SEARCHES)))
    return paths


def rate(port: int, paths: list[str], requests: int, clients: int) -> float:
    """Requests a second for `requests` GETs of `paths` in turn, from `clients` threads."""
    counter = iter(range(requests))
    lock = threading.Lock()
    failures = []

    def client():
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            status, _, _ = get(port, paths[i % len(paths)])
            if status != 200:
                failures.append((paths[i % len(paths)], status))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if failures:
        sys.exit(f"Requests failed: {failures[:5]}")
    return requests / elapsed


def measure(port: int, *, requests: int, rounds: int, clients: int) -> dict:
    for path in [BARE, *LISTS, *SEARCHES]:  # warm up every worker: imports, caches, plans
        rate(port, [path], 2 * clients, clients)
    bare, lists, searches, asked = [], [], [], []
    for n in range(rounds):
        bare.append(rate(port, [BARE], requests, clients))
        lists.append(rate(port, LISTS, requests, clients))
        searches.append(rate(port, new_searches(n * requests, requests), requests, clients))
        asked.append(rate(port, SEARCHES, requests, clients))
    bare_rps, list_rps, search_rps, asked_rps = map(
        statistics.median, (bare, lists, searches, asked)
    )
    _, body, encoding = get(port, LISTS[0])
    plain = gzip.decompress(body) if encoding == "gzip" else body
    return {
        "bare_rps": bare_rps,
        "list_rps": list_rps,
        "search_rps": search_rps,
        "list_ratio": list_rps / bare_rps,
        "search_ratio": search_rps / bare_rps,
        "search_cached_rps": asked_rps,
        "search_cached_ratio": asked_rps / bare_rps,
        "searches": len(set(SEARCHES)),
        "list_bytes": len(plain),
        "list_gzip_served": encoding == "gzip",
        "list_gzip_bytes": len(body) if encoding == "gzip" else len(gzip.compress(body)),
    }


if __name__ == "__main__":
    main()
