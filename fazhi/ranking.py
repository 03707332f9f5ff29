"""Ranks where ties share a place (1, 2, 2, 4): the assessment's category ranking and the dashboard's unit
ranking both number units this way, through this one function (it lives here, below both apps)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence


def shared_ranks(keys: Sequence[Hashable]) -> list[int]:
    """The rank of each position of an already ordered list (best first): equal neighbouring keys share the
    rank of the first of them, and the next different key takes its position (1, 2, 2, 4)."""
    ranks: list[int] = []
    for i, key in enumerate(keys):
        ranks.append(ranks[-1] if i and keys[i - 1] == key else i + 1)
    return ranks
