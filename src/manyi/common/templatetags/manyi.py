from django import forms, template
from django.utils import timezone

register = template.Library()


@register.filter
def bs(field):
    """Render a bound field's widget with the Bootstrap class its kind needs and ARIA links."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {"class": f"{widget.attrs.get('class', '')} {css}".replace(css, "").strip() + f" {css}"}
    if field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_errors")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field):
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def cn_date(value):
    """A date as a Chinese official form writes it: 2026年11月26日."""
    if not value:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def cn_datetime(value):
    if not value:
        return ""
    value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


@register.filter
def field_pairs(fields):
    """[(field, its "未填原因" companion or None), …] from a list of bound fields."""
    pairs = []
    for field in fields:
        if field.name.endswith("__reason") and pairs and pairs[-1][1] is None:
            pairs[-1] = (pairs[-1][0], field)
        else:
            pairs.append((field, None))
    return pairs


@register.filter
def is_choice_list(field):
    """Radio buttons or a list of checkboxes: rendered one option per line."""
    return isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def action_label(code):
    from manyi.common.actions import action_label as label

    return label(code)
