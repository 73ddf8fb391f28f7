"""Imports the service catalogue from a CSV file (the format is in docs/import-format.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from kcc_portal.text import removed_message
from services import csv_format


class Command(BaseCommand):
    help = (
        "Creates or updates services from a CSV file, matching them by name. "
        "All or nothing: if any row has a problem, every problem is listed and nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the CSV file, UTF-8, header in row 1")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and report what would change, saving nothing",
        )

    def handle(self, *, path, dry_run, **options):
        try:
            # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark
            with open(path, newline="", encoding="utf-8-sig") as file:
                result = csv_format.import_services(file, dry_run=dry_run)
        except OSError as e:
            raise CommandError(f"Cannot open {path}: {e.strerror}.") from e
        except UnicodeDecodeError as e:
            raise CommandError(
                f"{path} is not UTF-8 text: save it from your spreadsheet as CSV UTF-8."
            ) from e
        except csv_format.CsvImportError as e:
            for error in e.errors:
                self.stderr.write(error)
            count = len(e.errors)
            raise CommandError(
                f"{count} problem{pluralize(count)} in {path}: nothing was imported."
            ) from e

        summary = (
            f"{result.total} service{pluralize(result.total)} "
            f"({result.created} created, {result.updated} updated)"
        )
        if dry_run:
            self.stdout.write(f"Dry run: would import {summary}. Nothing was saved.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {summary}"))
        if result.removed_characters:
            self.stdout.write(removed_message(result.removed_characters))
