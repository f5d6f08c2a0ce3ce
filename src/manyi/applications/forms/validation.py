"""Checking a form's data against its spec (`form_specs`), in Chinese, field by field.

The data is what is stored: a dict keyed by field key whose values are JSON (strings, numbers,
lists); values parsed by a Django form (Decimal, date) are accepted too. Only the general
sections and the chosen trade sections are looked at: a trade block the applicant did not
choose is not part of its application.

- A draft (``for_submission=False``) is only checked for the format of what is filled in.
- A submission also needs every field filled, or a stated reason for leaving it empty
  (填表说明: 不填之项要说明原因); fields marked ``required_always`` take no reason. The brand
  and enterprise forms need at least one trade section chosen.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.postcode import is_postcode
from manyi.applications.forms.specs import DECIMAL_PLACES, Field, FormSpec, all_fields
from manyi.common.punctuation import join_words

FIRST_YEAR = 1949

LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")
MOBILE_RE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
INT_RE = re.compile(r"^[+-]?\d+$")
# Digits with an optional decimal point: no exponent ("1e99"), no "NaN", no "Infinity".
PLAIN_DECIMAL_RE = re.compile(r"^[+-]?[0-9]+(?:\.[0-9]+)?$")
# Years in 获得年份: four digits each, separated by 、，, ; / or spaces.
YEAR_LIST_SPLIT = re.compile(r"[、，,；;/\s]+")

# A product series, not one product (附件4-3 填表说明 2: 填写系列产品推荐无效). Heuristic:
# - the words 系列 / series, or 全系 / 多种型号 / 多款 / 各型号 / 各种规格 and the like;
# - an ending in 等 (… 等, …等型号, …等规格): an open list;
# - a range of models: two codes joined by ~ ～ 至 到 (A100~A900, 100至900), or by a dash when
#   both sides carry the same letter prefix (A100-A900, KFR35-KFR72). A dash inside one model
#   code (KFR-35GW, XQB80-8188) is left alone: that is how model numbers are written.
_SERIES_WORDS = re.compile(
    r"系列|series|全系|多种(?:型号|规格)|多款|各(?:种)?(?:型号|规格)|(?:型号|规格)若干", re.I
)
_OPEN_LIST = re.compile(r"等(?:型号|规格|产品|多种)?[\s。．.…)）]*$")
_TILDE_RANGE = re.compile(r"[A-Za-z0-9]\s*(?:~|～|〜|至|到)\s*[A-Za-z0-9]")
_DASH_RANGE = re.compile(r"(?<![A-Za-z])([A-Za-z]+)\d+[A-Za-z]*\s*[-－—–]\s*\1\d+", re.I)

# A service body, not a service (附件4-5 填表说明 1): names ending like an organisation.
SERVICE_BODY_ENDINGS = (
    "公司",
    "中心",
    "部",
    "处",
    "站",
    "所",
    "集团",
    "营业厅",
    "银行",
    "分行",
    "支行",
)


def is_product_series(text: str) -> bool:
    """True when a 产品型号及规格 describes a series rather than one model (see above)."""
    text = (text or "").strip()
    return bool(
        _SERIES_WORDS.search(text)
        or _OPEN_LIST.search(text)
        or _TILDE_RANGE.search(text)
        or _DASH_RANGE.search(text)
    )


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", str(text or "")).casefold()


def is_service_body_name(name: str, *, service_body: str = "", organisation_name: str = "") -> bool:
    """True when a 专项服务名称 names the body that serves rather than the service: it equals the
    服务机构名称 or the organisation's name, or ends as an organisation does (…公司, …中心,
    …部, …处, …站, …所, …集团)."""
    squashed = _squash(name)
    if not squashed:
        return False
    if squashed in {_squash(service_body), _squash(organisation_name)} - {""}:
        return True
    return squashed.endswith(SERVICE_BODY_ENDINGS)


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | dict):
        return not value
    return False


def _has_reason(reasons: dict[str, str], key: str) -> bool:
    return not is_empty((reasons or {}).get(key))


def _condition_met(field: Field, data: dict) -> bool:
    if not field.required_if:
        return True
    other, wanted = field.required_if
    return data.get(other) == wanted


def _asks_for(field: Field, data: dict) -> bool:
    """Whether the field is asked at all (a conditional field only when its condition holds)."""
    return _condition_met(field, data)


def _field_done(field: Field, data: dict, reasons: dict) -> bool:
    if not is_empty(data.get(field.key)):
        return True
    return not field.required_always and not field.required_if and _has_reason(reasons, field.key)


def active_trades(spec: FormSpec, chosen_trades) -> set[str]:
    offered = {s.trade for s in spec.trade_sections}
    return set(chosen_trades or ()) & offered


def missing_without_reason(
    spec: FormSpec, data: dict, *, chosen_trades, reasons: dict[str, str]
) -> list[str]:
    """Keys of the fields asked but left empty without a reason (in form order): what makes the
    form incomplete. ``required_always`` fields count as missing even with a reason."""
    data = data or {}
    trades = active_trades(spec, chosen_trades)
    return [
        f.key
        for f in all_fields(spec, trades)
        if _asks_for(f, data) and not _field_done(f, data, reasons)
    ]


def completeness(
    spec: FormSpec, data: dict, chosen_trades, reasons: dict[str, str]
) -> dict[str, tuple[int, int]]:
    """For each active section: (fields filled or with a stated reason, fields asked)."""
    data = data or {}
    out = {}
    for section in spec.active_sections(active_trades(spec, chosen_trades)):
        asked = [f for f in section.fields if _asks_for(f, data)]
        done = sum(1 for f in asked if _field_done(f, data, reasons))
        out[section.key] = (done, len(asked))
    return out


# --- parsing -------------------------------------------------------------------------------


def _as_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def as_plain_decimal(value: Any) -> Decimal | None:
    """A number written as digits with an optional decimal point (thousands commas allowed);
    None for anything else, "1e99" and "NaN" included. Decimals and ints pass as they are."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    text = format(value, "f") if isinstance(value, Decimal) and value.is_finite() else str(value)
    text = text.strip().replace(",", "")
    if not PLAIN_DECIMAL_RE.match(text):
        return None
    return Decimal(text)


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal | float):
        try:
            return int(value) if value == int(value) else None
        except (ValueError, OverflowError):
            return None
    text = str(value).strip().replace(",", "")
    return int(text) if INT_RE.match(text) else None


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def comparable(field: Field, value: Any):
    """The value as a number or a date, for ordering checks; None when it does not parse."""
    if is_empty(value):
        return None
    if field.kind == "date":
        return _as_date(value)
    if field.kind in ("int", "decimal", "percent", "year"):
        return _as_decimal(value)
    return None


