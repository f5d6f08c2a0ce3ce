"""Template words of training: a class's status as it stands now."""

from django import template

from manyi.training.words import class_status_word

register = template.Library()


@register.filter
def class_status(training_class) -> str:
    return class_status_word(training_class)
