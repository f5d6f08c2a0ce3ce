"""Getting survey data into one float64 matrix: column selection, missing values, CSV.

The engine needs the indicator columns as an ``n x p`` float64 array in model
order.  When the caller already hands over such an array it is used as is (no
copy); otherwise it is built once.  Missing values are NaN.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from .errors import ModelError
from .model import Model, validate_model

MISSING_METHODS = ("mean", "casewise")
#: CSV cells read as missing
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", ".", "-"})
#: smallest number of usable rows we estimate from
MIN_ROWS = 3


@dataclass
class Dataset:
    """Indicator data ready for estimation."""

    X: np.ndarray  # (n, p) float64, model indicator order, no NaN left
    indicators: list[str]
    n_rows: int  # rows handed in, before casewise deletion
    means: np.ndarray  # (p,) means of the observed values (what the index uses)
    missing_share: np.ndarray  # (p,) share of NaN per indicator among the n_rows
    missing_method: str
    kept: np.ndarray | None = None  # bool (n_rows,) rows kept by casewise deletion
    observed: np.ndarray | None = None  # bool (n, p) observed cells, only when imputed
    group_labels: list[str] = field(default_factory=list)
    group_codes: np.ndarray | None = None  # (n,) int, -1 = no group
    group_means: np.ndarray | None = None  # (G, p) observed-value means
    group_sizes: np.ndarray | None = None  # (G,) rows per group

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def has_missing(self) -> bool:
        return bool(self.missing_share.any())


def prepare_data(
    data: Any,
    model: Model,
    *,
    columns: Sequence[str] | None = None,
    missing: str = "mean",
    groups: Sequence[Any] | np.ndarray | None = None,
) -> Dataset:
    """Select, convert and clean the indicator columns of ``data`` for ``model``.

    ``data`` is a 2-D array (with ``columns`` naming its columns, or already in
    model indicator order), a mapping of column name -> 1-D array, or anything
    with ``.columns`` and ``.to_numpy()`` (a data frame).
    """
    if missing not in MISSING_METHODS:
        raise ModelError(
            "invalid_option", f"missing must be one of {MISSING_METHODS}, not {missing!r}"
        )
    X = _indicator_matrix(data, model, columns)
    n_rows, p = X.shape
    raw = X  # never written to: it may be the caller's array

    # One pass: column sums find NaN/inf (they propagate) and give the means.
    # ones @ X runs as a BLAS matrix-vector product, several times faster
    # than X.sum(axis=0) on a tall C-ordered array.
    sums = np.ones(n_rows) @ X
    nan_counts = np.zeros(p, dtype=np.int64)
    bad = ~np.isfinite(sums)
    for j in np.flatnonzero(bad):
        column = X[:, j]
        if np.isinf(column).any():
            raise ModelError(
                "invalid_data",
                f"indicator {model.indicators[j]!r} has an infinite value",
                indicator=model.indicators[j],
            )
        nan_counts[j] = np.count_nonzero(np.isnan(column))
    missing_share = nan_counts / max(n_rows, 1)
    _check_binary(X, model)

    codes, labels = _group_codes(groups, n_rows)
    kept = None
    observed = None
    if nan_counts.any():
        isnan = np.isnan(X)
        if missing == "casewise":
            kept = ~isnan.any(axis=1)
            X = X[kept]
            raw = X
            if codes is not None:
                codes = codes[kept]
            means = X.mean(axis=0) if X.shape[0] else np.full(p, np.nan)
        else:
            observed = ~isnan
            n_obs = observed.sum(axis=0)
            means = np.where(n_obs > 0, np.nansum(X, axis=0) / np.maximum(n_obs, 1), np.nan)
            X = X.copy()  # imputation must not touch the caller's array
            for j in np.flatnonzero(nan_counts):
                X[isnan[:, j], j] = means[j]
        del isnan
    else:
        means = sums / n_rows

    n = X.shape[0]
    if n < MIN_ROWS:
        raise ModelError(
            "too_few_observations",
            f"{n} usable observation(s); at least {MIN_ROWS} are needed",
            n=n,
        )
    never_seen = [model.indicators[j] for j in range(p) if nan_counts[j] == n_rows]
    if never_seen:
        raise ModelError(
            "constant_indicator",
            f"indicator(s) with no observed values: {', '.join(never_seen)}",
            indicators=never_seen,
        )
    ds = Dataset(
        X=X,
        indicators=list(model.indicators),
        n_rows=n_rows,
        means=np.asarray(means, dtype=np.float64),
        missing_share=missing_share,
        missing_method=missing,
        kept=kept,
        observed=observed,
    )
    if codes is not None:
        # group means use observed cells only, hence the pre-imputation array
        ds.group_codes = codes
        ds.group_labels = labels
        ds.group_means, ds.group_sizes = _group_means(raw, codes, len(labels))
    return ds


def _check_binary(X: np.ndarray, model: Model) -> None:
    """Refuse a yes/no indicator holding anything but 0, 1 or a missing value.

    A 1–10 answer in a yes/no column would silently become a "rate" above 100 %.
    """
    position = {mv: j for j, mv in enumerate(model.indicators)}
    offending, examples = [], []
    for mv in model.binary:
        column = X[:, position[mv]]
        bad = column[~np.isnan(column) & (column != 0) & (column != 1)]
        if bad.size:
            offending.append(mv)
            examples.append(f"{mv} ({bad[0]:g})")
    if offending:
        raise ModelError(
            "invalid_data",
            "yes/no indicator(s) must be 0 (no) or 1 (yes); found other values in "
            + ", ".join(examples),
            indicators=offending,
        )


def _indicator_matrix(data: Any, model: Model, columns: Sequence[str] | None) -> np.ndarray:
    """The model's indicator columns of ``data`` as float64 (copy only if needed)."""
    wanted = model.indicators
    if hasattr(data, "columns") and hasattr(data, "to_numpy") and not isinstance(data, np.ndarray):
        columns = [str(c) for c in data.columns]
        data = data.to_numpy(dtype=np.float64)
    if isinstance(data, Mapping):
        validate_model(model, [str(k) for k in data])
        try:
            arrays = [np.asarray(data[mv], dtype=np.float64) for mv in wanted]
        except (TypeError, ValueError) as exc:
            raise ModelError("invalid_data", f"non-numeric indicator data: {exc}") from exc
        lengths = {a.shape for a in arrays}
        if len(lengths) != 1 or arrays[0].ndim != 1:
            raise ModelError("invalid_data", "indicator columns must be 1-D and of equal length")
        X = np.empty((arrays[0].shape[0], len(wanted)), dtype=np.float64)
        for j, a in enumerate(arrays):
            X[:, j] = a
        return X
    try:
        X = np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ModelError("invalid_data", f"data is not numeric: {exc}") from exc
    if X.ndim != 2:
        raise ModelError("invalid_data", f"data must be a 2-D array, got {X.ndim} dimension(s)")
    if columns is None:
        if X.shape[1] != len(wanted):
            raise ModelError(
                "invalid_data",
                f"data has {X.shape[1]} columns but the model has {len(wanted)} indicators; pass columns=",
            )
        return X
    columns = [str(c) for c in columns]
    if len(columns) != X.shape[1]:
        raise ModelError("invalid_data", f"{len(columns)} column names for {X.shape[1]} columns")
    validate_model(model, columns)
    position = {name: j for j, name in enumerate(columns)}
    idx = [position[mv] for mv in wanted]
    if idx == list(range(X.shape[1])):
        return X
    return X[:, idx]


