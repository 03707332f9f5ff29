from django import template

from assessment.rules import pts as _pts

register = template.Library()


@register.filter
def pts(value) -> str:
    """A score without trailing zeros or exponent: 60, 0.5, 2.25."""
    return _pts(value)
