"""A closed survey's usable responses as the data table the measurement engine reads (pure).

One row per usable response, one column per indicator of the questionnaire's model in the
model's order, a yes/no ``complaint`` column (1 complained, 0 did not, blank not asked or not
answered) that the run reports as the complaint rate, and a ``channel`` column (web / phone /
api) that the run uses as a group. An
answer of 不清楚/不适用 is a blank cell: the engine's missing value, treated by the run's
missing-value setting, never a number on the scale.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from manyi.common.punctuation import join_words
from manyi.fieldwork.models import ItemKind, ItemPurpose

CHANNEL_COLUMN = "channel"
COMPLAINT_COLUMN = "complaint"


@dataclass
class SurveyTable:
    columns: list[str]
    rows: list[list]
    dictionary: dict[str, str]
    scale_min: int
    scale_max: int


def model_questions(questions: list[dict], indicators: list[str]) -> dict[str, dict]:
    """The scored question that measures each indicator (the first, if several do). Raises
    ValidationError naming the indicators no question measures."""
    by_indicator: dict[str, dict] = {}
    for q in questions:
        if q["purpose"] == ItemPurpose.MODEL and q["kind"] == ItemKind.SCORE and q["indicator"]:
            by_indicator.setdefault(q["indicator"], q)
    missing = [name for name in indicators if name not in by_indicator]
    if missing:
        raise ValidationError(
            _("问卷没有测量以下模型指标的题目，无法计算指数：%(names)s")
            % {"names": join_words(missing)}
        )
    return {name: by_indicator[name] for name in indicators}


def survey_table(questions: list[dict], indicators: list[str], responses) -> SurveyTable:
    """The table of `responses` (objects with ``answers`` and ``channel``) for the model's
    `indicators`; the data dictionary holds each question's Chinese wording."""
    measured = model_questions(questions, indicators)
    columns = [*indicators, COMPLAINT_COLUMN, CHANNEL_COLUMN]
    rows = [
        [
            *(r.answers.get(measured[name]["code"]) for name in indicators),
            None if r.complaint is None else int(r.complaint),
            r.channel,
        ]
        for r in responses
    ]
    dictionary = {name: measured[name]["text"]["zh"] for name in indicators}
    dictionary[COMPLAINT_COLUMN] = "是否投诉过：1 是，0 否"
    # Stored with the data set, in Chinese like the questions' wording beside it.
    dictionary[CHANNEL_COLUMN] = "调查方式：web 网上问卷，phone 电话访问，api 调查机构系统"
    return SurveyTable(
        columns=columns,
        rows=rows,
        dictionary=dictionary,
        scale_min=min(q["min"] for q in measured.values()),
        scale_max=max(q["max"] for q in measured.values()),
    )


def engine_columns(table: SurveyTable, indicators: list[str]) -> dict[str, list[float]]:
    """The indicator columns as the engine reads them from the stored file (NaN for blank)."""
    nan = float("nan")
    return {
        name: [nan if row[i] is None else float(row[i]) for row in table.rows]
        for i, name in enumerate(indicators)
    }
