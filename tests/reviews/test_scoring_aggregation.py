"""The arithmetic of the experts' scores on worked examples (pure, no database)."""

from decimal import Decimal

import pytest

from manyi.reviews.scoring.aggregation import Line, summarise, trimmed_mean, weighted_total


def default_lines(expert_values, index=Decimal("8.42"), form=Decimal(9)):
    """Ten expert criteria at 6 % each (0–10), the index at 30 % and the form at 10 %."""
    return [
        *(Line(weight=Decimal(6), value=v, max_score=10) for v in expert_values),
        Line(weight=Decimal(30), value=index, max_score=10),
        Line(weight=Decimal(10), value=form, max_score=10),
    ]


def test_a_weighted_total_adds_weight_times_value_over_max():
    # 10 × 6 × 8/10 = 48; 30 × 8.42/10 = 25.26; 10 × 9/10 = 9.
    total = weighted_total(default_lines([Decimal(8)] * 10))
    assert total.points == pytest.approx(82.26)
    assert total.provisional is False


def test_full_marks_give_100_and_nothing_gives_0():
    assert weighted_total(default_lines([10] * 10, index=10, form=10)).points == 100
    assert weighted_total(default_lines([0] * 10, index=0, form=0)).points == 0


def test_a_total_without_the_index_counts_it_0_and_is_provisional():
    total = weighted_total(default_lines([Decimal(8)] * 10, index=None))
    assert total.points == pytest.approx(57.0)
    assert total.provisional is True


def test_four_experts_mean_median_trimmed_mean_and_spread():
    result = summarise([60.0, 78.0, 80.0, 90.0], ["award", "award", "award", "award"])
    assert result["n"] == 4
    assert result["mean"] == pytest.approx(77.0)
    assert result["median"] == pytest.approx(79.0)
    # The highest (90) and the lowest (60) are dropped: (78 + 80) / 2.
    assert result["trimmed_mean"] == pytest.approx(79.0)
    assert result["spread"] == pytest.approx(30.0)
    assert result["dispersed"] is True


def test_three_experts_trimmed_mean_is_the_mean():
    result = summarise([78.0, 80.0, 90.0], ["award", "award", "award"])
    assert result["mean"] == pytest.approx(82.67)
    assert result["median"] == pytest.approx(80.0)
    assert result["trimmed_mean"] == result["mean"]
    assert result["spread"] == pytest.approx(12.0)
    assert result["dispersed"] is False
    assert result["recommend_award"] == 3
    assert result["recommend_not"] == 0


def test_a_split_recommendation_is_dispersed_even_when_totals_agree():
    result = summarise([80.0, 81.0, 82.0], ["award", "not_award", "award"])
    assert result["spread"] == pytest.approx(2.0)
    assert result["dispersed"] is True
    assert result["recommend_award"] == 2
    assert result["recommend_not"] == 1


def test_a_spread_of_exactly_15_is_not_dispersed():
    assert summarise([70.0, 85.0], ["award", "award"])["dispersed"] is False
    assert summarise([70.0, 85.5], ["award", "award"])["dispersed"] is True


def test_trimmed_mean_of_five_drops_one_at_each_end():
    assert trimmed_mean([10, 50, 60, 70, 100]) == pytest.approx(60.0)
