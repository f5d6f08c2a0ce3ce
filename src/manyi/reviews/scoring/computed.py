"""The criteria that are computed, never typed: the survey's index and the form's quality figures.

Both give one value per application, the same for every expert, on the criterion's 0–max scale.

- INDEX: the satisfaction index of the application's survey (0–100) → index / 100 × max.
  Until the survey has a result the value is unknown: the page shows "待调查结果" and every
  total is provisional (its part counts 0 meanwhile).
- FORM: the quality figures the applicant gave in the category's form (附件4-x). The printed
  forms ask for few rates as such (only 保修期返修率 is a percentage); the rest are counts
  beside a base (质量退赔次数 beside 年销售量, 用户投诉次数 beside 每年服务人次) and the yes/no
  of 三年内有无重大安全、质量事故. ``QUALITY_RATES`` turns each of them into a rate of good
  outcomes (0–1, 1 best: 1 − 返修率, 1 − 退赔次数/销售量, 1 − 投诉次数/服务人次, 无事故 = 1) —
  the same reading for every application of a category, so the figures weigh alike — and the
  value is the mean of the rates the form gives × max. A rate whose figures are empty (the
  trade not chosen, a reason given) is left out; a form giving none scores 0, since the
  committee can credit only what is stated. The engineering form has no quality figure at all
  (工程类 states area, cost and dates only); its default rubric weighs FORM 0 (see rubric.py).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from manyi.applications.forms.validation import as_plain_decimal
from manyi.reviews.models import CriterionSource

ONE = Decimal(1)


def _number(data: dict, key: str) -> Decimal | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    return as_plain_decimal(value)


def _clamp(rate: Decimal) -> Decimal:
    return min(max(rate, Decimal(0)), ONE)


@dataclass(frozen=True)
class QualityRate:
    """A rate of good outcomes (0–1, 1 best) read from the form's figures."""

    label: object

    def of(self, data: dict) -> Decimal | None:  # pragma: no cover - overridden
        raise NotImplementedError


@dataclass(frozen=True)
class Complement(QualityRate):
    """1 − a percentage field (保修期返修率 12 % → 0.88)."""

    key: str = ""

    def of(self, data):
        value = _number(data, self.key)
        return None if value is None else _clamp(ONE - value / 100)


@dataclass(frozen=True)
class ShareFree(QualityRate):
    """1 − a count over its base (退赔次数 / 销售量); None without a positive base."""

    count: str = ""
    base: str = ""

    def of(self, data):
        count, base = _number(data, self.count), _number(data, self.base)
        if count is None or base is None or base <= 0:
            return None
        return _clamp(ONE - count / base)


@dataclass(frozen=True)
class NoAccident(QualityRate):
    """三年内有无重大安全、质量事故: 无 → 1, 有 → 0."""

    key: str = "major_accidents"

    def of(self, data):
        return {"no": ONE, "yes": Decimal(0)}.get(data.get(self.key))


_NO_ACCIDENT = NoAccident(_("无重大安全、质量事故"))
_REPAIR = Complement(_("保修期内未返修率"), key="warranty_repair_rate")
_RETURNS = ShareFree(
    _("未退赔率（年处理退赔次数／主导产品年销售量）"),
    count="returns_per_year",
    base="main_product_sales_volume",
)
_SERVICE_RETURNS = ShareFree(
    _("服务未退赔率（年处理退赔次数／主要服务年接待人次）"),
    count="service_returns_per_year",
    base="main_service_visitors",
)
_SERVICE_COMPLAINTS = ShareFree(
    _("无投诉率（年接待投诉次数／主要服务年接待人次）"),
    count="complaints_per_year",
    base="main_service_visitors",
)

# Category → the quality rates its form gives (applications/forms/specs.py).
QUALITY_RATES: dict[str, tuple[QualityRate, ...]] = {
    "brand": (_NO_ACCIDENT, _REPAIR, _RETURNS, _SERVICE_RETURNS, _SERVICE_COMPLAINTS),
    "enterprise": (_NO_ACCIDENT, _REPAIR, _RETURNS, _SERVICE_RETURNS, _SERVICE_COMPLAINTS),
    "product": (
        ShareFree(
            _("未退赔率（质量退赔次数／年销售量）"), count="quality_returns", base="sales_volume"
        ),
    ),
    "engineering": (),
    "service": (
        ShareFree(
            _("无投诉率（用户投诉次数／每年服务人次）"), count="complaints", base="persons_served"
        ),
    ),
}


def quality_rates(application) -> list[tuple[object, Decimal]]:
    """The (label, rate) pairs the application's form gives, in the table's order."""
    data = application.form_data or {}
    rates = []
    for rate in QUALITY_RATES.get(application.category, ()):
        value = rate.of(data)
        if value is not None:
            rates.append((rate.label, value))
    return rates


@dataclass
class Computed:
    """A computed criterion's value for one application, and how the page shows it."""

    value: Decimal | None  # on the criterion's 0–max scale; None: not known yet
    shown: str  # the figure it comes from, for the page
    pending: bool = False  # waiting for the survey's result
    rates: list = None  # FORM: the (label, rate) pairs behind it


def _scaled(fraction: Decimal, max_score: int) -> Decimal:
    return (fraction * max_score).quantize(Decimal("0.01"))


def index_value(application, criterion) -> Computed:
    from manyi.fieldwork.results.summary import survey_result
    from manyi.fieldwork.selectors import survey_of_application

    survey = survey_of_application(application)
    result = survey_result(survey) if survey is not None else None
    if result is None or result.index is None:
        return Computed(value=None, shown=str(_("待调查结果")), pending=True)
    index = Decimal(str(result.index))
    return Computed(
        value=_scaled(_clamp(index / 100), criterion.max_score),
        shown=str(_("满意度指数 %(index)s") % {"index": result.index}),
    )


def form_value(application, criterion) -> Computed:
    rates = quality_rates(application)
    if not rates:
        return Computed(value=Decimal(0), shown=str(_("申请表未提供质量指标")), rates=[])
    mean = sum(rate for _label, rate in rates) / len(rates)
    return Computed(
        value=_scaled(mean, criterion.max_score),
        shown=str(_("质量指标平均 %(rate)s%%") % {"rate": (mean * 100).quantize(Decimal("0.1"))}),
        rates=rates,
    )


_COMPUTERS = {CriterionSource.INDEX: index_value, CriterionSource.FORM: form_value}


def computed_details(application, criteria) -> dict[str, Computed]:
    """criterion code → Computed, for the computed criteria among ``criteria``."""
    return {
        c.code: _COMPUTERS[c.source](application, c) for c in criteria if c.source in _COMPUTERS
    }


def computed_values(application, criteria) -> dict[str, Decimal | None]:
    return {code: d.value for code, d in computed_details(application, criteria).items()}
