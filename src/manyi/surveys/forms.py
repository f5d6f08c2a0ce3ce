import json
import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi import measurement
from manyi.common.forms import BootstrapMixin
from manyi.surveys.models import Scope
from manyi.surveys.words import CUSTOM_MODEL, PRESET_LABELS


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
        return data


class RunForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    model_choice = forms.ChoiceField(label=_("模型"))
    custom_model = forms.CharField(
        label=_("自定义模型（JSON）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            '{"blocks": {"潜变量": ["指标", ...]}, "paths": [["自", "至"]], "modes": {"潜变量": "A"}}'
        ),
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model_choice"].choices = [
            *[(name, PRESET_LABELS.get(name, name)) for name in measurement.list_presets()],
            ("custom", CUSTOM_MODEL),
        ]
        self.fields["seed"].initial = secrets.randbelow(10**9)

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
                from manyi.surveys.errors import model_error_message

                self.add_error("custom_model", model_error_message(exc))
                return data
            data["model_spec"] = spec
        elif choice:
            data["model_spec"] = measurement.load_preset(choice).to_dict()
        return data

    def options(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("scheme", "scaling", "missing", "resamples")}
