"""Judging one attendance day (R-ATT-2 … R-ATT-4) as plain Python: the schedule's blocks
of work that day, the check-ins and check-outs, the policy's grace and threshold.
`telesales.attendance.judge` gathers the data of a whole range and writes the outcome.

A finding is {kind, minutes, share}: `share` is the part of a day's wage at stake
(a half day: 0.5). Times are aware datetimes in the schedule's time zone.
"""
from datetime import timedelta

# Check-ins this long before a day's first block (or after its last) still belong to it.
MARGIN = timedelta(hours=4)


def absence(halves, minutes):
    """Two halves or more: the whole day; less: half a day (R-ATT-4)."""
    full = halves >= 2 - 1e-6
    return {"kind": "full_day" if full else "half_day", "minutes": minutes, "share": 1.0 if full else 0.5}


def day_attendances(blocks, attendances):
    """The (check in, check out or None) pairs that belong to the day of `blocks`."""
    window = (blocks[0][0] - MARGIN, blocks[-1][1] + MARGIN)
    return [(start, stop) for start, stop in attendances
            if start < window[1] and (stop is None or stop > window[0])]


def judge_day(blocks, planned_blocks, attendances, grace, threshold, overtime_hours=0.0):
    """[{kind, minutes, share}] for one employee's day.

    `blocks`: the [(begin, end)] left to work that day (leave taken out); `planned_blocks`:
    how many blocks the schedule plans that day (a missing block of a two-block day is
    half a day); `attendances`: that day's check-ins (see `day_attendances`); late and
    early in whole minutes: up to `grace` nothing, up to `threshold` a deduction (R-ATT-2),
    beyond it half a day absent (R-ATT-3); `overtime_hours` owed for a missed daily
    minimum (R-CALL-5) must be worked after the last block."""
    covered = [any(start < end and (stop is None or stop > begin) for start, stop in attendances)
               for begin, end in blocks]
    if not any(covered):
        return [absence(len(blocks) * 2 / planned_blocks, 0)]
    findings, halves, minutes_off = [], covered.count(False) * 2 / planned_blocks, 0
    first = blocks[covered.index(True)]
    last = blocks[len(covered) - 1 - covered[::-1].index(True)]
    arrived = min(start for start, _stop in attendances)
    late = max(0, int((arrived - first[0]).total_seconds() // 60))
    if any(stop is None for _start, stop in attendances):
        findings.append({"kind": "missing_checkout", "minutes": 0, "share": 0})
        early, left = 0, None
    else:
        left = max(stop for _start, stop in attendances)
        early = max(0, int((last[1] - left).total_seconds() // 60))
    for kind, minutes in (("late", late), ("early", early)):
        if minutes <= grace:
            continue
        if minutes <= threshold:
            findings.append({"kind": kind, "minutes": minutes, "share": 0})
        else:
            halves += 1
            minutes_off = max(minutes_off, minutes)
    if halves:
        day_off = absence(halves, minutes_off)
        if day_off["kind"] == "full_day":
            # The whole day is counted absent: no lateness deduction on top of it.
            findings = [found for found in findings if found["kind"] not in ("late", "early")]
        findings.append(day_off)
    if overtime_hours and left and left < last[1] + timedelta(hours=overtime_hours) and halves < 2:
        findings.append({"kind": "overtime", "minutes": int(
            (last[1] + timedelta(hours=overtime_hours) - left).total_seconds() // 60), "share": 0})
    return findings
