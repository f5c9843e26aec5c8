"""Scoring an appraisal indicator (R-KPI-2) and grading the total (R-KPI-4), in plain
Python so that it is easy to test (property-based) and to reason about.

An indicator is scored from its value against a target:

- ``linear``, ``higher`` is better: ``100 * value / target``; a target of 0 (or less)
  is met by any value reaching it: 100.
- ``linear``, ``lower`` is better (complaints, sales cycle): ``100 * target / value``;
  a value of 0 (or less) is the best there is: the cap.
- ``bands``: a list of ``(threshold, score)``. For ``higher``, a value at or above a
  threshold earns its score and the highest threshold reached wins; for ``lower``, a
  value at or below a threshold earns its score and the lowest threshold reached wins.
  No band reached: 0.

Every score is between 0 and the indicator's ``cap``. A value of None (no data: an
agent without a won deal has no sales cycle) scores 0. A rated indicator's rating is its
score, capped.
"""

DIRECTIONS = ("higher", "lower")
SCORINGS = ("linear", "bands")
GRADES = ("S", "A", "B", "C", "D")


def _clamp(points, cap):
    return max(0.0, min(float(cap), float(points)))


def band_score(value, direction, bands):
    """The score of the band `value` reaches, 0 if none (see the module's help)."""
    if direction == "lower":
        reached = [(threshold, points) for threshold, points in bands if value <= threshold]
        return min(reached)[1] if reached else 0.0
    reached = [(threshold, points) for threshold, points in bands if value >= threshold]
    return max(reached)[1] if reached else 0.0


def score(value, target, direction="higher", scoring="linear", cap=120.0, bands=()):
    """The score (0 … cap) of a computed indicator's `value` against `target`."""
    if value is None:
        return 0.0
    if scoring == "bands":
        return _clamp(band_score(value, direction, bands), cap)
    if direction == "lower":
        if value <= 0:
            return _clamp(cap, cap)
        return _clamp(100.0 * max(target, 0.0) / value, cap)
    if target <= 0:
        return _clamp(100.0 if value >= target else 0.0, cap)
    return _clamp(100.0 * value / target, cap)


def rated_score(rating, cap=120.0):
    """A rated indicator: the rating (0-100) is the score, within 0 … cap."""
    return 0.0 if rating is None else _clamp(rating, cap)


def check_bands(direction, bands):
    """Messages about what is wrong with a band table, [] if nothing: thresholds are
    distinct, scores not negative, and a better value never earns a smaller score."""
    problems = []
    thresholds = [threshold for threshold, _points in bands]
    if len(set(thresholds)) != len(thresholds):
        problems.append("two bands have the same threshold")
    if any(points < 0 for _threshold, points in bands):
        problems.append("a band's score is negative")
    ordered = sorted(bands, reverse=direction == "lower")  # worst value first
    for (threshold, points), (next_threshold, next_points) in zip(ordered, ordered[1:]):
        if next_points < points and next_threshold != threshold:
            problems.append(f"threshold {next_threshold:g} scores {next_points:g}, less than "
                            f"{points:g} at the worse threshold {threshold:g}")
    return problems


def grade(total, bands):
    """The grade (S/A/B/C/D) of a total score. `bands`: the minimum score of S, A, B and
    C, in that order (descending); below C's, D."""
    for letter, minimum in zip(GRADES, bands):
        if total >= minimum:
            return letter
    return GRADES[-1]

