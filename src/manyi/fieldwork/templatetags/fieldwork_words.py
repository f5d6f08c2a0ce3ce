"""Small filters of the fieldwork pages: shares as percentages, flags in words, a question
in the page's language."""

from django import template

from manyi.fieldwork import quality
from manyi.fieldwork.questions import in_language

register = template.Library()


@register.filter
def percent(value, digits=1):
    """0.452 → "45.2%"; nothing → "—"."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def bar_width(share):
    """A share as the width of a progress bar, 0–100."""
    if not share:
        return 0
    return round(min(float(share), 1) * 100)


@register.filter
def flag_words(codes):
    return quality.flag_words(codes or [])


@register.filter
def localised(questions):
    """Questions with their text and anchors in the page's language."""
    return [in_language(q) for q in questions]
