"""A chart's scale: a round top whose fifths are whole numbers, at or above the largest value."""

from app.reports.trends import nice_top


def test_the_scale_top_is_round_and_covers_the_values():
    assert [nice_top(v) for v in (0, 5, 6, 11, 100, 101, 250, 700)] == [5, 5, 10, 20, 100, 200, 500, 1000]
    assert all(nice_top(v) >= v and nice_top(v) % 5 == 0 for v in range(0, 5000, 7))
