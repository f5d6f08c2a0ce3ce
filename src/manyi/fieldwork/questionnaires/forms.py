"""The forms of the item bank and of a draft questionnaire (the services check the rest)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.common.punctuation import bracketed, is_chinese
from manyi.fieldwork.models import ItemKind, ItemPurpose
from manyi.fieldwork.questionnaires import bank
from manyi.surveys.words import PRESET_LABELS

MAX_POSITION = 999


def indicator_choices() -> list[tuple[str, str]]:
    """Each indicator with what it means in the presets that use it."""
    lang = "zh" if is_chinese() else "en"
    meanings: dict[str, list[str]] = {}
    for model in bank.ALL_MODELS:
        for indicator, label in bank.indicator_labels(model).items():
            if indicator in bank.all_indicators():
                words = f"{model}: {label[lang]}"
                meanings.setdefault(indicator, []).append(words)
    return [("", "—")] + [
        (i, f"{i}{bracketed('; '.join(meanings[i]))}") for i in bank.all_indicators()
    ]


class ItemForm(forms.Form):
    code = forms.CharField(
        label=_("题目代码"),
        max_length=40,
        help_text=_("小写字母、数字和下划线，如 sat1；保存后不能修改"),
    )
    purpose = forms.ChoiceField(label=_("用途"), choices=ItemPurpose.choices)
    kind = forms.ChoiceField(label=_("题型"), choices=ItemKind.choices)
    indicator = forms.ChoiceField(
        label=_("测量指标"),
        required=False,
        help_text=_("模型指标题必填：该题的回答作为模型中这一指标的数据"),
    )
    text_zh = forms.CharField(label=_("题目（中文）"), widget=forms.Textarea(attrs={"rows": 2}))
    text_en = forms.CharField(
        label=_("题目（英文）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    scale_min = forms.IntegerField(label=_("量表下限"), min_value=0, max_value=10, initial=1)
    scale_max = forms.IntegerField(label=_("量表上限"), min_value=0, max_value=10, initial=10)
    allows_unknown = forms.BooleanField(
        label=_("可选“不清楚/不适用”"), required=False, initial=True
    )
    anchor_low_zh = forms.CharField(label=_("最低分含义"), max_length=40, required=False)
    anchor_high_zh = forms.CharField(label=_("最高分含义"), max_length=40, required=False)
    anchor_low_en = forms.CharField(label=_("最低分含义（英文）"), max_length=40, required=False)
    anchor_high_en = forms.CharField(label=_("最高分含义（英文）"), max_length=40, required=False)
    is_active = forms.BooleanField(label=_("可用（新问卷可选用）"), required=False, initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices()
        if editing:
            # The code is the answers' key: it never changes once the item exists.
            del self.fields["code"]


class DraftForm(forms.Form):
    """A draft's settings, and for each bank item: in the questionnaire or not, and where."""

    title = forms.CharField(label=_("问卷名称"), max_length=200)
    model_name = forms.ChoiceField(label=_("测评模型"))
    min_seconds = forms.IntegerField(
        label=_("最短作答时间（秒）"),
        min_value=0,
        max_value=3600,
        help_text=_("用时少于此数的回答标记为“作答过快”，交调查机构复核"),
    )
    intro_zh = forms.CharField(
        label=_("问卷说明"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("受访者首先看到、访问员首先读出：谁在调查、为什么调查、回答如何使用"),
    )
    intro_en = forms.CharField(
        label=_("问卷说明（英文）"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, rows, **kwargs):
        """`rows`: (item, position or None) of every item the draft may hold."""
        super().__init__(*args, **kwargs)
        self.fields["model_name"].choices = [
            (name, PRESET_LABELS[name]) for name in bank.QUESTIONNAIRE_MODELS
        ]
        self.items = [item for item, _position in rows]
        for item, position in rows:
            self.fields[f"inc_{item.pk}"] = forms.BooleanField(
                label=item.code, required=False, initial=position is not None
            )
            self.fields[f"pos_{item.pk}"] = forms.IntegerField(
                label=_("顺序"),
                required=False,
                min_value=1,
                max_value=MAX_POSITION,
                initial=position,
            )

    def settings_fields(self):
        return [
            self[name] for name in ("title", "model_name", "min_seconds", "intro_zh", "intro_en")
        ]

    def rows(self):
        """(item, its checkbox, its position box) for the table of items."""
        return [(item, self[f"inc_{item.pk}"], self[f"pos_{item.pk}"]) for item in self.items]

    def clean(self):
        data = super().clean()
        chosen = [
            (data.get(f"pos_{item.pk}") or MAX_POSITION + 1, order, item.pk)
            for order, item in enumerate(self.items)
            if data.get(f"inc_{item.pk}")
        ]
        # By the number given; without a number, after the numbered ones in the table's order.
        data["item_ids"] = [pk for _position, _order, pk in sorted(chosen)]
        return data
