from django import template

from evaluation.scoring.money import pounds as _pounds

register = template.Library()


@register.filter
def pounds(amount) -> str:
    """£6,600,000: to the nearest pound, as the assessment is read (evaluation.scoring.money)."""
    return _pounds(amount)
