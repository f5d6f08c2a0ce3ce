"""The statistics tables an analyst checks (Hair et al. 2022's reporting order): constructs,
paths and effects with bootstrap t and p, loadings and weights, collinearity, f², Q²predict,
SRMR, cross-loadings, HTMT and Fornell–Larcker as matrices.

Every function takes the stored JSON and returns rows of plain values; a key an older run
lacks gives empty rows, which the templates show as "重新计算后可见".
"""

from manyi.surveys.report.common import (
    THRESHOLDS,
    at_least,
    boot_stats,
    f2_word,
    finite,
    vif_level,
)


def construct_rows(spec, result, boot, labels, binary, adverse) -> list[dict]:
    reliability = result.get("reliability", {})
    rows = []
    for lv, items in spec["blocks"].items():
        rel = reliability.get(lv, {})
        checks = {
            key: at_least(rel.get(key), THRESHOLDS[key])
            for key in ("alpha", "rho_c", "rho_a", "ave")
        }
        single = len(items) == 1
        rows.append(
            {
                "name": lv,
                "label": labels.get(lv, lv),
                "index": result.get("index", {}).get(lv),
                "interval": boot_stats((boot or {}).get("index"), lv)["interval"],
                "r2": result.get("r2", {}).get(lv),
                "r2_adj": result.get("r2_adj", {}).get(lv),
                **{k: rel.get(k) for k in ("alpha", "rho_c", "rho_a", "ave")},
                "checks": checks,
                "single": single,
                "passes": single or all(v is not False for v in checks.values()),
                # A yes/no construct's "index" is the percentage answering yes, not a score.
                "binary": lv in binary,
                "adverse": lv in adverse,
            }
        )
    return rows


def path_rows(result, boot, labels) -> list[dict]:
    f2 = result.get("f2") or {}
    rows = []
    for key, coef in result.get("paths", {}).items():
        a, b = key.split("->")
        rows.append(
            {
                "key": key,
                "from": a,
                "to": b,
                "from_label": labels.get(a, a),
                "to_label": labels.get(b, b),
                "coef": coef,
                **boot_stats((boot or {}).get("paths"), key),
                "f2": f2.get(key),
                "f2_word": f2_word(f2.get(key)),
            }
        )
    return rows


def effect_rows(result, boot, labels, kind: str) -> list[dict]:
    """Indirect or total effects ("indirect" / "total"), each with its own bootstrap interval;
    pairs whose effect is zero (no route between them) are left out."""
    rows = []
    for key, effect in result.get("effects", {}).items():
        value = effect.get(kind)
        if not finite(value) or value == 0:
            continue
        a, b = key.split("->")
        rows.append(
            {
                "key": key,
                "from_label": labels.get(a, a),
                "to_label": labels.get(b, b),
                "value": value,
                **boot_stats((boot or {}).get(kind), key),
            }
        )
    return rows


def indicator_rows(spec, result, boot, labels) -> list[dict]:
    outer_vif = (result.get("vif") or {}).get("outer") or {}
    binary = set(result.get("binary") or spec.get("binary") or [])
    rows = []
    for lv, items in spec["blocks"].items():
        for item in items:
            loading = result.get("loadings", {}).get(item)
            rows.append(
                {
                    "name": item,
                    "label": labels.get(item, item),
                    "lv": lv,
                    "lv_label": labels.get(lv, lv),
                    "mean": result.get("item_means", {}).get(item),
                    "missing": result.get("missing", {}).get("share", {}).get(item),
                    "binary": item in binary,
                    "loading": loading,
                    "loading_ok": at_least(loading, THRESHOLDS["loading"]),
                    "loading_stats": boot_stats((boot or {}).get("loadings"), item),
                    "weight": result.get("weights", {}).get(item),
                    "weight_stats": boot_stats((boot or {}).get("weights"), item),
                    "vif": outer_vif.get(item),
                    "vif_level": vif_level(outer_vif.get(item)),
                }
            )
    return rows


def inner_vif_rows(result, labels) -> list[dict]:
    inner = (result.get("vif") or {}).get("inner") or {}
    rows = []
    for to, predecessors in inner.items():
        for frm, value in (predecessors or {}).items():
            # null: the only predictor of its construct, so nothing to be collinear with.
            shown = 1.0 if value is None else value
            rows.append(
                {
                    "from_label": labels.get(frm, frm),
                    "to_label": labels.get(to, to),
                    "vif": shown,
                    "level": vif_level(shown),
                }
            )
    return rows


