import json
import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from manyi import measurement
from manyi.common.forms import BootstrapMixin
from manyi.common.punctuation import bracketed
from manyi.surveys.errors import model_error_message
from manyi.surveys.mapping import guess_complaint_column, indicators_of
from manyi.surveys.models import Scope
from manyi.surveys.sample import SAMPLE_FIELDS
from manyi.surveys.words import CUSTOM_MODEL, PRESET_LABELS, model_labels


class DatasetUploadForm(BootstrapMixin, forms.Form):
    title = forms.CharField(
        label=_("名称"), max_length=200, help_text=_("例如：2026年家用电器行业用户满意度测评")
    )
    scope = forms.ChoiceField(label=_("测评范围"), choices=Scope.choices, initial=Scope.INDUSTRY)
    industry = forms.CharField(label=_("行业"), max_length=100, required=False)
    survey_year = forms.IntegerField(label=_("调查年度"), min_value=2000, max_value=2100)
    data_file = forms.FileField(
        label=_("调查数据（CSV 或 .xlsx）"),
        help_text=_("第一行为变量名，之后每行一位受访者；未回答的题目留空"),
    )
    dictionary_file = forms.FileField(
        label=_("数据字典（可选）"), required=False, help_text=_("两列：变量名、题目说明")
    )
    group_column = forms.CharField(
        label=_("分组变量（可选）"),
        max_length=100,
        required=False,
        help_text=_("如“企业”：按此列分别计算各企业的指数"),
    )
    scale_min = forms.FloatField(label=_("量表下限"), initial=1)
    scale_max = forms.FloatField(label=_("量表上限"), initial=10)
    # The sample description a published report opens with (all optional).
    channel = forms.CharField(
        label=_("调查方式（可选）"),
        max_length=100,
        required=False,
        help_text=_("如“电话访问、网上问卷”"),
    )
    period_start = forms.DateField(
        label=_("调查开始日期（可选）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    period_end = forms.DateField(
        label=_("调查结束日期（可选）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    contacted = forms.IntegerField(
        label=_("联系（邀请）人数（可选）"),
        min_value=1,
        required=False,
        help_text=_("用于计算应答率：样本量 ÷ 联系人数"),
    )
    strata = forms.CharField(
        label=_("抽样分层（可选）"),
        max_length=200,
        required=False,
        help_text=_("如“按区域、用户类型分层”"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survey_year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        if (
            data.get("scale_min") is not None
            and data.get("scale_max") is not None
            and data["scale_max"] <= data["scale_min"]
        ):
            self.add_error("scale_max", _("量表上限必须大于下限"))
        if (
            data.get("period_start")
            and data.get("period_end")
            and data["period_end"] < data["period_start"]
        ):
            self.add_error("period_end", _("调查结束日期早于开始日期"))
        return data

    def sample(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in SAMPLE_FIELDS}


def preset_variables() -> list[dict]:
    """What each preset needs from a data set, for the upload page: per construct, the
    indicators' codes (the column names that match at once) and their names in the active
    language; yes/no items marked."""
    language = get_language()
    out = []
    for name in measurement.list_presets():
        model = measurement.load_preset(name)
        binary = set(getattr(model, "binary", ()))
        out.append(
            {
                "name": name,
                "title": PRESET_LABELS.get(name, name),
                "count": len(model.indicators),
                "blocks": [
                    {
                        "label": model.label(lv, language),
                        "indicators": [
                            {
                                "code": ind,
                                "label": model.label(ind, language),
                                "binary": ind in binary,
                            }
                            for ind in indicators
                        ],
                    }
                    for lv, indicators in model.blocks.items()
                ],
            }
        )
    return out


class ModelChoiceForm(BootstrapMixin, forms.Form):
    """The first step of a run: which model (then the mapping screen maps its indicators)."""

    model_choice = forms.ChoiceField(label=_("模型"))
    custom_model = forms.CharField(
        label=_("自定义模型（JSON）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            '{"blocks": {"潜变量": ["指标", ...]}, "paths": [["自", "至"]], "modes": {"潜变量": "A"}}'
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model_choice"].choices = [
            *[(name, PRESET_LABELS.get(name, name)) for name in measurement.list_presets()],
            ("custom", CUSTOM_MODEL),
        ]

    def clean(self):
        data = super().clean()
        choice = data.get("model_choice")
        if choice == "custom":
            try:
                spec = json.loads(data.get("custom_model") or "")
                measurement.load_model(spec)
            except json.JSONDecodeError:
                self.add_error("custom_model", _("不是有效的 JSON"))
                return data
            except measurement.ModelError as exc:
                self.add_error("custom_model", model_error_message(exc))
                return data
            data["model_spec"] = spec
        elif choice:
            data["model_spec"] = measurement.load_preset(choice).to_dict()
        return data


class RunForm(ModelChoiceForm):
    """The mapping screen: the chosen model (carried hidden), one select of the data set's
    columns per indicator, the complaint column, and the run's settings."""

    title = forms.CharField(label=_("名称"), max_length=200)
    complaint_column = forms.ChoiceField(
        label=_("投诉变量（可选）"),
        required=False,
        help_text=_("“是否投诉过”之类的是否题，报告中给出投诉率及其置信区间"),
    )
    scheme = forms.ChoiceField(
        label=_("内部权重方案"),
        choices=[("path", _("路径加权")), ("centroid", _("重心")), ("factorial", _("因子"))],
    )
    scaling = forms.ChoiceField(
        label=_("数据标准化"),
        choices=[("standardized", _("标准化")), ("raw", _("原始数据（仅中心化）"))],
    )
    missing = forms.ChoiceField(
        label=_("缺失值处理"), choices=[("mean", _("均值替代")), ("casewise", _("整行删除"))]
    )
    resamples = forms.IntegerField(
        label=_("自助法重抽样次数"),
        min_value=0,
        max_value=5000,
        initial=1000,
        help_text=_("0 表示不计算置信区间"),
    )
    seed = forms.IntegerField(
        label=_("随机种子"),
        min_value=0,
        max_value=2**62,
        help_text=_("记录在结果中，用同一种子可重现相同的置信区间"),
    )

    def __init__(self, *args, dataset, spec: dict, initial_map: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model_choice"].widget = forms.HiddenInput()
        self.fields["custom_model"].widget = forms.HiddenInput()
        self.fields["seed"].initial = secrets.randbelow(10**9)
        self.dataset = dataset
        self.indicators = indicators_of(spec)
        with_words = column_choices(dataset)
        names = model_labels(spec)
        for i, indicator in enumerate(self.indicators):
            name = names.get(indicator, indicator)
            self.fields[self.column_field(i)] = forms.ChoiceField(
                label=name if name == indicator else f"{name}{bracketed(indicator)}",
                choices=[("", _("（请选择）")), *with_words],
                required=False,
                initial=initial_map.get(indicator, ""),
            )
        self.fields["complaint_column"].choices = [
            ("", _("（无）")),
            *[(c, w) for c, w in with_words if c in set(dataset.binary_columns or [])],
        ]
        self.fields["complaint_column"].initial = guess_complaint_column(dataset, initial_map)
        # Added after BootstrapMixin styled the declared fields: styled here.
        for i in range(len(self.indicators)):
            self.fields[self.column_field(i)].widget.attrs["class"] = "form-select form-select-sm"

    @staticmethod
    def column_field(position: int) -> str:
        return f"column_{position}"

    def column_fields(self):
        """(indicator, bound select) for the mapping table."""
        return [(ind, self[self.column_field(i)]) for i, ind in enumerate(self.indicators)]

    def settings_fields(self):
        return [
            self[name] for name in ("title", "scheme", "scaling", "missing", "resamples", "seed")
        ]

    def column_map(self) -> dict[str, str]:
        return {
            ind: self.cleaned_data.get(self.column_field(i)) or ""
            for i, ind in enumerate(self.indicators)
        }

    def options(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("scheme", "scaling", "missing", "resamples")}


def column_choices(dataset) -> list[tuple[str, str]]:
    """Each column of the data set with its dictionary wording and its kind, for a select."""
    dictionary = dataset.dictionary or {}
    binary = set(dataset.binary_columns or [])
    numeric = set(dataset.numeric_columns)
    choices = []
    for column in dataset.columns:
        if column == dataset.group_column:
            continue
        words = [column]
        worded = (dictionary.get(column) or "").strip()
        if worded and worded != column:
            words.append(worded)
        kind = _("是否题") if column in binary else (None if column in numeric else _("文本"))
        text = " · ".join(words)
        choices.append((column, f"{text}{bracketed(kind)}" if kind else text))
    return choices
