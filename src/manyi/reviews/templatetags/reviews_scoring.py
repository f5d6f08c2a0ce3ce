"""The scoring part of an application's review page (filled by its package)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def scoring_section(context):
    return ""
