from django import template

from evaluation.scoring.money import pounds as _pounds
from members import access

register = template.Library()


@register.filter
def pounds(amount) -> str:
    """£6,600,000: to the nearest pound, as the assessment is read (evaluation.scoring.money)."""
    return _pounds(amount)


@register.simple_tag
def may_see_pipeline(user) -> bool:
    """For the admin's index: whether to offer the pipeline dashboard (members.access)."""
    return access.may_see_pipeline(user)
