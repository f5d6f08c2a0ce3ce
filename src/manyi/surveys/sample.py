"""What a published report says about its sample, and the complaint rate (pure functions).

The complaint rate is a share of respondents who answered a yes/no question, with the
Wilson score interval (Wilson 1927; Brown, Cai & DasGupta 2001 recommend it over the normal
approximation for the small shares complaints usually are).
"""

import math
from collections import Counter

# The sample description a data set may carry (ResponseDataset fields), all optional.
SAMPLE_FIELDS = ("channel", "period_start", "period_end", "contacted", "strata")
# The 97.5% quantile of the standard normal distribution: a two-sided 95% interval.
Z95 = 1.959963984540054


def wilson_interval(yes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion yes/n, as fractions; None when n is 0."""
    if n <= 0:
        return None
    p = yes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def complaint_rate(answers, *, source: str, name: str) -> dict:
    """The share of yes among answered cells (1 = yes, 0 = no, NaN/None = not answered), in %."""
    answered = [a for a in answers if a is not None and not math.isnan(a)]
    yes = sum(1 for a in answered if a == 1)
    interval = wilson_interval(yes, len(answered))
    return {
        "source": source,
        "name": name,
        "answered": len(answered),
        "yes": yes,
        "rate": 100 * yes / len(answered) if answered else None,
        "interval": [100 * interval[0], 100 * interval[1]] if interval else None,
    }


def any_yes(columns: list[list[float]]) -> list[float]:
    """Per respondent over several yes/no items: 1 when any answered item is yes, 0 when every
    answered item is no, NaN when none was answered (a complaint LV with several items)."""
    out = []
    for cells in zip(*columns, strict=True):
        answered = [c for c in cells if not math.isnan(c)]
        out.append(float(any(c == 1 for c in answered)) if answered else math.nan)
    return out


def sample_description(dataset, *, n: int, n_rows: int, groups=None) -> dict:
    """The sample as a report states it: rows used and given, how and when it was collected,
    how many were contacted (and so the response rate), the strata, and the size of each
    group (`groups`: one label per row, blank for none)."""
    counts = Counter(g for g in groups or [] if g)
    return {
        "n": n,
        "n_rows": n_rows,
        "channel": dataset.channel,
        "period": [
            dataset.period_start.isoformat() if dataset.period_start else None,
            dataset.period_end.isoformat() if dataset.period_end else None,
        ],
        "contacted": dataset.contacted,
        "response_rate": n_rows / dataset.contacted if dataset.contacted else None,
        "strata": dataset.strata,
        "groups": dict(sorted(counts.items())),
    }
