"""Which column of a data set measures each indicator of a model (the mapping screen).

`auto_match` proposes a mapping the person then corrects; `check_mapping` is the one check a
mapping passes before a run is queued (`services.request_run` calls it, the form shows its
messages). Light on purpose: the model is handled as its JSON dict, so the pages that only
show a mapping never load the engine.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from manyi.common.punctuation import bracketed, join_words
from manyi.surveys.words import model_labels

# Columns that may be the complaint question when nobody chose one (their name or wording).
COMPLAINT_WORDS = ("投诉", "抱怨", "complain")


def indicators_of(spec: dict) -> list[str]:
    return [mv for block in (spec.get("blocks") or {}).values() for mv in block]


def normalised(text: str) -> str:
    """A name without case, spaces and punctuation: "Sat_1", "SAT-1" and "sat 1" are equal."""
    return "".join(
        ch
        for ch in unicodedata.normalize("NFKC", str(text)).casefold()
        if not unicodedata.category(ch).startswith(("P", "Z", "S", "C"))
    )


def _indicator_labels(spec: dict, indicator: str) -> set[str]:
    """The model's names of an indicator, in Chinese and in every other language it gives."""
    names = [(spec.get("labels") or {}).get(indicator)]
    names += [
        (words or {}).get(indicator) for key, words in spec.items() if key.startswith("labels_")
    ]
    return {normalised(n) for n in names if n and normalised(n)}


def candidate_columns(dataset) -> list[str]:
    """Columns that can measure an indicator: the numeric ones (yes/no included), never the
    group column."""
    return [c for c in dataset.numeric_columns if c != dataset.group_column]


def auto_match(spec: dict, dataset) -> dict[str, str]:
    """A proposed {indicator: column}: first the column of the same name, then one whose name
    differs only in case, spaces or punctuation, then one whose dictionary wording is the
    indicator's Chinese or English name. A column is proposed once, and only when exactly one
    column fits at that step; an indicator nothing fits is left out."""
    columns = candidate_columns(dataset)
    dictionary = dataset.dictionary or {}
    indicators = indicators_of(spec)
    matched: dict[str, str] = {}

    def by(step) -> None:
        for indicator in indicators:
            if indicator in matched:
                continue
            free = [c for c in columns if c not in matched.values()]
            fits = [c for c in free if step(indicator, c)]
            if len(fits) == 1:
                matched[indicator] = fits[0]

    by(lambda ind, col: col == ind)
    by(lambda ind, col: normalised(col) == normalised(ind) != "")
    by(lambda ind, col: normalised(dictionary.get(col, "")) in _indicator_labels(spec, ind))
    return {ind: matched[ind] for ind in indicators if ind in matched}


def guess_complaint_column(dataset, column_map: dict[str, str]) -> str:
    """The yes/no column that reads as "did you complain?", when exactly one does and no
    indicator uses it."""
    used = set(column_map.values())
    dictionary = dataset.dictionary or {}
    fits = [
        c
        for c in dataset.binary_columns or []
        if c not in used
        and any(w in f"{c} {dictionary.get(c, '')}".casefold() for w in COMPLAINT_WORDS)
    ]
    return fits[0] if len(fits) == 1 else ""


def check_mapping(
    spec: dict,
    dataset,
    column_map: dict[str, str],
    *,
    complaint_column: str = "",
    preset: bool = False,
) -> dict:
    """The model to store for this mapping, or ValidationError listing every problem.

    Refused: an indicator without a column, a column the data set does not have, a text
    column, a column used for two indicators, a complaint column that is not yes/no, a
    scale column on an indicator the model declares yes/no and, for a preset, a yes/no column
    on an indicator the preset scores on the scale. A yes/no column makes its indicator yes/no in the returned model ("binary"),
    so the engine scores it 0–1 whatever the questionnaire's scale.
    """
    labels = model_labels(spec)  # in the reader's language

    def name(indicator: str) -> str:
        label = labels.get(indicator)
        return f"{label}{bracketed(indicator)}" if label and label != indicator else indicator

    indicators = indicators_of(spec)
    binary_columns = set(dataset.binary_columns or [])
    model_binary = set(spec.get("binary") or [])
    problems = []
    unmapped = [ind for ind in indicators if not column_map.get(ind)]
    if unmapped:
        problems.append(
            _("以下指标还没有选择对应的变量：%(names)s")
            % {"names": join_words(name(i) for i in unmapped)}
        )
    stray = sorted(set(column_map) - set(indicators))
    if stray:
        problems.append(_("模型中没有这些指标：%(names)s") % {"names": join_words(stray)})
    mapped = {ind: column_map[ind] for ind in indicators if column_map.get(ind)}
    unknown = sorted({c for c in mapped.values() if c not in dataset.columns})
    if unknown:
        problems.append(_("数据中没有这些变量：%(names)s") % {"names": join_words(unknown)})
    text = sorted(
        {c for c in mapped.values() if c in dataset.columns and c not in candidate_columns(dataset)}
    )
    if text:
        problems.append(
            _("这些变量不是数值变量，不能用于测评：%(names)s") % {"names": join_words(text)}
        )
    seen: dict[str, list[str]] = {}
    for ind, column in mapped.items():
        seen.setdefault(column, []).append(ind)
    for column, used_by in seen.items():
        if len(used_by) > 1:
            problems.append(
                _("变量“%(column)s”被同时用于多个指标：%(names)s")
                % {"column": column, "names": join_words(name(i) for i in used_by)}
            )
    if preset:
        yes_no_on_scale = [
            i for i, c in mapped.items() if c in binary_columns and i not in model_binary
        ]
        if yes_no_on_scale:
            problems.append(
                _("是否题变量只能对应模型中的是否题指标，以下指标须选择量表题变量：%(names)s")
                % {"names": join_words(name(i) for i in yes_no_on_scale)}
            )
    scale_on_yes_no = [
        i
        for i, c in mapped.items()
        if i in model_binary and c in candidate_columns(dataset) and c not in binary_columns
    ]
    if scale_on_yes_no:
        problems.append(
            _("以下指标是是否题，须选择只含 1/0 或 是/否 的变量：%(names)s")
            % {"names": join_words(name(i) for i in scale_on_yes_no)}
        )
    if complaint_column and complaint_column not in binary_columns:
        problems.append(
            _("投诉变量“%(name)s”不是是否题（只含 1/0 或 是/否）") % {"name": complaint_column}
        )
    if problems:
        raise ValidationError(problems)
    binary = model_binary | {i for i, c in mapped.items() if c in binary_columns}
    stored = {k: v for k, v in spec.items() if k != "binary"}
    if binary:
        stored["binary"] = [i for i in indicators if i in binary]
    return stored
