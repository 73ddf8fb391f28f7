"""Many requests writing at once to the embedded default's SQLite file: run as a program.

`python -m kcc_portal.tests.sqlite_contention DB_PATH [--django-defaults]` migrates a new SQLite
database at DB_PATH, then runs threads that sign in (rightly and wrongly), open pages and save in
read-then-write transactions, all at once, and prints a JSON report of what failed. With
--django-defaults the portal's SQLite options are dropped, to show what they prevent.
"""

import json
import os
import sys
import threading

THREADS = 8
ROUNDS = 15


def main(path: str, defaults: bool) -> dict:
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "kcc_portal.settings"
    import django
    from django.conf import settings

    if defaults:
        settings.DATABASES["default"]["OPTIONS"] = {}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_FAILURE_LIMIT = 10_000  # counting failures, not locking anyone out
    django.setup()

    from django.core.management import call_command
    from django.db import OperationalError, connection, transaction
    from django.test import Client

    from accounts.models import User

    call_command("migrate", verbosity=0)
    users = [
        User.objects.create_user(f"person{i}@example.org", "a-long-password-1", full_name=f"P{i}")
        for i in range(THREADS)
    ]
    errors: list[str] = []
    statuses: dict[int, int] = {}
    barrier = threading.Barrier(THREADS)

    def work(i: int) -> None:
        client = Client(HTTP_HOST="localhost")
        user = users[i]
        barrier.wait()
        try:
            for round_ in range(ROUNDS):
                try:
                    password = "a-long-password-1" if round_ % 3 else "wrong-password"
                    response = client.post(
                        "/accounts/sign-in/", {"username": user.email, "password": password}
                    )
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                    response = client.get("/bids/")
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                    # What any view does: read a row, then write it, in one transaction.
                    with transaction.atomic():
                        fresh = User.objects.get(pk=user.pk)
                        fresh.full_name = f"P{i} {round_}"
                        fresh.save(update_fields=["full_name"])
                except OperationalError as e:
                    errors.append(str(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
    return {
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "statuses": statuses,
        "journal_mode": journal_mode,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], "--django-defaults" in sys.argv)))