# --- the rules -----------------------------------------------------------------------------


def _format_error(field: Field, value: Any, label: str, today: dt.date) -> str | None:
    kind = field.kind
    names = {"label": label}
    if kind == "int":
        number = _as_int(value)
        if number is None:
            return _("「%(label)s」应为整数") % names
        if number < 0:
            return _("「%(label)s」不能为负数") % names
        return _too_large(field, number, names)
    elif kind in ("decimal", "percent"):
        number = as_plain_decimal(value)
        if number is None:
            return _("「%(label)s」应为数字，例如 1234.56") % names
        if number < 0:
            return _("「%(label)s」不能为负数") % names
        if kind == "percent" and number > 100:
            return _("「%(label)s」应在 0 到 100 之间") % names
        if -number.as_tuple().exponent > DECIMAL_PLACES:
            return _("「%(label)s」最多保留 %(places)d 位小数") % {
                **names,
                "places": DECIMAL_PLACES,
            }
        return _too_large(field, number, names)
    elif kind == "date":
        day = _as_date(value)
        if day is None:
            return _("「%(label)s」应为有效日期，例如 2017-06-30") % names
        if day > today:
            return _("「%(label)s」不能晚于今天") % names
    elif kind == "year":
        year = _as_int(value)
        if year is None or not FIRST_YEAR <= year <= today.year:
            return _("「%(label)s」应为 %(first)d 到 %(last)d 之间的年份") % {
                **names,
                "first": FIRST_YEAR,
                "last": today.year,
            }
    elif kind == "phone":
        text = re.sub(r"[\s()（）]", "", str(value))
        if not (LANDLINE_RE.match(text) or MOBILE_RE.match(text)):
            return _("「%(label)s」不是有效的电话号码，例如 020-83341934 或 13800138000") % names
    elif kind == "mobile":
        if not MOBILE_RE.match(re.sub(r"\s", "", str(value))):
            return _("「%(label)s」不是有效的手机号码，例如 13800138000") % names
    elif kind == "postcode":
        if not is_postcode(str(value)):
            return _("「%(label)s」应为6位数字") % names
    elif kind == "email":
        try:
            validate_email(str(value).strip())
        except ValidationError:
            return _("「%(label)s」不是有效的电子邮箱地址") % names
    elif kind in ("choice", "yesno"):
        allowed = {v for v, _label in field.choices}
        is_list = isinstance(value, list | tuple)
        values = list(value) if is_list else [value]
        if is_list != field.multiple or any(
            not isinstance(v, str) or v not in allowed for v in values
        ):
            return _("「%(label)s」的选项无效") % names
    limit = field.text_limit
    if limit and isinstance(value, str) and len(value.strip()) > limit:
        return _("「%(label)s」不能超过 %(max)d 个字") % {**names, "max": limit}
    return None


