"""Fitting rendered text to a platform's limit: the longest cut of the raw text that fits."""

from __future__ import annotations

from collections.abc import Callable


def longest(
    render: Callable[[int], str], size: int, limit: int, length: Callable[[str], int] = len
) -> str:
    """render(n) for the largest n <= `size` whose rendering is within `limit` by `length`
    (found by bisection: cut first, then escape and mark, so nothing rendered is split)."""
    low, high = 0, size
    while low < high:
        middle = (low + high + 1) // 2
        if length(render(middle)) <= limit:
            low = middle
        else:
            high = middle - 1
    return render(low)
