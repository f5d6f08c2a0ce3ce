"""The public site's words in the reader's language (`programme.language`), for templates:

{{ article|shown:"title" }}   {% if plan|chinese_only:"summary" %}…{% endif %}
{{ article|shown_body }}      {{ article|shown_summary }}
"""

from django import template
from django.utils.safestring import mark_safe

from manyi.programme import language
from manyi.programme.news.sanitise import clean_html

register = template.Library()


@register.filter
def shown(obj, field: str) -> str:
    return language.shown(obj, field)


@register.filter
def chinese_only(obj, field: str) -> bool:
    return language.chinese_only(obj, field)


@register.filter
def shown_body(article) -> str:
    # Safe to mark: the text has just passed the sanitiser's allow-list (news.sanitise).
    return mark_safe(language.shown_body(article))  # noqa: S308


@register.filter
def shown_summary(article) -> str:
    return language.shown_summary(article)


@register.filter
def cleaned(html: str) -> str:
    """A stored body shown as is (whatever the language), sanitised on the way out too."""
    # Safe to mark: the text has just passed the sanitiser's allow-list (news.sanitise).
    return mark_safe(clean_html(html))  # noqa: S308
