"""The seeded, weighted draw of a spot check (pure: no database).

Efraimidis–Spirakis (2006): each member gets the key u^(1/w), u uniform in (0, 1] from
``random.Random(seed)`` taken in frame order; the members with the largest keys are drawn,
largest first. That is a weighted sample without replacement: the chance of being drawn grows
with the weight, and with equal weights every member is equally likely. Python promises the
same stream of ``random()`` for the same seed across versions, so a stored draw can be redone.
Keys are compared as log(u)/w (the same order, without underflow for large weights).

An organisation is checked once per spot check (a title holder may hold several titles):
a member whose organisation was already drawn is passed over.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Sequence


def draw_order(weights: Sequence[float], seed: int) -> list[int]:
    """Indexes of the members, largest key first (ties: the earlier member first)."""
    rng = random.Random(seed)
    keys = []
    for weight in weights:
        if not weight > 0:
            raise ValueError(f"weights must be positive, not {weight!r}")
        keys.append(math.log(1.0 - rng.random()) / weight)
    return sorted(range(len(keys)), key=lambda i: (-keys[i], i))


def draw(organisations: Sequence[int], weights: Sequence[float], seed: int, size: int) -> list[int]:
    """Indexes of the drawn members in draw order: at most `size`, one per organisation.
    Everyone (one per organisation) when `size` is at least the number of organisations."""
    if len(organisations) != len(weights):
        raise ValueError("one weight per member")
    picked: list[int] = []
    seen: set[int] = set()
    for index in draw_order(weights, seed):
        if len(picked) >= size:
            break
        if organisations[index] in seen:
            continue
        seen.add(organisations[index])
        picked.append(index)
    return picked


def population_hash(members: Sequence[dict]) -> str:
    """SHA-256 of the frame's ids and weights in frame order (canonical JSON of
    [[organisation, title, weight], …]): a frame changed in any of these gives another hash."""
    canonical = json.dumps(
        [[m["organisation"], m["title"], float(m["weight"])] for m in members],
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()
