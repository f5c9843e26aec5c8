"""Attendance judging (R-ATT-1 … R-ATT-5): 1,000 employees × the 31 days of October 2026,
with realistic attendance (mostly on time, some late, some early, some absent, some on
leave), judged in one go, then judged again (which must create nothing).

Reference: Odoo's own `_work_intervals_batch` for the same employees and month, the
schedule computation alone (what any judge has to start from).
Prints {"bench": "attendance_judge", "employees", "days", "ours_s", "incidents",
"incidents_per_s", "rerun_s", "created_on_rerun", "reference_s", "ratio"}.
"""
import random
import time
from datetime import date, datetime, timedelta

import pytz
import seeding

EMPLOYEES, FIRST, DAYS = 1000, date(2026, 10, 1), 31
SHANGHAI = pytz.timezone("Asia/Shanghai")


def _utc(day, hours):
    local = SHANGHAI.localize(datetime.combine(day, datetime.min.time()) + timedelta(hours=hours))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def _build(env):
    teams = seeding.generate_department(env, agents=EMPLOYEES, team_size=10)
    employees = teams.telesales_employee_ids
    calendar = env["resource.calendar"].create({
        "name": "Bench 9-18", "tz": "Asia/Shanghai", "attendance_ids": [
            (0, 0, {"name": f"{day} {period}", "dayofweek": str(day), "hour_from": start,
                    "hour_to": stop, "day_period": period})
            for day in range(5)
            for start, stop, period in ((9, 12, "morning"), (12, 13, "lunch"), (13, 18, "afternoon"))]})
    employees.write({"resource_calendar_id": calendar.id, "tz": "Asia/Shanghai"})
    employees.version_id.write({"wage": 4200})
    rng = random.Random(7)
    attendances, leaves = [], []
    for employee in employees:
        for offset in range(DAYS):
            day = FIRST + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            roll, start, stop = rng.random(), 9 - rng.random() / 6, 18 + rng.random() / 6
            if roll < 0.03:
                continue  # absent
            if roll < 0.05:
                leaves.append((employee.resource_id.id, _utc(day, 0), _utc(day, 23.99)))
                continue
            if roll < 0.10:
                start = 9 + rng.randint(1, 15) / 60
            elif roll < 0.12:
                start = 9 + rng.randint(16, 90) / 60
            elif roll < 0.15:
                stop = 18 - rng.randint(1, 40) / 60
            attendances.append((employee.id, day, _utc(day, start), _utc(day, stop), stop - start))
    env.flush_all()
    env.cr.execute("""
        INSERT INTO hr_attendance (employee_id, date, check_in, check_out, worked_hours,
                                   in_mode, out_mode, create_date, write_date, create_uid, write_uid)
        SELECT e, d, i, o, w, 'manual', 'manual', now(), now(), 1, 1
          FROM unnest(%s::int[], %s::date[], %s::timestamp[], %s::timestamp[], %s::float8[]) AS v(e, d, i, o, w)
    """, [list(column) for column in zip(*attendances)])
    env.cr.execute("""
        INSERT INTO resource_calendar_leaves (name, resource_id, calendar_id, company_id, date_from,
                                              date_to, time_type, create_date, write_date, create_uid, write_uid)
        SELECT 'Bench leave', r, %s, %s, f, t, 'leave', now(), now(), 1, 1
          FROM unnest(%s::int[], %s::timestamp[], %s::timestamp[]) AS v(r, f, t)
    """, [calendar.id, env.company.id] + [list(column) for column in zip(*leaves)])
    env.invalidate_all()
    return employees, calendar


def run(env):
    employees, calendar = _build(env)
    last = FIRST + timedelta(days=DAYS - 1)
    Judge = env["telesales.attendance.judge"]

    start = time.perf_counter()
    window = (SHANGHAI.localize(datetime.combine(FIRST, datetime.min.time())),
              SHANGHAI.localize(datetime.combine(last + timedelta(days=1), datetime.min.time())))
    calendar._work_intervals_batch(*window, employees.resource_id)
    reference_s = time.perf_counter() - start
    env.invalidate_all()

    start = time.perf_counter()
    incidents = Judge._judge(employees, FIRST, last)
    env.flush_all()
    ours_s = time.perf_counter() - start

    start = time.perf_counter()
    created = Judge._judge(employees, FIRST, last)
    env.flush_all()
    rerun_s = time.perf_counter() - start
    return [{"bench": "attendance_judge", "employees": len(employees), "days": DAYS,
             "ours_s": round(ours_s, 3), "incidents": len(incidents),
             "incidents_per_s": round(len(incidents) / ours_s, 1), "rerun_s": round(rerun_s, 3),
             "created_on_rerun": len(created), "reference_s": round(reference_s, 3),
             "ratio": round(ours_s / reference_s, 2)}]
