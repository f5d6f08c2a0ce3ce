"""An activity-log entry's before and after as lines a person reads: "字段：旧 → 新".

The field is named by the model's verbose name when the entry's object type is a model that
has the field, else by a few words common to many entries, else by its key. A key present on
both sides with the same value is context (类别：品牌) and shown without an arrow.
"""

import json
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.common.punctuation import join_words, labelled

# A value longer than this is cut in the page; the Excel export keeps it whole.
MAX_VALUE_CHARS = 120
# More lines than this, or more characters, and the page folds the entry away.
FOLD_LINES = 3
FOLD_CHARS = 160
ARROW = " → "

# Keys many services log that are not a field of the logged object.
COMMON_LABELS = {
    "status": gettext_lazy("状态"),
    "file": gettext_lazy("文件"),
    "kind": gettext_lazy("类型"),
    "email": gettext_lazy("电子邮箱"),
    "role": gettext_lazy("角色"),
    "agency": gettext_lazy("推进机构"),
    "category": gettext_lazy("类别"),
    "campaign": gettext_lazy("申报活动"),
    "quota": gettext_lazy("推荐名额"),
    "membership": gettext_lazy("成员关系"),
    "data": gettext_lazy("数据"),
    "signer": gettext_lazy("签字人"),
    "error": gettext_lazy("错误"),
    "n": gettext_lazy("样本量"),
}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str
    changed: bool

    @property
    def text(self) -> str:
        value = f"{self.old}{ARROW}{self.new}" if self.changed else self.new
        return labelled(self.label, value) if self.label else value


def _model(object_type: str):
    if "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _label(field, key: str) -> str:
    if field is not None and getattr(field, "verbose_name", None):
        name = str(field.verbose_name)
        # Django's default verbose name is the field name with spaces: not a label.
        if name != key.replace("_", " ") and name != field.name.replace("_", " "):
            return name
    if key in COMMON_LABELS:
        return str(COMMON_LABELS[key])
    return key


def _words(value, field=None) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return _("（空）")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    # Only fixed choices: a foreign key's "choices" would read its whole table.
    if getattr(field, "choices", None) and not isinstance(value, list | dict):
        value = dict(field.flatchoices).get(value, value)
    if isinstance(value, list):
        text = join_words(_words(v, field) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 1] + "…"
    return text


def change_lines(*, object_type: str, before, after) -> list[Change]:
    """The entry's changes, one line per key, in the order the service logged them."""
    if before is None and after is None:
        return []
    if not isinstance(before, dict | None) or not isinstance(after, dict | None):
        # Something other than key → value pairs: shown whole.
        if before is None:
            return [Change("", "", _words(after), False)]
        return [Change("", _words(before), _words(after), True)]
    model = _model(object_type)
    before, after = before or {}, after or {}
    keys = list(before) + [k for k in after if k not in before]
    lines = []
    for key in keys:
        field = _field(model, key)
        label = _label(field, key)
        if key not in before:
            lines.append(Change(label, "", _words(after[key], field), False))
        elif key not in after:
            lines.append(Change(label, _words(before[key], field), _("（已删除）"), True))
        elif before[key] == after[key]:
            lines.append(Change(label, "", _words(after[key], field), False))
        else:
            lines.append(Change(label, _words(before[key], field), _words(after[key], field), True))
    return lines


def is_long(lines: list[Change]) -> bool:
    return len(lines) > FOLD_LINES or sum(len(line.text) for line in lines) > FOLD_CHARS
