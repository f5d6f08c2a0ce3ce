"""Turn a finished run's stored result into what the report page and the PDF show.

Pure data: tables with pass/fail against the usual thresholds (statistics.py), what to act on
(importance.py), the story for a general reader (surveys/story.py), and chart descriptions
that the page draws with ECharts (chart_data.py) and the PDF as SVG (surveys/charts.py).
A run computed before a statistic existed lacks its key: that part is None or empty and the
templates say "重新计算后可见".
"""

from dataclasses import dataclass, field

from manyi.surveys import story
from manyi.surveys.models import MeasurementRun
from manyi.surveys.report import importance, statistics
from manyi.surveys.report.chart_data import chart_data
from manyi.surveys.report.common import (
    QUADRANTS,
    RECOMPUTE,
    THRESHOLDS,
    adverse_lvs,
    binary_lvs,
    labels_for,
)
from manyi.surveys.report.layout import layered_layout, skips_a_column

__all__ = [
    "QUADRANTS",
    "RECOMPUTE",
    "THRESHOLDS",
    "Report",
    "build_report",
    "chart_data",
    "layered_layout",
    "skips_a_column",
]


@dataclass
class Report:
    run: MeasurementRun
    target: str
    lvs: list[dict]
    paths: list[dict]
    indirect: list[dict]
    total: list[dict]
    indicators: list[dict]
    inner_vif: list[dict]
    predict: dict | None
    srmr: dict | None
    cross_loadings: list[dict]
    htmt: list[dict]
    fornell_larcker: list[dict]
    ipma: dict | None
    impact: dict | None
    groups: list[dict]
    groups_have_intervals: bool
    complaints: dict | None
    sample: dict
    n: int
    iterations: int
    bootstrap: dict | None
    layout: dict[str, tuple[float, float]]
    has_vif: bool
    has_f2: bool
    boot_has_t: bool
    trend: dict | None = None
    benchmarks: dict | None = None
    summary: list[str] = field(default_factory=list)

    @property
    def all_reliable(self) -> bool:
        return all(lv["passes"] for lv in self.lvs)

    @property
    def boot_has_effects(self) -> bool:
        return bool(self.bootstrap) and "total" in self.bootstrap

    @property
    def index_lvs(self) -> list[dict]:
        """Constructs shown as 0–100 index bars: not the yes/no ones (a rate is no score)."""
        return [lv for lv in self.lvs if not lv["binary"]]

    @property
    def rate_lvs(self) -> list[dict]:
        return [lv for lv in self.lvs if lv["binary"]]

    @property
    def htmt_columns(self) -> list[str]:
        return [lv["label"] for lv in self.lvs[:-1]]

    @property
    def lv_labels(self) -> list[str]:
        return [lv["label"] for lv in self.lvs]

    def group_tables(self, width: int = 4) -> list[dict]:
        """The group comparison split into tables of at most ``width`` constructs, so that
        a printed page never squeezes its headers."""
        tables = []
        for start in range(0, len(self.lvs), width):
            tables.append(
                {
                    "lvs": self.lvs[start : start + width],
                    "rows": [
                        {**row, "cells": row["cells"][start : start + width]} for row in self.groups
                    ],
                }
            )
        return tables

    @property
    def print_group_tables(self) -> list[dict]:
        return self.group_tables(4)


def _target(spec: dict, result: dict) -> str:
    blocks = spec["blocks"]
    named = (result.get("ipma") or {}).get("target")
    if named in blocks:
        return named
    return "SAT" if "SAT" in blocks else list(blocks)[-1]


def build_report(run: MeasurementRun, *, user=None) -> Report:
    """Everything the report shows. With ``user``, the trend over earlier runs that user may
    read is added; the benchmarks are aggregates, withheld when ``user`` could work one
    measurement it may not read out of them."""
    result = run.result or {}
    boot = run.bootstrap_result
    spec = result.get("model") or run.model_spec
    labels = labels_for(run)
    binary = binary_lvs(spec, result)
    lvs = statistics.construct_rows(
        spec, result, boot, labels, set(binary), adverse_lvs(spec, result)
    )
    paths = statistics.path_rows(result, boot, labels)
    groups, with_intervals = importance.group_rows(result, lvs)
    report = Report(
        run=run,
        target=_target(spec, result),
        lvs=lvs,
        paths=paths,
        indirect=statistics.effect_rows(result, boot, labels, "indirect"),
        total=statistics.effect_rows(result, boot, labels, "total"),
        indicators=statistics.indicator_rows(spec, result, boot, labels),
        inner_vif=statistics.inner_vif_rows(result, labels),
        predict=statistics.predict_rows(result, labels),
        srmr=statistics.srmr_summary(result),
        cross_loadings=statistics.cross_loading_rows(spec, result, labels),
        htmt=statistics.htmt_matrix(spec, result, boot, labels),
        fornell_larcker=statistics.fornell_larcker_matrix(spec, result, labels),
        ipma=importance.ipma_tables(result, labels),
        impact=importance.impact_table(spec, result, labels),
        groups=groups,
        groups_have_intervals=with_intervals,
        complaints=story.complaints(result, labels),
        sample=story.sample_description(run, result),
        n=result.get("n", 0),
        iterations=result.get("iterations", 0),
        bootstrap=boot,
        layout=layered_layout(list(spec["blocks"]), [(p["from"], p["to"]) for p in paths]),
        has_vif=bool(result.get("vif")),
        has_f2=bool(result.get("f2")),
        boot_has_t=bool(boot) and any("t" in entry for entry in (boot.get("paths") or {}).values()),
    )
    report.trend = story.trend(run, user, lvs, report.target)
    report.benchmarks = story.benchmarks(run, report.target, user=user)
    report.summary = story.summary(report)
    return report
