"""The report's story for a reader who is not a statistician (ACSI's way of publishing):
the sample in one sentence, the complaint rate, the trend over earlier measurements of the
same scope, the industry's benchmarks, and a summary in plain words that opens the report.

Reads only: earlier runs through `selectors.runs(user)` (what the reader may see anyway);
benchmarks as aggregates of the programme's runs, never a name and never an enterprise's
own (private or shared) data.
"""

import datetime as dt
import math

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from manyi.common.punctuation import full_stop, join_words, local_date, semicolon
from manyi.surveys import selectors
from manyi.surveys.models import MeasurementRun, RunStatus, Visibility
from manyi.surveys.report.common import finite, interval
from manyi.surveys.sample import sample_description as stored_sample

# Benchmarks need this many measurements of the industry, so that no single one can be read
# back from the average and the best.
MIN_PEERS = 3
TREND_POINTS = 10


def one(value) -> str:
    """A number as the tables print it (one decimal, rounded half up)."""
    return floatformat(value, 1) if finite(value) else "—"


def sample_description(run, result: dict) -> dict:
    """n, file rows, channel, period, contacted and response rate, strata, group sizes: from
    the run's stored "sample" (from the data set's fields), else (a run computed before the
    sample was stored) from the data set itself, described the way a run stores it."""
    stored = result.get("sample")
    if not stored:
        stored = stored_sample(
            run.dataset, n=result.get("n"), n_rows=result.get("n_rows", run.dataset.n_rows)
        )
    period = list(stored.get("period") or [None, None])
    return {
        "n": stored.get("n", result.get("n")),
        "n_rows": stored.get("n_rows"),
        "channel": stored.get("channel") or "",
        "period": [v or None for v in period],
        "contacted": stored.get("contacted"),
        "response_rate": stored.get("response_rate"),
        "strata": stored.get("strata") or "",
        "groups": stored.get("groups") or result.get("group_n") or {},
    }


def iso_date(iso: str | None) -> str:
    """A stored ISO date ("2026-03-01") as the active language writes dates ("" for none)."""
    if not iso:
        return ""
    try:
        return local_date(dt.date.fromisoformat(iso[:10]))
    except ValueError:
        return iso


def sample_sentence(sample: dict) -> str:
    """The sample in one sentence, for the summary."""
    n = sample.get("n") or 0
    parts = [ngettext("有效样本 %(n)s 份", "有效样本 %(n)s 份", n) % {"n": n}]
    if sample.get("channel"):
        parts.append(_("调查方式为%(channel)s") % {"channel": sample["channel"]})
    start, end = (iso_date(v) for v in (sample.get("period") or [None, None])[:2])
    if start and end:
        parts.append(_("调查时间 %(start)s 至 %(end)s") % {"start": start, "end": end})
    elif start or end:
        parts.append(_("调查时间 %(date)s") % {"date": start or end})
    if sample.get("contacted"):
        parts.append(_("共联系 %(n)s 人") % {"n": sample["contacted"]})
    if finite(sample.get("response_rate")):
        parts.append(_("应答率 %(rate)s%%") % {"rate": one(sample["response_rate"] * 100)})
    if sample.get("strata"):
        parts.append(_("抽样分层：%(strata)s") % {"strata": sample["strata"]})
    if sample.get("groups"):
        parts.append(_("分 %(n)d 组比较") % {"n": len(sample["groups"])})
    return semicolon().join(parts) + full_stop()


def complaints(result: dict, labels: dict) -> dict | None:
    """The share of respondents who complained, in %, with its Wilson interval."""
    stored = result.get("complaints")
    if not stored or not finite(stored.get("rate")):
        return None
    name = stored.get("name") or ""
    bounds = stored.get("interval")
    return {
        "rate": stored["rate"],
        "interval": list(bounds) if bounds and all(finite(v) for v in bounds) else None,
        "answered": stored.get("answered"),
        "yes": stored.get("yes"),
        "source": stored.get("source"),
        "label": labels.get(name, name),
    }


def _key(dataset) -> tuple:
    """Order of measurements: the survey year, then the end of fieldwork, then the upload."""
    end = dataset["period_end"] or dataset["uploaded_at"].date()
    return (dataset["survey_year"], end.toordinal(), dataset["uploaded_at"].timestamp())


