"""The public forms' hourly limit per address (common.ratelimit), and the demo loader's waiver."""

from manyi.common import ratelimit


def test_an_address_is_refused_past_its_hourly_limit_in_its_own_scope():
    for _ in range(3):
        assert ratelimit.allowed("test:a", "203.0.113.9", 3)
        ratelimit.count("test:a", "203.0.113.9")
    assert not ratelimit.allowed("test:a", "203.0.113.9", 3)
    assert ratelimit.allowed("test:b", "203.0.113.9", 3)  # another form's count
    assert ratelimit.allowed("test:a", "203.0.113.10", 3)  # another address


def test_the_demo_loader_neither_counts_nor_is_refused():
    for _ in range(3):
        ratelimit.count("test:a", "203.0.113.9")
    with ratelimit.waived():
        assert ratelimit.allowed("test:a", "203.0.113.9", 3)
        ratelimit.count("test:a", "203.0.113.9")
        ratelimit.count("test:c", "203.0.113.9")
    assert not ratelimit.allowed("test:a", "203.0.113.9", 3)  # the limit is back after it
    assert ratelimit.allowed("test:c", "203.0.113.9", 1)  # what it sent was not counted
