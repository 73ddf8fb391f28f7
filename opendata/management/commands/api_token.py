"""manage.py api_token EMAIL [--revoke]: an officer's token for the read API."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from opendata.api import tokens


class Command(BaseCommand):
    help = (
        "Issues a read-API token to the officer with this email address (replacing any they had) "
        "and prints it, or with --revoke deletes it. Clients send it as `Authorization: Token "
        "<key>`."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--revoke", action="store_true", help="Delete the officer's token.")

    def handle(self, *args, email: str, revoke: bool, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the email address {email}.")
        if revoke:
            found = tokens.revoke(user=user)
            self.stdout.write(f"Token of {user.email} revoked." if found else "No token to revoke.")
            return
        try:
            token = tokens.issue(user=user)
        except tokens.TokenError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(token.key)
