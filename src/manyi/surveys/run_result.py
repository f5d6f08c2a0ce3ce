"""What a run stores besides the engine's fit (contract B of issue 13): the importance–
performance map with the names of its points, the impact of 5 points, PLSpredict, the sample
description and the complaint rate, all from the data the fit used.

Called by `services.execute_run` (the worker); imports the engine, like the services.
"""

import logging

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from manyi import measurement
from manyi.common.punctuation import join_words
from manyi.surveys.datasets import numeric_matrix
from manyi.surveys.sample import any_yes, complaint_rate, sample_description
from manyi.surveys.words import run_labels

logger = logging.getLogger(__name__)

# PLSpredict: k-fold cross-validation with the run's seed (Shmueli et al. 2019 use 10 folds).
PREDICT_FOLDS = 10
# The ACSI "impact": the change of the target's index for 5 more points of a driver.
IMPACT_POINTS = 5
# The complaint construct of the presets that have one (acsi, ecsi7).
COMPLAINT_LV = "COMPLAINT"


def indicator_data(check, model, column_map: dict[str, str]) -> dict[str, list[float]]:
    """Each model indicator's values, read from the column mapped to it (else its namesake)."""
    columns = {ind: column_map.get(ind, ind) for ind in model.indicators}
    missing = sorted({c for c in columns.values() if c not in check.numeric})
    if missing:
        raise ValidationError(
            _("数据中缺少模型需要的变量：%(names)s") % {"names": join_words(missing)}
        )
    values = numeric_matrix(check, list(dict.fromkeys(columns.values())))
    return {ind: values[column] for ind, column in columns.items()}


def report_figures(run, *, model, result, data, check, groups) -> dict:
    """What the report tells besides the fit (contract B): importance–performance with the
    names of the points, the impact of 5 points, PLSpredict, the sample and the complaints."""
    story = {
        "importance_performance": measurement.importance_performance(result),
        "sample": sample_description(run.dataset, n=result.n, n_rows=result.n_rows, groups=groups),
    }
    # Stored in Chinese, like the data dictionary; the report names the points again in the
    # reader's language when it shows them.
    with translation.override("zh-hans"):
        labels = run_labels(run)
    # A model whose target has no driver (a custom two-construct model) has no map and no
    # impact, and too few rows for ten folds give no prediction: each costs its own section,
    # not the report.
    try:
        ipma = measurement.ipma(result)
        for entry in (*ipma["constructs"], *ipma["indicators"]):
            name = entry.get("indicator") or entry["lv"]
            entry["label"] = labels.get(name, name)
        story["ipma"] = ipma
        story["impact"] = measurement.impact(result, points=IMPACT_POINTS)
    except measurement.ModelError as exc:
        logger.info("run %s: no importance-performance map (%s)", run.pk, exc.code)
    try:
        story["predict"] = measurement.pls_predict(
            data,
            model,
            folds=PREDICT_FOLDS,
            seed=run.seed,
            **{k: run.options[k] for k in ("scheme", "scaling", "missing") if k in run.options},
        )
    except measurement.ModelError as exc:
        logger.info("run %s: no PLSpredict (%s)", run.pk, exc.code)
    complaints = _complaints(run, model, data, check)
    if complaints is not None:
        story["complaints"] = complaints
    return story


def _complaints(run, model, data, check) -> dict | None:
    """The complaint rate from the run's complaint column, else from a complaint construct
    whose items are all yes/no (a respondent who said yes to any of them complained)."""
    if run.complaint_column:
        values = numeric_matrix(check, [run.complaint_column])[run.complaint_column]
        return complaint_rate(values, source="column", name=run.complaint_column)
    if COMPLAINT_LV in model.blocks and COMPLAINT_LV in model.binary_lvs():
        items = [data[ind] for ind in model.blocks[COMPLAINT_LV]]
        return complaint_rate(any_yes(items), source="lv", name=COMPLAINT_LV)
    return None
