"""What the grown world holds, decided before anything is written. Pure and seeded.

Each application is a `Case`: which new enterprise applies, in which category and campaign,
and the state it has reached. Its `path` is the moves it went through from 草稿 (the same
moves `states.MOVES` allows), so the rows a state implies and the activity log follow from it.
"""

import random
from dataclasses import dataclass, field

from manyi.accounts.roles import Trade
from manyi.applications.states import Status

CURRENT, PREVIOUS = "current", "previous"

# (state, weight, campaign): this year's campaign holds every stage up to 公示; last year's
# holds the outcomes. The weights follow a year of the programme: many drafts and submissions,
# a tenth recommended and waiting, a sixth in evaluation, a fifth decided.
MIX = [
    (Status.DRAFT, 10, CURRENT),
    (Status.SUBMITTED, 14, CURRENT),
    (Status.RETURNED, 4, CURRENT),
    (Status.RECOMMENDED, 9, CURRENT),
    (Status.NOT_RECOMMENDED, 3, CURRENT),
    (Status.WITHDRAWN, 2, CURRENT),
    (Status.DEFICIENT, 4, CURRENT),
    (Status.COMPLETED, 3, CURRENT),
    (Status.ACCEPTED, 15, CURRENT),
    (Status.REJECTED, 3, CURRENT),
    (Status.IN_NOTICE, 2, CURRENT),
    (Status.AWARDED, 15, PREVIOUS),
    (Status.NOT_AWARDED, 5, PREVIOUS),
    (Status.REJECTED, 2, PREVIOUS),
    (Status.NOT_RECOMMENDED, 3, PREVIOUS),
    (Status.WITHDRAWN, 2, PREVIOUS),
]

# The moves from 草稿 to each state.
_REVIEWED = [Status.SUBMITTED, Status.RECOMMENDED]
PATHS = {
    Status.DRAFT: [],
    Status.WITHDRAWN: [Status.WITHDRAWN],
    Status.SUBMITTED: [Status.SUBMITTED],
    Status.RETURNED: [Status.SUBMITTED, Status.RETURNED],
    Status.RECOMMENDED: _REVIEWED,
    Status.NOT_RECOMMENDED: [Status.SUBMITTED, Status.NOT_RECOMMENDED],
    Status.DEFICIENT: [*_REVIEWED, Status.DEFICIENT],
    Status.COMPLETED: [*_REVIEWED, Status.DEFICIENT, Status.COMPLETED],
    Status.ACCEPTED: [*_REVIEWED, Status.ACCEPTED],
    Status.REJECTED: [*_REVIEWED, Status.REJECTED],
    Status.IN_NOTICE: [*_REVIEWED, Status.ACCEPTED, Status.IN_NOTICE],
    Status.AWARDED: [*_REVIEWED, Status.ACCEPTED, Status.IN_NOTICE, Status.AWARDED],
    Status.NOT_AWARDED: [*_REVIEWED, Status.ACCEPTED, Status.NOT_AWARDED],
}
# Which categories an enterprise of each trade applies in, and how often.
CATEGORIES_BY_TRADE = {
    Trade.INDUSTRIAL: (("product", 35), ("brand", 35), ("enterprise", 30)),
    Trade.ENGINEERING: (("engineering", 70), ("enterprise", 30)),
    Trade.SERVICE: (("service", 60), ("brand", 20), ("enterprise", 20)),
}
# Enterprises per application (most apply once or twice), and the share with a second agency.
ENTERPRISES_PER_APPLICATION = 0.8
SECOND_AGENCY_SHARE = 0.25


@dataclass
class Case:
    enterprise: int  # index into the new enterprises
    category: str
    era: str  # CURRENT or PREVIOUS
    status: str
    agency: int = -1  # index into the agencies
    times: list = field(default_factory=list)  # the start, then one moment per move

    @property
    def path(self) -> list[str]:
        return PATHS[self.status]

    def passed(self, state: str) -> bool:
        return state in self.path

    def when(self, state: str):
        """The moment of the last move into `state` (None when never in it)."""
        moves = self.path
        for i in range(len(moves) - 1, -1, -1):
            if moves[i] == state:
                return self.times[i + 1]
        return None


def state_counts(total: int) -> list[tuple[str, str, int]]:
    """How many applications each (state, campaign) gets: the weights by largest remainder,
    and at least one each when there are enough, so even a tiny world has every state."""
    weights = sum(w for _s, w, _e in MIX)
    exact = [total * w / weights for _s, w, _e in MIX]
    counts = [int(x) for x in exact]
    if total >= len(MIX):
        counts = [max(1, c) for c in counts]
    order = sorted(range(len(MIX)), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    i = 0
    while sum(counts) < total:
        counts[order[i % len(order)]] += 1
        i += 1
    while sum(counts) > total:
        biggest = max(range(len(counts)), key=counts.__getitem__)
        counts[biggest] -= 1
    return [(s, e, c) for (s, _w, e), c in zip(MIX, counts, strict=True) if c]


def agency_weights(count: int) -> list[float]:
    """A few large agencies and many small ones (Zipf-like): with 50 agencies and 10,000
    applications the member lists run from about a hundred to about 1,500."""
    return [1 / (k + 1) + 0.05 for k in range(count)]


def plan_memberships(rng: random.Random, enterprises: int, agencies: int) -> list[list[int]]:
    """Each new enterprise's agencies (indexes): one, sometimes two."""
    weights = agency_weights(agencies)
    population = range(agencies)
    plan = []
    for _ in range(enterprises):
        first = rng.choices(population, weights)[0]
        chosen = [first]
        if agencies > 1 and rng.random() < SECOND_AGENCY_SHARE:
            second = rng.choices(population, weights)[0]
            if second != first:
                chosen.append(second)
        plan.append(chosen)
    return plan


def plan_cases(rng: random.Random, total: int, trades: list[str]) -> list[Case]:
    """`total` applications over the new enterprises (`trades[i]` is enterprise i's trade);
    never two live applications of one enterprise in one category and campaign."""
    taken: set[tuple[int, str, str]] = set()
    cases = []
    for status, era, count in state_counts(total):
        for _ in range(count):
            for _attempt in range(1000):
                enterprise = rng.randrange(len(trades))
                options = CATEGORIES_BY_TRADE[trades[enterprise]]
                category = rng.choices([c for c, _w in options], [w for _c, w in options])[0]
                if (enterprise, category, era) not in taken:
                    break
            else:
                raise ValueError("too few enterprises for the applications planned")
            taken.add((enterprise, category, era))
            cases.append(Case(enterprise, category, era, status))
    rng.shuffle(cases)
    return cases