def predict_rows(result, labels) -> dict | None:
    predict = result.get("predict")
    if not predict:
        return None
    indicators = []
    for name, values in (predict.get("indicators") or {}).items():
        rmse, lm = values.get("rmse"), values.get("lm_rmse")
        indicators.append(
            {
                "name": name,
                "label": labels.get(name, name),
                **{k: values.get(k) for k in ("q2", "rmse", "mae", "lm_rmse")},
                # PLS predicts better than a linear model of the indicators (Shmueli et al. 2019).
                "beats_lm": None if not (finite(rmse) and finite(lm)) else rmse < lm,
                "q2_ok": at_least(values.get("q2"), 0.0000001),
            }
        )
    lvs = [
        {
            "label": labels.get(lv, lv),
            "q2": values.get("q2"),
            "q2_ok": at_least(values.get("q2"), 0.0000001),
        }
        for lv, values in (predict.get("lvs") or {}).items()
    ]
    return {"folds": predict.get("folds"), "indicators": indicators, "lvs": lvs}


def srmr_summary(result) -> dict | None:
    srmr = result.get("srmr")
    if not srmr:
        return None
    return {
        "saturated": srmr.get("saturated"),
        "estimated": srmr.get("estimated"),
        "saturated_ok": at_least(srmr.get("saturated"), THRESHOLDS["srmr"], below=True),
        "estimated_ok": at_least(srmr.get("estimated"), THRESHOLDS["srmr"], below=True),
    }


def cross_loading_rows(spec, result, labels) -> list[dict]:
    """Each indicator's correlation with every construct: its own loading should be the
    highest in its row."""
    cross = result.get("cross_loadings") or {}
    lv_names = list(spec["blocks"])
    rows = []
    for lv, items in spec["blocks"].items():
        for item in items:
            values = cross.get(item) or {}
            own = values.get(lv)
            cells = []
            for other in lv_names:
                value = values.get(other)
                cells.append(
                    {
                        "value": value,
                        "own": other == lv,
                        "flag": other != lv
                        and finite(value)
                        and finite(own)
                        and abs(value) > abs(own),
                    }
                )
            rows.append({"label": labels.get(item, item), "name": item, "cells": cells})
    return rows


def htmt_matrix(spec, result, boot, labels) -> list[dict]:
    """One lower-triangular matrix: the row's construct comes after the column's in the model
    order. Flagged when above 0.85 or when the interval reaches 1 (Henseler et al. 2015)."""
    values = result.get("htmt") or {}
    lv_names = list(spec["blocks"])
    rows = []
    for i, a in enumerate(lv_names[1:], start=1):
        cells = []
        for b in lv_names[:i]:
            value = (values.get(a) or {}).get(b)
            if value is None:
                value = (values.get(b) or {}).get(a)
            stats = boot_stats((boot or {}).get("htmt"), f"{a}|{b}")
            bounds = stats["interval"]
            cells.append(
                {
                    "value": value,
                    "interval": bounds,
                    "flag": bool(
                        (finite(value) and value > THRESHOLDS["htmt"])
                        or (bounds is not None and bounds[1] >= 1)
                    ),
                }
            )
        # Empty cells above the diagonal keep the table's grid whole.
        rows.append(
            {"label": labels.get(a, a), "cells": cells, "blanks": range(len(lv_names) - 1 - i)}
        )
    return rows


def fornell_larcker_matrix(spec, result, labels) -> list[dict]:
    """√AVE on the diagonal, construct correlations below it; a correlation larger than either
    construct's √AVE is flagged."""
    fl = result.get("fornell_larcker") or {}
    lv_names = list(spec["blocks"])
    diagonal = {lv: (fl.get(lv) or {}).get(lv) for lv in lv_names}
    rows = []
    for i, a in enumerate(lv_names):
        cells = []
        for b in lv_names[: i + 1]:
            value = (fl.get(a) or {}).get(b)
            flag = False
            if a != b and finite(value):
                roots = [diagonal[x] for x in (a, b) if finite(diagonal[x])]
                flag = any(abs(value) > root for root in roots)
            cells.append({"value": value, "diagonal": a == b, "flag": flag})
        rows.append(
            {"label": labels.get(a, a), "cells": cells, "blanks": range(len(lv_names) - 1 - i)}
        )
    return rows
