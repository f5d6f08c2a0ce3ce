"""The seeded, weighted draw of a spot check: pure, reproducible, weighted as documented."""

from collections import Counter

import pytest

from manyi.supervision.spotchecks.draw import draw, draw_order, population_hash

ORGS = list(range(101, 131))


def test_the_same_seed_and_frame_give_the_same_list():
    weights = [1.0 + (i % 4) for i in range(len(ORGS))]
    assert draw(ORGS, weights, 2026, 8) == draw(list(ORGS), list(weights), 2026, 8)


def test_another_seed_gives_another_list():
    weights = [1.0] * len(ORGS)
    assert draw(ORGS, weights, 1, 8) != draw(ORGS, weights, 2, 8)


def test_the_list_is_in_draw_order_without_repeats():
    picked = draw(ORGS, [1.0] * len(ORGS), 7, 10)
    assert len(picked) == 10
    assert len(set(picked)) == 10
    assert picked == draw_order([1.0] * len(ORGS), 7)[:10]


def test_a_size_above_the_population_draws_everyone_once():
    picked = draw(ORGS[:5], [1.0, 2.0, 3.0, 1.0, 1.0], 3, 50)
    assert sorted(picked) == [0, 1, 2, 3, 4]


def test_an_organisation_with_two_titles_is_drawn_once():
    organisations = [1, 1, 1, 2, 3]
    picked = draw(organisations, [1.0] * 5, 11, 5)
    drawn = [organisations[i] for i in picked]
    assert sorted(drawn) == [1, 2, 3]


def test_a_weight_must_be_positive():
    with pytest.raises(ValueError):
        draw([1, 2], [1.0, 0.0], 1, 1)


def test_a_high_risk_member_is_drawn_clearly_more_often():
    """Over 2,000 seeds, drawing 1 of 10: the member of weight 5 (e.g. four complaints) is
    drawn about 5/14 of the time, a member of weight 1 about 1/14."""
    weights = [1.0] * 10
    weights[3] = 5.0
    counts = Counter(draw(list(range(10)), weights, seed, 1)[0] for seed in range(2000))
    high = counts[3] / 2000
    low = counts[0] / 2000
    assert 0.30 < high < 0.42
    assert 0.04 < low < 0.10
    assert high > 3 * low


def test_unweighted_every_member_is_about_equally_likely():
    counts = Counter(i for seed in range(3000) for i in draw(list(range(10)), [1.0] * 10, seed, 2))
    # Each is drawn 2/10 of the time: 600 of 3,000 draws, within sampling noise.
    assert all(500 < counts[i] < 700 for i in range(10)), counts


def test_weights_change_the_order_but_not_the_uniform_stream():
    """With equal weights the draw is a plain random sample: doubling every weight does not
    change who is drawn (only ratios matter)."""
    assert draw(ORGS, [1.0] * 30, 5, 6) == draw(ORGS, [2.0] * 30, 5, 6)


def _frame(weights):
    return [
        {"organisation": o, "title": None, "weight": w}
        for o, w in zip(ORGS[: len(weights)], weights, strict=True)
    ]


def test_the_population_hash_follows_ids_and_weights():
    frame = _frame([1.0] * 30)
    same = population_hash(_frame([1.0] * 30))
    assert population_hash(frame) == same
    heavier = _frame([1.0] * 29 + [1.25])
    assert population_hash(heavier) != same
    shorter = frame[:-1]
    assert population_hash(shorter) != same
    other_title = [{**frame[0], "title": 9}, *frame[1:]]
    assert population_hash(other_title) != same


def test_the_hash_ignores_the_risk_and_reads_weights_as_numbers():
    frame = _frame([1.0] * 3)
    with_risk = [{**m, "risk": {"complaints": 1}} for m in frame]
    assert population_hash(with_risk) == population_hash(frame)
    ints = [{**m, "weight": 1} for m in frame]
    assert population_hash(ints) == population_hash(frame)
