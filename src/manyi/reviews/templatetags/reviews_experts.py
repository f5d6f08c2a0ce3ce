"""The experts part of an application's review page (filled by its package)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def experts_section(context):
    return ""