def _earlier_runs(run, user):
    """Done runs of the same model and scope that the reader may see, earlier than this one:
    a programme data set's scope is its scope, industry and organisation; an enterprise's own
    data set's scope is the enterprise."""
    dataset = run.dataset
    runs = selectors.runs(user).filter(status=RunStatus.DONE, model_name=run.model_name)
    if dataset.visibility == Visibility.PROGRAMME:
        runs = runs.filter(
            dataset__visibility=Visibility.PROGRAMME,
            dataset__scope=dataset.scope,
            dataset__industry=dataset.industry,
            dataset__organisation_id=dataset.organisation_id,
        )
    else:
        runs = runs.filter(dataset__organisation_id=dataset.organisation_id).exclude(
            dataset__visibility=Visibility.PROGRAMME
        )
    return runs.exclude(dataset_id=dataset.pk).order_by("-finished_at", "-pk")


def trend(run, user, lvs: list[dict], target: str) -> dict | None:
    """The indices of earlier measurements of the same scope, one per data set (its latest
    run), oldest first, ending with this run; None when there is no earlier one."""
    if user is None:
        return None
    dataset = run.dataset
    here = {
        "survey_year": dataset.survey_year,
        "period_end": dataset.period_end,
        "uploaded_at": dataset.uploaded_at,
    }
    rows = _earlier_runs(run, user).values(
        "pk",
        "dataset_id",
        "dataset__survey_year",
        "dataset__period_end",
        "dataset__uploaded_at",
        "dataset__visibility",
        "result__index",
        "bootstrap_result__index",
    )[:200]
    latest: dict[int, dict] = {}
    for row in rows:
        key = {
            "survey_year": row["dataset__survey_year"],
            "period_end": row["dataset__period_end"],
            "uploaded_at": row["dataset__uploaded_at"],
        }
        index = row["result__index"] or {}
        if row["dataset_id"] in latest or not finite(index.get(target)) or _key(key) >= _key(here):
            continue
        latest[row["dataset_id"]] = {"key": key, "row": row, "index": index}
    if not latest:
        return None
    earlier = sorted(latest.values(), key=lambda e: _key(e["key"]))[-(TREND_POINTS - 1) :]
    result = run.result or {}
    points = [
        _point(e["key"], e["index"], e["row"]["bootstrap_result__index"], target, dataset)
        for e in earlier
    ]
    points.append(
        _point(
            here,
            result.get("index") or {},
            (run.bootstrap_result or {}).get("index"),
            target,
            dataset,
            current=True,
        )
    )
    previous, current = points[-2], points[-1]
    if not finite(current["target"]):
        # This run has no index of the target (undefined for its data): nothing to compare.
        return None
    change = current["target"] - previous["target"]
    ses = (previous["se"], current["se"])
    significant = None
    if all(finite(se) for se in ses):
        # Two independent samples: the difference's SE from the two bootstrap SEs.
        significant = abs(change) > 1.96 * math.sqrt(ses[0] ** 2 + ses[1] ** 2)
    return {
        "target": target,
        "points": points,
        "columns": [{"name": lv["name"], "label": lv["label"]} for lv in lvs],
        "change": change,
        "significant": significant,
        "previous_label": previous["label"],
    }


def _point(key, index, boot_index, target, dataset, *, current=False) -> dict:
    entry = (boot_index or {}).get(target)
    own = dataset.visibility != Visibility.PROGRAMME
    label = str(key["survey_year"])
    if own and key["period_end"]:
        # An enterprise measures when it likes: more than once a year is usual.
        label = local_date(key["period_end"])
    return {
        "label": label,
        "target": index.get(target),
        "interval": interval(entry),
        "se": (entry or {}).get("se"),
        "index": index,
        "current": current,
    }


def benchmarks(run, target: str, user=None) -> dict | None:
    """The industry's average and best index of ``target`` in the same year and model, over
    the programme's done runs (one per data set); None below MIN_PEERS measurements, and None
    when ``user`` could work one measurement it may not read out of the figures (see
    `_reveals_one`). Without ``user`` the reader is taken to see none of them."""
    dataset = run.dataset
    if not dataset.industry:
        return None
    rows = (
        MeasurementRun.objects.filter(
            status=RunStatus.DONE,
            model_name=run.model_name,
            dataset__visibility=Visibility.PROGRAMME,
            dataset__industry=dataset.industry,
            dataset__survey_year=dataset.survey_year,
        )
        .order_by("dataset_id", "-finished_at", "-pk")
        .values_list("dataset_id", "result__index")
    )
    values: dict[int, float] = {}
    for dataset_id, index in rows:
        value = (index or {}).get(target)
        if dataset_id not in values and finite(value):
            values[dataset_id] = value
    if len(values) < MIN_PEERS or _reveals_one(values, user):
        return None
    numbers = list(values.values())
    return {
        "count": len(numbers),
        "mean": sum(numbers) / len(numbers),
        "best": max(numbers),
        "industry": dataset.industry,
        "year": dataset.survey_year,
    }


