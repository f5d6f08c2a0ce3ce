"""The seeded draw of experts (pure: no database). Same candidates, seed, size, load and cap
give the same experts, always.

The candidates are put in a stable order first (sorted ids, duplicates dropped), then shuffled
with ``random.Random(seed)``: Python promises the same stream for the same seed across
versions for ``shuffle`` of a list of ints, so a draw stored years ago can be redone.
Positions are indexes in the shuffled order; a replacement continues down the same order.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping


def shuffled(candidates: Iterable[int], seed: int) -> list[int]:
    """The candidates in the order the draw takes them."""
    order = sorted(set(candidates))
    random.Random(seed).shuffle(order)
    return order


def draw(
    candidates: list[int], seed: int, needed: int, load: Mapping[int, int], cap: int
) -> list[tuple[int, int]]:
    """(position, expert id) of the first `needed` experts of the shuffled order whose load is
    under `cap`. Fewer when not enough are left: the caller decides whether that is enough."""
    picked = []
    for position, expert_id in enumerate(shuffled(candidates, seed)):
        if len(picked) >= needed:
            break
        if load.get(expert_id, 0) < cap:
            picked.append((position, expert_id))
    return picked
