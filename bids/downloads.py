"""Sending a stored supporting document to whoever was allowed to ask for it (bidders through
bids.views, officers through the admin): one response, so both get the same safe headers."""

from django.http import FileResponse, Http404

from bids.documents import KINDS
from bids.models import Document


def document_response(document: Document) -> FileResponse:
    """The file as an attachment under its uploaded name, with the type its content was checked
    to be; never cached, since who may read it is decided on every request. A file deleted
    under the retention policy (bids/retention.py) is not found."""
    if not document.file:
        raise Http404("The file was deleted under the retention policy")
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.name,
        content_type=KINDS[document.kind].content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
