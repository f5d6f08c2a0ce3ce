"""The seeded draw (pure: no database). Same rows, seed and sizes give the same ids, always.

Every row of the list, in list order, gets a random key from ``numpy.random.default_rng(seed)``;
within each stratum the eligible rows with the smallest keys are the sample, the next ones the
reserve. Keys are given to every row before any is set aside, so a phone excluded later (taken
by another applicant's survey) changes nothing for the other rows.

A row is eligible when its phone is not excluded and no earlier row of the list has the same
phone (a phone written twice is drawn once). "Phone" here is any string equal for equal
numbers: the normalised number itself, or its keyed hash.

NumPy promises the same stream for a seed only within a version (NEP 19), and the version is
pinned in requirements.lock; should an upgrade ever change it, `services.check_draw` says so.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Drawn:
    sample: list[int]  # row ids in the order they were drawn
    reserve: list[int]
    strata: dict[int, str]  # id -> stratum code, for the drawn rows
    rows: list[int]  # where the drawn ids stand in the list (0-based), sample then reserve

    @property
    def ids(self) -> list[int]:
        """Sample then reserve: position 1 is the first id."""
        return self.sample + self.reserve


def eligible_mask(phones: Sequence[str], excluded: Collection[str] = ()) -> np.ndarray:
    """True for each row whose phone is not excluded and not already seen higher in the list."""
    count = len(phones)
    excluded = excluded if isinstance(excluded, set | frozenset) else set(excluded)
    if len(dict.fromkeys(phones)) == count:  # no phone twice: the usual list, done in C
        taken = np.fromiter(map(excluded.__contains__, phones), dtype=bool, count=count)
        return ~taken
    seen = set(excluded)
    mask = np.zeros(count, dtype=bool)
    for index, phone in enumerate(phones):
        if phone not in seen:
            seen.add(phone)
            mask[index] = True
    return mask


def stratum_sizes(strata: Sequence[str] | None, mask: np.ndarray) -> dict[str, int]:
    """Eligible rows per stratum code (one stratum "" when there are no strata)."""
    if strata is None:
        return {"": int(mask.sum())}
    numbers, codes = _numbered(strata)
    counts = np.bincount(codes[mask], minlength=len(numbers))
    return {code: int(counts[i]) for code, i in sorted(numbers.items()) if counts[i]}


def _numbered(strata: Sequence[str]) -> tuple[dict[str, int], np.ndarray]:
    """Each distinct stratum code numbered, and the rows' numbers as an array."""
    numbers = {code: i for i, code in enumerate(dict.fromkeys(strata))}
    return numbers, np.fromiter(map(numbers.__getitem__, strata), np.int64, len(strata))


def draw(
    *,
    ids: Sequence[int],
    seed: int,
    mask: np.ndarray,
    sizes: Mapping[str, tuple[int, int]],
    strata: Sequence[str] | None = None,
) -> Drawn:
    """Draw ``sizes[stratum] = (sample, reserve)`` rows per stratum from the eligible rows.

    ``ids``, ``mask`` and ``strata`` (None: one stratum "") run in list order. The sample and
    the reserve are each ordered by their random keys, so the strata are mixed in the queue.
    """
    count = len(ids)
    keys = np.random.default_rng(seed).random(count)
    order = np.argsort(keys, kind="stable")
    order = order[mask[order]]
    id_array = np.asarray(ids, dtype=np.int64)
    if strata is None:
        groups = {"": order}
    else:
        numbers, codes = _numbered(strata)
        ranked = codes[order]
        groups = {code: order[ranked == i] for code, i in numbers.items()}
    sample_parts, reserve_parts = [], []
    for code, (sample_n, reserve_n) in sizes.items():
        members = groups.get(code, order[:0])
        sample_parts.append(members[:sample_n])
        reserve_parts.append(members[sample_n : sample_n + reserve_n])
    sample = _by_key(sample_parts, keys)
    reserve = _by_key(reserve_parts, keys)
    chosen = np.concatenate([sample, reserve])
    rows = chosen.tolist()
    labels = {int(id_array[i]): "" if strata is None else strata[i] for i in rows}
    return Drawn(id_array[sample].tolist(), id_array[reserve].tolist(), labels, rows)


def _by_key(parts: list[np.ndarray], keys: np.ndarray) -> np.ndarray:
    rows = np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
    return rows[np.argsort(keys[rows], kind="stable")]
