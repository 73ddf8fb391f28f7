from django import template

from bids.sections import display_rows

register = template.Library()


@register.filter
def section_rows(form):
    return display_rows(form)
