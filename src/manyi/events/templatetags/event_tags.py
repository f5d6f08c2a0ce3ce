"""The events' template helpers: the English title and summary where the organiser wrote
them and the interface is English."""

from django import template

from manyi.common.punctuation import is_chinese

register = template.Library()


@register.filter
def localised(event, field: str) -> str:
    """`event.<field>_en` when the interface is English and it is filled in, else the Chinese."""
    if not is_chinese():
        english = getattr(event, f"{field}_en", "")
        if english:
            return english
    return getattr(event, field, "")


@register.filter
def format_labels(formats) -> list[str]:
    """The Art. 17 ways an event takes, in words, in the order of the choices."""
    from manyi.events.models import EventFormat

    chosen = set(formats or [])
    return [label for value, label in EventFormat.choices if value in chosen]
