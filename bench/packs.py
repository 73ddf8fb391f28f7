"""How fast are decision packs rendered, how do they scale, and how much memory do they take?

Prints, measured in one run on the same machine, database and broker:
  - a pack's render time (gather from the database, HTML, tagged PDF, checksum, file, states) as
    a ratio to a bare WeasyPrint render of the same saved HTML and stylesheet (goal <= 1.10);
  - the render time of an 80-page pack as a ratio to a 20-page one's (goal <= 4.4), and to a
    40-page one's: the 20-page pack is mostly the fixed chapters, lighter pages than the long
    tables that make a pack longer, so the 80/40 ratio (2.0 when each page costs the same) is the
    one that shows whether render time grows in proportion to the pack;
  - the peak memory (maximum resident set) of a process rendering each, and of one that only
    loads Django and WeasyPrint, for scale;
  - packs a minute through a real Celery worker started here (its own, on REDIS_URL's database,
    stopped at the end).

Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL; scripts/test sets both up). Uses a throwaway
test database (test_<name>) and a temporary MEDIA_ROOT, so it never touches real data:
    DATABASE_URL=postgres://kcc:kcc@127.0.0.1:5432/kcc REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/packs.py
"""

import argparse
import gc
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
    parser.add_argument("--repeat", type=int, default=5, help="timed renders of each kind")
    parser.add_argument("--packs", type=int, default=12, help="packs through the worker")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument("--memory-of", type=int, help=argparse.SUPPRESS)  # a child's job
    args = parser.parse_args()
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="kcc-bench-packs-"))
    os.environ.setdefault("EMAIL_URL", "dummymail://")  # the demo officers' emails go nowhere

    import django

    django.setup()
    if args.memory_of is not None:
        return memory_child(args.memory_of)

    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if not settings.REDIS_URL or connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: this measures the real thing.")
    databases = setup_databases(verbosity=0, interactive=False)
    worker = None
    try:
        small, middle, large = pack_of_pages(20), pack_of_pages(40), pack_of_pages(80)
        pack_time, bare_time = versus_bare(small, args.repeat)
        small_time, middle_time, large_time = timed_renders((small, middle, large), args.repeat)
        measured = (("none", 0), ("small", small.pk), ("large", large.pk))
        memory = {name: peak_memory(pack_id) for name, pack_id in measured}
        from bench.workers import start_worker

        worker = start_worker(args.concurrency, name="bench-packs")
        rate = packs_a_minute(small, args.packs)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        teardown_databases(databases, verbosity=0)

    print(f"pack pages:                         {small.pages} and {large.pages}")
    print(f"pack render, {small.pages} pages:              {pack_time:7.3f} s (median)")
    print(f"bare WeasyPrint, same HTML:         {bare_time:7.3f} s (median)")
    print(f"ratio pack / bare:                  {pack_time / bare_time:7.3f}   (goal <= 1.10)")
    print(f"render, {small.pages} pages:                   {small_time:7.3f} s (median)")
    print(f"render, {large.pages} pages:                   {large_time:7.3f} s (median)")
    scaling = large_time / small_time
    print(f"ratio {large.pages} / {small.pages} pages:             {scaling:7.3f}   (goal <= 4.4)")
    print(f"render, {middle.pages} pages:                   {middle_time:7.3f} s (median)")
    linear = large_time / middle_time
    print(f"ratio {large.pages} / {middle.pages} pages:             {linear:7.3f}   (linear: 2.0)")
    per_page = (large_time - middle_time) / (large.pages - middle.pages)
    print(f"each page past {middle.pages}:                 {per_page:7.3f} s")
    print(f"peak memory, Django + WeasyPrint:   {memory['none']:7.1f} MB")
    print(f"peak memory, {small.pages}-page pack:         {memory['small']:7.1f} MB")
    print(f"peak memory, {large.pages}-page pack:         {memory['large']:7.1f} MB")
    print(f"worker processes:                   {args.concurrency}")
    print(f"packs through a real worker:        {rate:7.1f} a minute ({small.pages} pages each)")


def decided_case(padding: int):
    """A case decided through the officers' workflow, with `padding` extra lines on its record
    (clarifications answered, documents listed, and their timeline events) to make it longer."""
    from django.utils import timezone

    from accounts.factories import UserFactory
    from accounts.roles import Role
    from bids.factories import BusinessCaseFactory
    from bids.models import Clarification, Document, Event
    from evaluation.tests.test_packs import decide_with_three_reviewers

    case = decide_with_three_reviewers(
        BusinessCaseFactory(complete=True, blind_review=False),
        commissioning_officer=UserFactory(role=Role.COMMISSIONING_OFFICER),
        moderator=UserFactory(role=Role.MODERATOR),
    )
    officer, now = case.created_by, timezone.now()
    Clarification.objects.bulk_create(
        Clarification(
            case=case,
            question=f"Question {n}: how would the service change in district {n % 12}?",
            asked_by=officer,
            answer=f"Answer {n}: as set out in the business plan, section {n}.",
            answered_by=officer,
            answered_at=now,
        )
        for n in range(padding)
    )
    Document.objects.bulk_create(
        Document(
            case=case,
            file=f"cases/bench/{n}",
            name=f"Appendix {n}.pdf",
            kind="pdf",
            size=100_000 + n,
            sha256=f"{n:064x}",
            uploaded_by=officer,
        )
        for n in range(padding)
    )
    Event.objects.bulk_create(
        Event(case=case, kind=Event.Kind.DOCUMENT_ADDED, actor=officer, note=f"Appendix {n}.pdf")
        for n in range(padding)
    )
    return case


