"""Fair lead allocation (R-LEAD-2), in plain Python: no ORM, no database, so it is easy
to test and to benchmark, and its cost is O(leads x log(targets)).

A *target* is an agent (team level) or a team (department level). Leads are given in
the order they should be served (best grade first, then oldest). Every strategy picks,
for each lead, the eligible target with the smallest key below; ties are broken by
"least recently assigned", then by the target's key, never by record order
(odoo/odoo#259324):

- ``round_robin``: leads received today (earlier runs included) + in this run;
- ``weighted``: the same count divided by the target's weight (ability or team weight);
- ``least_loaded``: open leads held + received in this run;
- ``grade_match``: A leads go to A-ability agents first, C leads to C first, each
  ability group served round-robin; a full group passes to the next closest one.

A target with a capacity (what its caps still allow) leaves the run when it is full.
Among targets of equal weight and capacity, counts differ by at most one, in the run
and over the day.
"""
import heapq
from dataclasses import dataclass

STRATEGIES = ("round_robin", "weighted", "least_loaded", "grade_match")
# Ability groups tried for a lead of each grade, best match first.
GRADE_PREFERENCE = {
    "a": ("a", "b", "c"),
    "b": ("b", "a", "c"),
    "c": ("c", "b", "a"),
}


@dataclass
class Target:
    key: int
    weight: float = 1.0
    ability: str = "b"
    received_today: int = 0
    open_leads: int = 0
    capacity: int | None = None
    last_assigned: float = 0.0


def _priority(strategy, target, got):
    if strategy == "weighted":
        load = (target.received_today + got + 1) / (target.weight or 1.0)
    elif strategy == "least_loaded":
        load = target.open_leads + got
    else:
        load = target.received_today + got
    return (load, target.last_assigned, target.key)


class _Queue:
    """Targets ordered by the strategy's key; full targets drop out."""

    def __init__(self, strategy, targets):
        self.strategy = strategy
        self.got = {target.key: 0 for target in targets}
        self.heap = [(_priority(strategy, target, 0), target) for target in targets
                     if target.capacity is None or target.capacity > 0]
        heapq.heapify(self.heap)

    def take(self, tick, excluded=()):
        """The next target not in `excluded`, now counted as having received one more
        lead; the excluded ones it passed keep their place."""
        passed, chosen = [], None
        while self.heap:
            entry = heapq.heappop(self.heap)
            if entry[1].key in excluded:
                passed.append(entry)
                continue
            chosen = entry[1]
            self.got[chosen.key] += 1
            chosen.last_assigned = tick
            if chosen.capacity is None or self.got[chosen.key] < chosen.capacity:
                heapq.heappush(self.heap, (_priority(self.strategy, chosen, self.got[chosen.key]), chosen))
            break
        for entry in passed:
            heapq.heappush(self.heap, entry)
        return chosen


def allocate(leads, targets, strategy="round_robin", excluded=None):
    """Share `leads` ([(key, grade)], in serving order) among `targets`.

    `excluded` ({lead key: {target keys}}) keeps a lead away from some targets (a lead
    recycled from an agent is not given back to them for a while).
    Returns {lead key: target key} for the leads that found a target; the others stay
    unassigned (every target full). `targets` are updated in place (last_assigned)."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown allocation strategy {strategy!r}")
    # A monotonic tick: whoever was served longer ago comes first on a tie.
    tick = max((target.last_assigned for target in targets), default=0.0)
    excluded = excluded or {}
    result = {}
    if strategy == "grade_match":
        queues = {ability: _Queue("round_robin", [t for t in targets if t.ability == ability])
                  for ability in ("a", "b", "c")}
        for lead_key, grade in leads:
            for ability in GRADE_PREFERENCE.get(grade or "c", GRADE_PREFERENCE["c"]):
                tick += 1
                target = queues[ability].take(tick, excluded.get(lead_key, ()))
                if target:
                    result[lead_key] = target.key
                    break
        return result
    queue = _Queue(strategy, list(targets))
    for lead_key, _grade in leads:
        tick += 1
        target = queue.take(tick, excluded.get(lead_key, ()))
        if target is None:
            if not queue.heap:
                break  # everyone is full
            continue  # only the excluded are left for this lead
        result[lead_key] = target.key
    return result
