"""Judgements against the nation and against a target, from a value's interval."""

from __future__ import annotations


def vs_national(
    value: float | None,
    low: float | None,
    high: float | None,
    national: float | None,
    direction: str,
) -> str | None:
    """better / similar / worse: is the national value inside the region's 95 % interval?

    Without an interval, or when neither direction is better, there is no judgement.
    """
    if value is None or low is None or high is None or national is None or direction == "none":
        return None
    if low <= national <= high:
        return "similar"
    higher = low > national
    good = higher if direction == "higher" else not higher
    return "better" if good else "worse"


def target_status(
    value: float | None,
    low: float | None,
    high: float | None,
    target: float | None,
    comparison: str = ">=",
) -> bool | None:
    """Reached when the whole interval is on the right side of the target, not reached when
    the whole interval is on the wrong side, unknown (None) otherwise. Without an interval
    the value itself decides."""
    if value is None or target is None:
        return None
    if low is None or high is None:
        low = high = value
    if comparison == ">=":
        if low >= target:
            return True
        if high < target:
            return False
        return None
    if high <= target:
        return True
    if low > target:
        return False
    return None