def pack_of_pages(pages: int):
    """A rendered pack of about `pages` pages (found by rendering, then scaling the padding)."""
    from evaluation.packs import versions

    def made(padding):
        pack = versions.request(case=decided_case(padding))
        return versions.make(pack.pk)

    low, high = made(0), made(60)
    per_page = 60 / max(high.pages - low.pages, 1)
    padding = max(round((pages - low.pages) * per_page), 0)
    pack = made(padding)
    for _ in range(3):  # nudge to the page count
        if pack.pages == pages:
            break
        padding = max(padding + round((pages - pack.pages) * per_page), 0)
        pack = made(padding)
    return pack


def _render(pack):
    """What a worker does for a pack, without the queue: the whole of versions.make."""
    from evaluation.models import DecisionPack
    from evaluation.packs import versions

    DecisionPack.objects.filter(pk=pack.pk).update(state=DecisionPack.State.QUEUED)
    gc.collect()  # the garbage of the render before is not this one's to collect
    start = time.perf_counter()
    done = versions.make(pack.pk)
    elapsed = time.perf_counter() - start
    assert done is not None and done.state == DecisionPack.State.READY, done and done.error
    return elapsed


def timed_renders(packs, repeat: int) -> list[float]:
    """The median render time of each pack, rendered in turn (one of each, `repeat` times over,
    smallest first then largest first), so that a change in the machine's load falls on every
    size alike rather than on whichever was being timed then, and no size always follows the
    same one: the ratios between them are the figures that matter."""
    for pack in packs:
        _render(pack)  # warm up: fonts, templates
    times = {pack.pk: [] for pack in packs}
    for round_ in range(repeat):
        for pack in packs if round_ % 2 == 0 else packs[::-1]:
            times[pack.pk].append(_render(pack))
    return [statistics.median(times[pack.pk]) for pack in packs]


def versus_bare(pack, repeat: int) -> tuple[float, float]:
    """Medians of the pack's render and of a bare WeasyPrint render of the same saved HTML,
    alternated so that both see the same machine load."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    from evaluation.packs import content, render

    saved = render.html(content.gather(pack))
    css = Path(finders.find(render.STYLESHEET)).read_text()

    def bare():
        start = time.perf_counter()
        HTML(string=saved).write_pdf(stylesheets=[CSS(string=css)], pdf_variant=render.PDF_VARIANT)
        return time.perf_counter() - start

    _render(pack)
    bare()
    ours, theirs = [], []
    for _ in range(repeat):
        ours.append(_render(pack))
        theirs.append(bare())
    return statistics.median(ours), statistics.median(theirs)


def peak_memory(pack_id: int) -> float:
    """The peak resident memory, in MB, of a fresh process rendering the pack (0: none)."""
    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/"
        f"{db['NAME']}",
    }
    done = subprocess.run(
        [sys.executable, __file__, "--memory-of", str(pack_id)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def memory_child(pack_id: int) -> None:
    import weasyprint  # noqa: F401 - loaded by every render: part of the baseline

    if pack_id:
        from evaluation.models import DecisionPack
        from evaluation.packs import content, render

        pack = DecisionPack.objects.get(pk=pack_id)
        render.pdf(render.html(content.gather(pack)))
    # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over from the parent through
    # fork and exec, so every child would report this benchmark's own peak.
    with open("/proc/self/status") as f:
        kilobytes = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    print(kilobytes / 1024)


def packs_a_minute(pack, n: int) -> float:
    """New versions of the pack's case, asked for together, until all are ready."""
    from django.db import transaction

    from evaluation.models import DecisionPack
    from evaluation.packs import versions

    with transaction.atomic():  # queued on commit, all at once
        ids = [versions.request(case=pack.case).pk for _ in range(n)]
    start = time.perf_counter()
    deadline = time.monotonic() + 600
    while DecisionPack.objects.filter(pk__in=ids, state=DecisionPack.State.READY).count() < n:
        if DecisionPack.objects.filter(pk__in=ids, state=DecisionPack.State.FAILED).exists():
            sys.exit("A pack failed through the worker")
        if time.monotonic() > deadline:
            sys.exit("Packs did not finish in 10 minutes")
        time.sleep(0.05)
    return n / (time.perf_counter() - start) * 60


if __name__ == "__main__":
    main()
