"""The idle clock of recycling (R-LEAD-6, design notes "working days"), in plain Python.

A lead's idle clock starts when its agent last called it (or received it) and runs only
on the company's working days: each working day counts its 24 hours, rest days and
public holidays count nothing, a make-up working day (调休上班) counts like any other.
"Idle for 7 working days" is 7 days on this clock, so a Spring Festival week does not
push every grade-C lead back to the pool, and with every day a working day the clock is
the calendar.

Times are naive local datetimes (the company's time zone); `is_working(day)` says
whether a date is a working day. Two functions, inverse of each other:

- `idle_deadline(start, days, is_working)`: when a clock started at `start` reaches
  `days` working days;
- `idle_cutoff(now, days, is_working)`: the latest start whose clock has reached
  `days` working days at `now`, so that recycling compares every lead's start with one
  cut-off per grade instead of walking the calendar lead by lead.

`idle_deadline(start, d) <= now` exactly when `start <= idle_cutoff(now, d)`.
"""
from datetime import datetime, time, timedelta

DAY = timedelta(days=1)
# A calendar without a single working day in this many days in a row has none at all:
# the clock never runs (no lead is ever idle long enough), rather than a loop forever.
MAX_REST_DAYS = 400


def _midnight(day):
    return datetime.combine(day, time.min)


def idle_cutoff(now, days, is_working):
    """The latest start of an idle clock that shows `days` working days at `now`; None
    if there is none (`days` <= 0 means never, as the rule's 0 does)."""
    if days <= 0:
        return None
    left = timedelta(days=days)
    day = now.date()
    if is_working(day):
        today = now - _midnight(day)
        if today >= left:
            return now - left
        left -= today
    rest = 0
    while rest < MAX_REST_DAYS:
        day -= DAY
        if not is_working(day):
            rest += 1
            continue
        rest = 0
        if left <= DAY:
            return _midnight(day) + DAY - left
        left -= DAY
    return None


def idle_deadline(start, days, is_working):
    """When an idle clock started at `start` shows `days` working days; None if never."""
    if days <= 0:
        return None
    left = timedelta(days=days)
    day = start.date()
    if is_working(day):
        today = _midnight(day) + DAY - start
        if left <= today:
            return start + left
        left -= today
    rest = 0
    while rest < MAX_REST_DAYS:
        day += DAY
        if not is_working(day):
            rest += 1
            continue
        rest = 0
        if left <= DAY:
            return _midnight(day) + left
        left -= DAY
    return None
