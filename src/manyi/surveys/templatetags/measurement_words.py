"""A run's model and settings in words: {{ run.model_name|model_words }},
{{ run.options|settings_words }} ("路径加权 · 标准化数据 · 缺失值以均值替代")."""

from django import template

from manyi.surveys import words

register = template.Library()


@register.filter
def model_words(model_name):
    return words.model_words(model_name or "")


@register.filter
def settings_words(options):
    return " · ".join(words.settings_words(options))
