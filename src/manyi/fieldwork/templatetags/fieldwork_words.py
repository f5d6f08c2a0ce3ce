"""Small filters of the fieldwork pages: shares as percentages, flags in words."""

from django import template

from manyi.fieldwork import quality

register = template.Library()


@register.filter
def percent(value, digits=1):
    """0.452 → "45.2%"; nothing → "—"."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def flag_words(codes):
    return quality.flag_words(codes or [])
