"""A run's model and settings in words, and its constructs' and indicators' names in the
reader's language.

Light on purpose (no numpy): the report page and the run lists use it without loading the
measurement engine.
"""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from manyi.common.punctuation import is_chinese

PRESET_LABELS = {
    "china": _("中国顾客满意指数模型（GB/T 19038）"),
    "acsi": _("美国顾客满意指数模型（ACSI，含抱怨）"),
    "ecsi": _("欧洲顾客满意指数模型（ECSI）"),
    "ecsi7": _("ECSI 含抱怨（7个潜变量）"),
}
CUSTOM_MODEL = _("自定义模型")

# Each stored option code (run.options) as the words a reader understands.
SETTING_WORDS = {
    "scheme": {
        "path": _("路径加权"),
        "centroid": _("重心加权"),
        "factorial": _("因子加权"),
    },
    "scaling": {
        "standardized": _("标准化数据"),
        "raw": _("原始数据（仅中心化）"),
    },
    "missing": {
        "mean": _("缺失值以均值替代"),
        "casewise": _("整行删除含缺失值的样本"),
    },
}


def model_words(model_name: str) -> str:
    """A preset's name in words ("acsi" -> 美国顾客满意指数模型…); a custom model says so."""
    if model_name in PRESET_LABELS:
        return str(PRESET_LABELS[model_name])
    return str(CUSTOM_MODEL) if model_name in ("", "custom") else model_name


def settings_words(options: dict | None) -> list[str]:
    """The weighting scheme, scaling and missing-value rule of a run, each in words (a code
    this list does not know is shown as it is)."""
    options = options or {}
    return [
        str(SETTING_WORDS[key].get(options[key], options[key]))
        for key in ("scheme", "scaling", "missing")
        if options.get(key)
    ]


def model_labels(spec: dict | None, dictionary: dict | None = None) -> dict[str, str]:
    """Names to show for a model's constructs and indicators, in the active language.

    Chinese: the data dictionary's wording (what the person uploaded) over the model's
    "labels". Another language: the model's own names in that language ("labels_en", given
    by every preset) first, then the dictionary, then the Chinese names.
    """
    spec = spec or {}
    labels = dict(spec.get("labels") or {}) | dict(dictionary or {})
    return labels | _translated(spec)


def _translated(spec: dict) -> dict[str, str]:
    """The model's names in the active language when it is not Chinese ({} under Chinese)."""
    if is_chinese():
        return {}
    language = (get_language() or "").lower()
    return dict(
        spec.get(f"labels_{language}") or spec.get(f"labels_{language.split('-')[0]}") or {}
    )


def run_labels(run) -> dict[str, str]:
    """One name for each construct and indicator of a run, in the active language.

    An indicator: the data dictionary's wording of the column mapped to it (what the person
    uploaded), else the model's name, else its code. Under another language than Chinese the
    model's name in that language comes first (presets give English names; a dictionary is
    usually Chinese). A dictionary entry that only repeats the column's name is no wording.
    """
    spec = run.model_spec or {}
    dictionary = run.dataset.dictionary or {}
    column_map = run.column_map or {}
    labels = spec.get("labels") or {}
    translated = _translated(spec)
    names = {lv: translated.get(lv) or labels.get(lv) or lv for lv in spec.get("blocks") or {}}
    for block in (spec.get("blocks") or {}).values():
        for indicator in block:
            column = column_map.get(indicator, indicator)
            worded = (dictionary.get(column) or "").strip()
            if worded in (column, indicator):
                worded = ""
            names[indicator] = (
                translated.get(indicator) or worded or labels.get(indicator) or indicator
            )
    return names
