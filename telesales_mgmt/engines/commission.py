"""Commission on a period total (R-INC-1), in plain Python so that it is easy to test
(property-based) and to reason about.

A tier table is a list of bands ``(lower, upper, rate)``: ``lower`` and ``upper`` bound
the measure (the achievement in percent of the target, or the amount itself), ``upper``
is None for the last, open band, and ``rate`` is a percentage. Bands follow each other
without gap or overlap, starting at 0.

- ``progressive``: each band's part of the total at its own rate, like tax brackets.
  The commission is continuous and never decreases as sales grow.
- ``whole``: the rate of the band reached applies to the whole amount (a "step" plan).

The gate: below ``gate`` percent of the target, no commission at all.
"""
from dataclasses import dataclass

MODES = ("progressive", "whole")
MEASURES = ("achievement", "amount")


@dataclass(frozen=True)
class Band:
    lower: float
    upper: float | None
    rate: float


def check_bands(bands):
    """Messages about what is wrong with `bands` (row numbers from 1), [] if nothing."""
    problems = []
    for number, band in enumerate(bands, start=1):
        if band.rate < 0:
            problems.append(f"row {number}: negative rate {band.rate:g}")
        if band.upper is not None and band.upper <= band.lower:
            problems.append(f"row {number}: upper bound {band.upper:g} not above lower bound {band.lower:g}")
        if band.upper is None and number != len(bands):
            problems.append(f"row {number}: only the last row may be open-ended")
    if bands and bands[0].lower != 0:
        problems.append(f"row 1: the first band must start at 0, not {bands[0].lower:g}")
    for number, (before, band) in enumerate(zip(bands, bands[1:]), start=2):
        if before.upper is None:
            continue
        if band.lower > before.upper:
            problems.append(f"rows {number - 1}-{number}: gap between {before.upper:g} and {band.lower:g}")
        elif band.lower < before.upper:
            problems.append(f"rows {number - 1}-{number}: overlap from {band.lower:g} to {before.upper:g}")
    return problems


def below_gate(total, target, gate):
    """Whether `total` stays below the gate (`gate` percent of `target`): no commission at
    all then. Without a target, any gate is out of reach; a gate of 0 lets everything in."""
    return bool(gate) and (not target or total * 100.0 / target < gate)


def commission(total, target, bands, mode="progressive", measure="achievement", gate=100.0):
    """Commission on a period `total` against `target` (both amounts)."""
    if total <= 0 or not bands:
        return 0.0
    achievement = total * 100.0 / target if target else None
    if below_gate(total, target, gate):
        return 0.0
    if measure == "amount":
        scale, reach = 1.0, total
    else:
        if achievement is None:
            return 0.0
        # Achievement bands cut the total where it reaches each percentage of the target.
        scale, reach = target / 100.0, achievement
    if mode == "whole":
        rate = next((band.rate for band in reversed(bands) if reach >= band.lower), 0.0)
        return round(total * rate / 100.0, 2)
    result = 0.0
    for band in bands:
        if reach <= band.lower:
            break
        # Each band's part in currency, cut at the total itself: the first band's part of
        # a total inside it is the total, exactly as the whole-amount mode sees it.
        bottom = band.lower * scale
        top = total if band.upper is None or reach < band.upper else band.upper * scale
        result += (top - bottom) * band.rate / 100.0
    return round(result, 2)


def band_reached(total, target, bands, measure="achievement"):
    """The index of the band the period's total reaches, or None below the first."""
    reach = total if measure == "amount" else (total * 100.0 / target if target else 0.0)
    for index in range(len(bands) - 1, -1, -1):
        if reach >= bands[index].lower:
            return index
    return None