def _too_large(field: Field, number, names: dict) -> str | None:
    bound = field.upper_bound
    if bound is None or number <= bound:
        return None
    return _("「%(label)s」不能超过 %(max)d%(unit)s，请核对数字和单位") % {
        **names,
        "max": bound,
        "unit": field.unit,
    }


def is_year_list(text: str, *, today: dt.date) -> bool:
    """Whether 获得年份 holds only years (1949 – this year), e.g. "2015、2016" or "2015年"."""
    normalised = unicodedata.normalize("NFKC", str(text)).strip()
    parts = [part.removesuffix("年") for part in YEAR_LIST_SPLIT.split(normalised) if part]
    return bool(parts) and all(
        part.isascii() and part.isdigit() and FIRST_YEAR <= int(part) <= today.year
        for part in parts
    )


def _rule_error(
    field: Field, value: Any, label: str, data: dict, organisation_name: str, today: dt.date
) -> str | None:
    if field.check == "years" and not is_year_list(value, today=today):
        return _("「%(label)s」应填写年份，多个年份用“、”分隔，例如 2015、2016") % {"label": label}
    if field.check == "single_model" and is_product_series(str(value)):
        return _("「%(label)s」：产品必须填写型号、规格，填写系列产品推荐无效") % {"label": label}
    if field.check == "specific_service" and is_service_body_name(
        str(value),
        service_body=str(data.get("service_body") or ""),
        organisation_name=organisation_name,
    ):
        return _(
            "「%(label)s」：申报服务应填写企业的专项服务名称（不是企业的服务机构），"
            "例如“家电上门维修服务”，而不是“售后服务中心”"
        ) % {"label": label}
    return None


def _order_error(spec: FormSpec, field: Field, data: dict, data_year) -> str | None:
    for other_key, worse in ((field.at_most, "gt"), (field.at_least, "lt")):
        if not other_key:
            continue
        other = spec.field(other_key)
        mine, theirs = (
            comparable(field, data.get(field.key)),
            comparable(other, data.get(other_key)),
        )
        if mine is None or theirs is None:
            continue
        names = {"label": field.display_label(data_year), "other": other.display_label(data_year)}
        if worse == "gt" and mine > theirs:
            if field.kind == "date":
                return _("「%(label)s」不能晚于「%(other)s」") % names
            return _("「%(label)s」不能大于「%(other)s」") % names
        if worse == "lt" and mine < theirs:
            if field.kind == "date":
                return _("「%(label)s」不能早于「%(other)s」") % names
            return _("「%(label)s」不能小于「%(other)s」") % names
    return None


def validate_form(
    spec: FormSpec,
    data: dict,
    *,
    chosen_trades,
    reasons: dict[str, str],
    organisation_name: str = "",
    for_submission: bool,
    data_year: int | None = None,
    today: dt.date | None = None,
) -> dict[str, str]:
    """Field key (or ``"__all__"``) → the first problem with it, in Chinese.

    Format rules apply to whatever is filled, draft or not: numbers are not negative,
    percentages lie in 0–100, dates are real and not in the future, years lie in 1949 – this
    year, phones/mobiles/postcodes/e-mails look right, choices come from the measures' list,
    固定资产净值 ≤ 原值, 验收日期 ≥ 竣工日期, a product model is not a series, a service is not
    its service body. A submission adds the completeness rules described in the module doc.
    """
    data = data or {}
    reasons = reasons or {}
    today = today or timezone.localdate()
    trades = active_trades(spec, chosen_trades)
    errors: dict[str, str] = {}

    if for_submission and spec.has_trade_sections and not trades:
        errors["__all__"] = _("请根据本行业特点，至少选择一类栏目填写：%(titles)s") % {
            "titles": join_words(s.title for s in spec.trade_sections)
        }

    for field in all_fields(spec, trades):
        label = field.display_label(data_year)
        value = data.get(field.key)
        if is_empty(value):
            if not for_submission or not _asks_for(field, data):
                continue
            if field.required_if:
                other = spec.field(field.required_if[0])
                errors[field.key] = _("「%(other)s」选择“%(choice)s”时，请填写「%(label)s」") % {
                    "other": other.display_label(data_year),
                    "choice": dict(other.choices).get(field.required_if[1], field.required_if[1]),
                    "label": label,
                }
            elif field.required_always:
                errors[field.key] = _("「%(label)s」必须填写") % {"label": label}
            elif not _has_reason(reasons, field.key):
                errors[field.key] = _("请填写「%(label)s」，或说明不填原因") % {"label": label}
            continue
        message = (
            _format_error(field, value, label, today)
            or _rule_error(field, value, label, data, organisation_name, today)
            or _order_error(spec, field, data, data_year)
        )
        if message:
            errors[field.key] = message
    return errors