def _reveals_one(values: dict[int, float], user) -> bool:
    """Whether the average and the best give away one measurement the reader may not read.

    The reader knows the sum (count × average), the best, and the measurements it may read
    (an agency its own): when exactly one measurement is left beside those, the sum tells
    its index. Programme staff read them all anyway."""
    seen = set()
    if user is not None:
        seen = set(
            selectors.datasets(user).filter(pk__in=list(values)).values_list("pk", flat=True)
        )
    best = max(values, key=values.get)
    unseen = [pk for pk in values if pk not in seen and pk != best]
    return len(unseen) == 1


def summary(report) -> list[str]:
    """The report's opening in plain words: the index, what moved, what to improve first, the
    complaint rate, the sample. The first line is the headline."""
    target = next((lv for lv in report.lvs if lv["name"] == report.target), None)
    lines = []
    if target is not None and finite(target["index"]):
        if target["interval"]:
            lines.append(
                _("%(label)s为 %(index)s 分（满分 100；95%% 置信区间 %(lo)s–%(hi)s）。")
                % {
                    "label": target["label"],
                    "index": one(target["index"]),
                    "lo": one(target["interval"][0]),
                    "hi": one(target["interval"][1]),
                }
            )
        else:
            lines.append(
                _("%(label)s为 %(index)s 分（满分 100）。")
                % {"label": target["label"], "index": one(target["index"])}
            )
    lines.append(_movement(report))
    lines.extend(_drivers(report))
    if report.complaints:
        c = report.complaints
        text = _("%(rate)s%% 的受访者表示投诉过") % {"rate": one(c["rate"])}
        if c["interval"]:
            text += _("（95%% 置信区间 %(lo)s%%–%(hi)s%%）") % {
                "lo": one(c["interval"][0]),
                "hi": one(c["interval"][1]),
            }
        lines.append(text + full_stop())
    if report.benchmarks:
        b = report.benchmarks
        lines.append(
            _("同行业同年度 %(n)d 项测评的平均值为 %(mean)s，最高为 %(best)s。")
            % {"n": b["count"], "mean": one(b["mean"]), "best": one(b["best"])}
        )
    lines.append(sample_sentence(report.sample))
    return [line for line in lines if line]


def _movement(report) -> str:
    trend_ = report.trend
    if not trend_:
        return _("尚无同一范围的往期测评可供比较。")
    change = trend_["change"]
    if abs(change) < 0.05:
        text = _("与上次（%(when)s）持平") % {"when": trend_["previous_label"]}
    elif change > 0:
        text = _("与上次（%(when)s）相比上升 %(diff)s 分") % {
            "when": trend_["previous_label"],
            "diff": one(change),
        }
    else:
        text = _("与上次（%(when)s）相比下降 %(diff)s 分") % {
            "when": trend_["previous_label"],
            "diff": one(-change),
        }
    if trend_["significant"] is True:
        text += _("，变化在统计上显著")
    elif trend_["significant"] is False:
        text += _("，变化在抽样误差范围内")
    return text + full_stop()


def _drivers(report) -> list[str]:
    from manyi.surveys.report.importance import priorities

    first = priorities(report.ipma)
    if not first:
        return [] if report.ipma else [_("改进重点：重新计算后可见。")]
    lines = [_("优先改进：%(names)s。") % {"names": join_words(r["label"] for r in first)}]
    impact = report.impact
    target = report.ipma["target"]
    if impact:
        column = next((i for i, t in enumerate(impact["targets"]) if t["name"] == target), None)
        gains = (
            {row["name"]: row["values"][column] for row in impact["rows"]}
            if column is not None
            else {}
        )
        for row in first:
            if finite(gains.get(row["name"])):
                lines.append(
                    _("%(driver)s每提高 %(points)s 分，%(target)s预计提高 %(gain)s 分。")
                    % {
                        "driver": row["label"],
                        "points": impact["points"],
                        "target": report.ipma["target_label"],
                        "gain": floatformat(gains[row["name"]], 2),
                    }
                )
    return lines
