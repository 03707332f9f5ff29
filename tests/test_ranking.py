"""Shared ranks (1, 2, 2, 4): one function for the assessment and the dashboard."""

from __future__ import annotations

from fazhi.ranking import shared_ranks


def test_equal_neighbours_share_the_first_ones_rank_and_the_next_takes_its_position():
    assert shared_ranks([9, 8, 8, 7]) == [1, 2, 2, 4]
    assert shared_ranks([(1, 1), (1, 1), (1, 1)]) == [1, 1, 1]
    assert shared_ranks([]) == []


def test_only_neighbours_are_compared_the_caller_orders_the_list():
    assert shared_ranks(["a", "b", "a"]) == [1, 2, 3]
