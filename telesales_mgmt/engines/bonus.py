"""The month's performance bonus and what attendance takes from it (R-INC-1, R-ATT-2/4),
in plain Python.

The bonus is the rank's base times the coefficient of the appraisal's grade. The
attendance deductions come off it one by one, in the order given (by date): each takes
what the bonus has left, and what it cannot take is either carried to the wage
(``excess="wage"``) or dropped (``excess="drop"``), as the attendance policy says.
"""
from dataclasses import dataclass

EXCESS_MODES = ("wage", "drop")


@dataclass(frozen=True)
class Split:
    """What one deduction took from the bonus, and what was carried or dropped."""

    key: object
    amount: float
    from_bonus: float
    carried: float
    dropped: float


def bonus(base, coefficient):
    """The month's bonus: never negative."""
    return max(0.0, (base or 0.0) * (coefficient or 0.0))


def split_deductions(amount, deductions, excess="wage"):
    """[Split] of `deductions` ([(key, amount)], in order) against a bonus of `amount`."""
    if excess not in EXCESS_MODES:
        raise ValueError(f"excess must be one of {EXCESS_MODES}, not {excess!r}")
    left, splits = max(0.0, amount or 0.0), []
    for key, deduction in deductions:
        deduction = max(0.0, deduction or 0.0)
        taken = min(left, deduction)
        left -= taken
        rest = deduction - taken
        splits.append(Split(key, deduction, taken, rest if excess == "wage" else 0.0,
                            rest if excess == "drop" else 0.0))
    return splits


def totals(amount, splits):
    """(deducted from the bonus, bonus paid, carried to the wage, dropped)."""
    deducted = sum(split.from_bonus for split in splits)
    return (deducted, max(0.0, (amount or 0.0) - deducted),
            sum(split.carried for split in splits), sum(split.dropped for split in splits))