def _group_codes(groups: Any, n_rows: int) -> tuple[np.ndarray | None, list[str]]:
    """Integer codes for group labels; None/'' labels get -1 (no group)."""
    if groups is None:
        return None, []
    raw = list(groups) if not isinstance(groups, np.ndarray) else groups.tolist()
    if len(raw) != n_rows:
        raise ModelError(
            "invalid_groups",
            f"{len(raw)} group labels for {n_rows} data rows",
            labels=len(raw),
            rows=n_rows,
        )
    text = ["" if g is None or (isinstance(g, float) and np.isnan(g)) else str(g) for g in raw]
    labels = sorted({t for t in text if t != ""})
    lookup = {label: i for i, label in enumerate(labels)}
    codes = np.fromiter((lookup.get(t, -1) for t in text), dtype=np.int64, count=n_rows)
    return codes, labels


def _group_means(X: np.ndarray, codes: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-group means of each column over observed (non-NaN) cells, in one sparse product."""
    rows = np.flatnonzero(codes >= 0)
    member = sp.csr_array((np.ones(rows.size), (codes[rows], rows)), shape=(n_groups, X.shape[0]))
    observed = ~np.isnan(X)
    if observed.all():
        counts = np.repeat(member.sum(axis=1)[:, None], X.shape[1], axis=1)
        sums = member @ X
    else:
        counts = member @ observed.astype(np.float64)
        sums = member @ np.where(observed, X, 0.0)
    sizes = np.bincount(codes[rows], minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return means, sizes


def read_csv(source: str | os.PathLike[str] | io.TextIOBase) -> dict[str, list[str]]:
    """Read a CSV file (UTF-8, BOM tolerated; comma, semicolon or tab) into text columns."""
    if isinstance(source, str | os.PathLike):
        try:
            with open(source, encoding="utf-8-sig", newline="") as fh:
                text = fh.read()
        except OSError as exc:
            raise ModelError(
                "invalid_data", f"cannot read {os.fspath(source)!r}: {exc.strerror}"
            ) from exc
        except UnicodeDecodeError as exc:
            raise ModelError("invalid_data", f"{os.fspath(source)!r} is not UTF-8 text") from exc
    else:
        text = source.read()
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise ModelError("invalid_data", "the CSV file is empty")
    header = [h.strip() for h in rows[0]]
    if len(set(header)) != len(header):
        raise ModelError("invalid_data", "the CSV header repeats a column name")
    body = rows[1:]
    for i, r in enumerate(body, start=2):
        if len(r) != len(header):
            raise ModelError(
                "invalid_data", f"CSV line {i} has {len(r)} cells, the header {len(header)}", line=i
            )
    columns = list(zip(*body, strict=True)) if body else [() for _ in header]
    return {name: list(col) for name, col in zip(header, columns, strict=True)}


def numeric_columns(
    table: Mapping[str, Sequence[str]], names: Sequence[str]
) -> dict[str, np.ndarray]:
    """Convert the named text columns to float64, missing tokens -> NaN."""
    out = {}
    for name in names:
        values = np.empty(len(table[name]), dtype=np.float64)
        for i, cell in enumerate(table[name]):
            cell = cell.strip()
            if cell.lower() in MISSING_TOKENS:
                values[i] = np.nan
                continue
            try:
                values[i] = float(cell)
            except ValueError:
                raise ModelError(
                    "invalid_data",
                    f"column {name!r}, data row {i + 1}: {cell!r} is not a number",
                    column=name,
                    row=i + 1,
                ) from None
        out[name] = values
    return out
