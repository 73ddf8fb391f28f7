"""manage.py purge_personal_data [--dry-run]: what celery beat runs every night."""

from django.core.management.base import BaseCommand

from bids import retention


class Command(BaseCommand):
    help = (
        "Anonymises the personal data of withdrawn and rejected business cases, and of accounts "
        "nobody has used, once past their retention periods (PERSONAL_DATA_RETENTION_DAYS, "
        "ACCOUNT_RETENTION_DAYS), keeping the decision record. Prints what it did."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be done, and change nothing."
        )

    def handle(self, *args, dry_run: bool, **options):
        for line in retention.purge_personal_data(dry_run=dry_run).lines():
            self.stdout.write(line)
