"""The sample design of one applicant's survey (pure: no database).

How many completed questionnaires estimate the applicant's 0–100 satisfaction index within
±E points at confidence c, how many customers to draw for them, how many to hold in reserve,
and how to share a number out over strata (region, customer type) in proportion.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import NormalDist

from django.utils import translation
from django.utils.translation import gettext as _

from manyi.accounts.roles import District

# The standard deviation of one respondent's 0–100 index. Published CSI studies (ACSI, ECSI
# and the Chinese national index) report individual-level deviations of roughly 15–20
# points; 18 is a typical value. It is an assumption, not a measurement: a setting to revisit
# once this programme's own surveys give the real spread.
ASSUMED_SD = 18.0

DEFAULT_MARGIN = 3
DEFAULT_CONFIDENCE = 0.95
DEFAULT_RESPONSE_RATE = 0.5
DEFAULT_RESERVE_SHARE = 0.2

# Floating-point slack so that 43.0000000001 completes are 43, not 44.
_EPSILON = 1e-9


@dataclass(frozen=True)
class Design:
    population: int  # N: customers on the list
    z: float
    n0: float  # completes for an infinite population
    completes: int  # n after the finite-population correction (the target)
    drawn: int  # contacts put into the field
    reserve: int  # contacts held back for replacements


def z_value(confidence: float) -> float:
    """The two-sided normal quantile: 0.95 → 1.96 (statistics.NormalDist, no scipy needed)."""
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def sample_design(
    *,
    population: int,
    margin: float = DEFAULT_MARGIN,
    confidence: float = DEFAULT_CONFIDENCE,
    expected_response_rate: float = DEFAULT_RESPONSE_RATE,
    reserve_share: float = DEFAULT_RESERVE_SHARE,
    available: int | None = None,
    sd: float = ASSUMED_SD,
) -> Design:
    """n0 = (z·σ/E)², n = n0 / (1 + (n0 − 1)/N), drawn = ⌈n / response rate⌉ capped at what
    may be drawn, reserve = ⌈drawn × reserve share⌉ capped at what is left.

    ``available`` is how many customers may actually be drawn (the list less the phones
    another applicant's survey already took); it defaults to the whole list.
    """
    margin, confidence = float(margin), float(confidence)
    rate, share = float(expected_response_rate), float(reserve_share)
    available = population if available is None else min(available, population)
    z = z_value(confidence)
    n0 = (z * sd / margin) ** 2
    if population <= 0:
        return Design(population, z, n0, 0, 0, 0)
    n = n0 / (1 + (n0 - 1) / population)
    completes = min(population, math.ceil(n - _EPSILON))
    drawn = min(available, math.ceil(completes / rate - _EPSILON))
    reserve = min(available - drawn, math.ceil(drawn * share - _EPSILON))
    return Design(population, z, n0, completes, drawn, max(reserve, 0))


# --------------------------------------------------------------------------------------------
# Allocation


def largest_remainder(total: int, weights: Mapping[str, int]) -> dict[str, int]:
    """Share ``total`` in proportion to ``weights`` (Hamilton's method): each key gets the
    whole part of its quota, then the largest fractional parts one more each. Ties go to the
    larger weight, then to the key first in sort order, so the result never depends on chance.
    """
    weight_sum = sum(weights.values())
    if total <= 0 or weight_sum <= 0:
        return dict.fromkeys(weights, 0)
    quotas = {key: total * w / weight_sum for key, w in weights.items()}
    shares = {key: int(q + _EPSILON) for key, q in quotas.items()}
    left = total - sum(shares.values())
    by_remainder = sorted(weights, key=lambda k: (-(quotas[k] - shares[k]), -weights[k], k))
    for key in by_remainder[:left]:
        shares[key] += 1
    return shares


def allocate(
    total: int, sizes: Mapping[str, int], *, capacity: Mapping[str, int] | None = None
) -> dict[str, int]:
    """Proportional allocation of ``total`` to strata of the given ``sizes``, no stratum past
    its ``capacity`` (default: its size); what a full stratum cannot take goes to the others
    in proportion. Every stratum with rows gets at least one when ``total`` allows it.
    """
    capacity = dict(sizes if capacity is None else capacity)
    total = min(total, sum(capacity.values()))
    shares = dict.fromkeys(sizes, 0)
    open_ = {k: sizes[k] for k in sizes if capacity[k] > 0 and sizes[k] > 0}
    left = total
    while left > 0 and open_:
        round_ = largest_remainder(left, open_)
        for key, share in round_.items():
            take = min(share, capacity[key] - shares[key])
            shares[key] += take
            left -= take
        open_ = {k: w for k, w in open_.items() if shares[k] < capacity[k]}
    _at_least_one(shares, sizes, capacity)
    return shares


def _at_least_one(shares: dict[str, int], sizes: Mapping[str, int], capacity) -> None:
    """Give each empty-handed stratum one, taken from the stratum furthest over its quota."""
    strata = [k for k in sizes if sizes[k] > 0 and capacity[k] > 0]
    total = sum(shares.values())
    if total < len(strata):
        return
    weight_sum = sum(sizes[k] for k in strata)
    for key in sorted(k for k in strata if shares[k] == 0):
        donors = [k for k in strata if shares[k] > 1]
        donor = max(donors, key=lambda k: (shares[k] - total * sizes[k] / weight_sum, k))
        shares[donor] -= 1
        shares[key] += 1


# --------------------------------------------------------------------------------------------
# Strata of a customer row

REGION = "region"
CUSTOMER_TYPE = "customer_type"
STRATA = (REGION, CUSTOMER_TYPE)
OTHER_REGION = "other"
ORGANISATION = "organisation"
PERSON = "person"
# Between the parts of a stratum code: "tianhe|organisation".
SEPARATOR = "|"

# Words and characters that make a name read as a company, a public body or a shop.
ORGANISATION_WORDS = (
    "公司", "集团", "单位", "学校", "大学", "银行", "中心", "政府", "幼儿园", "商行", "超市",
    "物业", "工作室",
)  # fmt: skip
ORGANISATION_CHARS = "厂局店所院会部社站馆处场队"
_ORGANISATION = re.compile(
    f"[{ORGANISATION_CHARS}]|" + "|".join(map(re.escape, ORGANISATION_WORDS))
)


@functools.cache
def _districts() -> dict[str, str]:
    # The district names as written in the source (Chinese), whatever language is active;
    # built on first use, when translation is set up. Each is two characters and "区".
    with translation.override(None):
        return {str(label): value for value, label in District.choices}


def region_of(address: str) -> str:
    """The Guangzhou district named first in the address ("tianhe"), else "other".

    Looks at the two characters before each "区" (str.find is faster than a regex of the
    eleven names, and this runs once per row of a list of up to 200,000).
    """
    districts = _districts()
    address = address or ""
    at = address.find("区", 2)
    while at >= 0:
        found = districts.get(address[at - 2 : at + 1])
        if found:
            return found
        at = address.find("区", at + 1)
    return OTHER_REGION


def customer_type_of(name: str) -> str:
    """ "organisation" when the name reads as a company or a public body, else "person"."""
    return ORGANISATION if _ORGANISATION.search(name or "") else PERSON


def stratum_of(strata: tuple[str, ...] | list[str], *, name: str, address: str) -> str:
    """The row's stratum code for the chosen variables, in STRATA order ("" for none)."""
    return strata_codes(strata, [name], [address])[0]


def strata_codes(strata, names: list[str], addresses: list[str]) -> list[str]:
    """The stratum code of each row (names and addresses in list order)."""
    columns = []
    if REGION in strata:
        columns.append(list(map(region_of, addresses)))
    if CUSTOMER_TYPE in strata:
        columns.append(list(map(customer_type_of, names)))
    if not columns:
        return [""] * len(names)
    if len(columns) == 1:
        return columns[0]
    return [f"{a}{SEPARATOR}{b}" for a, b in zip(*columns, strict=True)]


def strata_labels() -> dict[str, str]:
    return {REGION: _("区域"), CUSTOMER_TYPE: _("用户类型")}


def stratum_label(code: str) -> str:
    """ "tianhe|organisation" → "天河区 · 单位用户" in the active language; "" → "全部"."""
    if not code:
        return _("全部")
    words = {
        OTHER_REGION: _("其他地区"),
        ORGANISATION: _("单位用户"),
        PERSON: _("个人用户"),
        **{value: str(label) for value, label in District.choices},
    }
    return " · ".join(words.get(part, part) for part in code.split(SEPARATOR))
