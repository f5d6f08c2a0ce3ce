from django import forms, template

from manyi.common import punctuation

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
    """A date as the language writes it: 2026年11月26日 (as an official form) / 26 Nov 2026."""
    return punctuation.local_date(value)


@register.filter
def cn_datetime(value):
    """2026年11月26日 14:05 / 26 Nov 2026 14:05."""
    return punctuation.local_datetime(value)


@register.filter
def join_words(items):
    """A list as words: 甲、乙、丙 / A, B, C."""
    return punctuation.join_words(items)


@register.filter(is_safe=True)
def bracketed(text):
    """A note in brackets after a word: （3） / " (3)"."""
    return punctuation.bracketed(text)


@register.simple_tag
def colon():
    """ "：" / ": " after a label."""
    return punctuation.colon()


@register.simple_tag
def comma():
    """ "、" / ", " between the items of a list written out in a loop."""
    return punctuation.enumeration_comma()


@register.simple_tag
def lbracket():
    """ "（" / " (" opening a note written out in the template."""
    return "（" if punctuation.is_chinese() else " ("


@register.simple_tag
def rbracket():
    return "）" if punctuation.is_chinese() else ")"


@register.simple_tag
def item_number(number):
    """A list item's number: 1） / 1) ."""
    return f"{number}）" if punctuation.is_chinese() else f"{number}) "


@register.simple_tag
def semicolon():
    return punctuation.semicolon()


@register.simple_tag
def full_stop():
    return punctuation.full_stop()


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


@register.filter
def changes(entry):
    """An activity-log entry's before/after as {"lines": ["字段：旧 → 新", …], "fold": bool}."""
    from manyi.common.changes import change_lines, is_long

    lines = change_lines(object_type=entry.object_type, before=entry.before, after=entry.after)
    return {"lines": [line.text for line in lines], "fold": is_long(lines)}


@register.simple_tag
def sort_link(listing, key, label):
    """A column head that sorts the list by ``key``: ascending first, then descending; the
    filters stay, the page goes back to the first. ``aria-sort`` tells a screen reader."""
    from django.utils.html import format_html

    current = listing.sort
    descending = current == f"-{key}"
    ascending = current == key
    target = f"-{key}" if ascending else key
    query = f"{listing.filter_query}&sort={target}" if listing.filter_query else f"sort={target}"
    arrow = "▲" if ascending else "▼" if descending else ""
    state = "ascending" if ascending else "descending" if descending else "none"
    return format_html(
        '<a href="?{}" class="sort-link" data-sort="{}" aria-sort="{}">{}{}</a>',
        query,
        key,
        state,
        label,
        format_html('<span aria-hidden="true"> {}</span>', arrow) if arrow else "",
    )
