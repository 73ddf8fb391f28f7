"""What the council publishes of its decisions: the one definition of a published decision, used by
the public register, the OCDS releases and the read API alike."""

from evaluation.models import Decision


def published_decisions():
    """Decisions an officer has published, newest first."""
    return (
        Decision.objects.filter(published_at__isnull=False)
        .select_related("case__service")
        .order_by("-published_at", "-pk")
    )
