"""The catalogue page around its body (base.html's header, navigation and footer, and the list's
heading) for anonymous visitors: made once, kept with the catalogue's pages under its version
(services/catalogue_cache.py), and filled in with each request's body and CSP nonce. Rendering
base.html, a dozen URLs reversed, cost as much as the rest of a search's HTML.

What may differ between anonymous visitors' pages is left out of the shell: the CSP nonce (new
for every response, filled in) and the messages (a page with any is rendered whole, and so is
one for a signed-in reader, whose header has a sign-out form with a CSRF token, and a page with
errors, whose title says so). The shell is made with no request in its context but the nonce's
marker, so nothing else of the request that made it can reach another visitor's page; a test
compares the filled shell with the page rendered whole."""

import uuid
from dataclasses import dataclass

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

TEMPLATE = "services/service_list.html"


@dataclass(frozen=True)
class Shell:
    """The page before the body and after it, each with `nonce` where the CSP nonce goes."""

    nonce: str
    before: str
    after: str

    @classmethod
    def of(cls, parts) -> "Shell | None":
        """From parts as cached (a tuple of three strings), or None if they are not."""
        if isinstance(parts, tuple) and len(parts) == 3 and all(isinstance(p, str) for p in parts):
            return cls(*parts)
        return None

    @property
    def parts(self) -> tuple[str, str, str]:
        return (self.nonce, self.before, self.after)

    def fill(self, request, body: str) -> HttpResponse:
        nonce = conditional_escape(str(request.csp_nonce))  # so the CSP header names it too
        before = self.before.replace(self.nonce, nonce)
        return HttpResponse(before + body + self.after.replace(self.nonce, nonce))


class _NonceOnly:
    """The request, as the shell's template sees it: a nonce's marker and nothing more."""

    def __init__(self, nonce: str):
        self.csp_nonce = nonce


def may_use(request) -> bool:
    """Whether this reader's page can be the shell filled in: anonymous, and no messages."""
    return not request.user.is_authenticated and not get_messages(request)


def make(request) -> Shell | None:
    """The shell of the page for an anonymous visitor with no messages and no errors; None if
    the template does not have the body once (it then renders whole)."""
    nonce, body = (f"app-shell-{uuid.uuid4().hex}" for _ in range(2))
    marker = mark_safe(body)  # noqa: S308 - a token of ours
    html = render_to_string(TEMPLATE, {"body": marker, "request": _NonceOnly(nonce)}, request)
    parts = html.split(body)
    if len(parts) != 2:
        return None
    return Shell(nonce, *parts)
