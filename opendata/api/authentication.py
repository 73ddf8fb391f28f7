import re

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

# DRF's keys: 40 hexadecimal digits (rest_framework.authtoken.models.Token.generate_key).
KEY = re.compile(r"[0-9a-f]{40}")


class OfficerTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing anything that is not the shape of a key before it
    reaches the database: PostgreSQL raises on a NUL, which would be a server error, not a 401."""

    def authenticate_credentials(self, key):
        if not KEY.fullmatch(key):
            raise AuthenticationFailed("Invalid token.")
        return super().authenticate_credentials(key)
