"""The seeded draw of experts: pure, reproducible, under the workload cap."""

from manyi.reviews.experts.draw import draw, shuffled


def test_the_same_seed_gives_the_same_experts():
    candidates = [31, 7, 12, 5, 44, 19, 23]
    first = draw(candidates, 2026, 3, {}, 8)
    again = draw(list(reversed(candidates)), 2026, 3, {}, 8)
    assert first == again


def test_positions_are_places_in_the_shuffled_order():
    candidates = list(range(1, 21))
    order = shuffled(candidates, 99)
    picked = draw(candidates, 99, 4, {}, 8)
    assert picked == [(0, order[0]), (1, order[1]), (2, order[2]), (3, order[3])]


def test_the_order_is_shuffled_from_sorted_ids():
    """Not simply the ids in order: the seed decides (20 ids, so a sorted result by chance is
    one in 20! and a fixed order would show in this test)."""
    candidates = list(range(100, 120))
    assert shuffled(candidates, 1) != sorted(candidates)
    assert sorted(shuffled(candidates, 1)) == sorted(candidates)


def test_another_seed_gives_another_order():
    candidates = list(range(1, 31))
    assert shuffled(candidates, 1) != shuffled(candidates, 2)


def test_a_repeated_id_is_drawn_once():
    picked = draw([3, 3, 3, 4], 5, 3, {}, 8)
    assert sorted(expert for _position, expert in picked) == [3, 4]


def test_experts_at_the_cap_are_passed_over():
    candidates = list(range(1, 11))
    order = shuffled(candidates, 7)
    load = {order[0]: 8, order[2]: 9}
    picked = draw(candidates, 7, 3, load, 8)
    assert picked == [(1, order[1]), (3, order[3]), (4, order[4])]


def test_an_expert_just_under_the_cap_is_taken():
    candidates = list(range(1, 6))
    order = shuffled(candidates, 3)
    assert draw(candidates, 3, 1, {order[0]: 7}, 8) == [(0, order[0])]


def test_fewer_than_needed_when_the_candidates_run_out():
    assert len(draw([1, 2], 1, 3, {}, 8)) == 2
    assert draw([], 1, 3, {}, 8) == []
