"""A run's model and settings in words, and the report's numbers as the tables print them:
{{ run.model_name|model_words }}, {{ run.options|settings_words }},
{{ value|num:3 }} ("—" when undefined), {{ p|p_value }}, {{ row.interval|interval:3 }},
{{ diff|signed:1 }}."""

from django import template
from django.template.defaultfilters import floatformat

from manyi.surveys import words
from manyi.surveys.report.common import finite

register = template.Library()
DASH = "—"


@register.filter
def model_words(model_name):
    return words.model_words(model_name or "")


@register.filter
def settings_words(options):
    return " · ".join(words.settings_words(options))


@register.filter
def num(value, digits=3):
    """The number rounded as every table rounds it (half up), or a dash when undefined."""
    return floatformat(value, int(digits)) if finite(value) else DASH


@register.filter
def p_value(value):
    """p below 0.001 is written "< 0.001", as SmartPLS and journals do."""
    if not finite(value):
        return DASH
    return "< 0.001" if value < 0.001 else floatformat(value, 3)


@register.filter
def interval(bounds, digits=3):
    """ "0.343 – 0.518", or a dash without an interval."""
    if not bounds or len(bounds) != 2 or not all(finite(v) for v in bounds):
        return DASH
    return f"{floatformat(bounds[0], int(digits))} – {floatformat(bounds[1], int(digits))}"


@register.filter
def signed(value, digits=1):
    """A difference with its sign: +1.2 / −0.8."""
    if not finite(value):
        return DASH
    text = floatformat(abs(value), int(digits))
    if float(text) == 0:
        return text
    return ("+" if value > 0 else "−") + text


@register.filter
def percent(value, digits=1):
    """A share (0–1) as a percentage: 0.352 -> 35.2%."""
    return f"{floatformat(value * 100, int(digits))}%" if finite(value) else DASH


@register.filter
def iso_date(value):
    """A stored ISO date ("2026-03-01") as the language writes dates."""
    from manyi.surveys.story import iso_date as written

    return written(value) or DASH
