from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import pytz

from odoo import api, models
from odoo.tools.intervals import Intervals

# A make-up working day (调休上班) follows the schedule of a regular Monday.
MAKE_UP_WEEKDAY = "0"


@dataclass
class Shift:
    """One working day of one employee: hours and blocks planned by the schedule, and the
    blocks of work left after leave."""
    planned: float = 0.0
    planned_blocks: int = 0
    blocks: list = field(default_factory=list)


class TelesalesWorkday(models.AbstractModel):
    """The one place that answers "is this a working day for this employee, and what are
    its hours?": the employee's schedule (as of that day), public holidays and approved
    leave (calendar leaves), corrected by the company's day exceptions. Every rule that
    counts working days goes through it."""

    _name = "telesales.workday"
    _description = "Telesales Working Days"

    @api.model
    def _calendar_of(self, employee, day):
        """The schedule that applies to `employee` on `day`; never a 24x7 guess: fall back
        to the company's schedule, and to none at all (no working time)."""
        calendar = employee._get_calendars(day).get(employee.id) if employee else None
        return calendar or employee.company_id.resource_calendar_id or self.env.company.resource_calendar_id

    @api.model
    def _tz_of(self, employee, calendar):
        """The time zone in which clock times are compared with an employee's schedule:
        the schedule's, else the department's. Never the employee's or user's own, which a
        browser sets on first login (a UTC browser would move a Shanghai day by eight
        hours and turn 07:50 check-ins into absences)."""
        return (calendar.tz if calendar else None) or employee.company_id.telesales_tz or "UTC"

    @api.model
    def _exception_of(self, company, day):
        return self.env["telesales.day.exception"].sudo().search(
            [("company_id", "=", company.id), ("date", "=", day)], limit=1)

    @api.model
    def _work_intervals(self, employee, day):
        """Working intervals of `employee` on `day`, as [(start, stop)] aware datetimes."""
        calendar = self._calendar_of(employee, day)
        if not calendar:
            return []
        exception = self._exception_of(employee.company_id, day)
        if exception.kind == "holiday":
            return []
        tz = pytz.timezone(employee.tz or calendar.tz or "UTC")
        start = tz.localize(datetime.combine(day, time.min))
        stop = start + timedelta(days=1)
        resource = employee.resource_id
        if exception.kind == "workday":
            intervals = self._make_up_intervals(exception.calendar_id or calendar, day, tz)
            leaves = calendar._leave_intervals_batch(start, stop, resource, tz=tz)[resource.id]
            intervals = intervals - leaves
        else:
            intervals = calendar._work_intervals_batch(start, stop, resource, tz=tz)[resource.id]
        return [(begin, end) for begin, end, _meta in intervals]

    @api.model
    def _make_up_intervals(self, calendar, day, tz):
        lines = calendar.attendance_ids.filtered(
            lambda a: a.dayofweek == MAKE_UP_WEEKDAY and a.day_period != "lunch"
            and not a.week_type)
        return Intervals([
            (tz.localize(datetime.combine(day, time.min) + timedelta(hours=line.hour_from)),
             tz.localize(datetime.combine(day, time.min) + timedelta(hours=line.hour_to)),
             line)
            for line in lines])

    @api.model
    def _is_working_day(self, employee, day):
        return bool(self._working_employees(employee, day))

    @api.model
    def _working_employees(self, employees, day):
        """The employees who work on `day`: `_is_working_day` for many at once."""
        shifts = self._shifts(employees, day, day)
        return employees.filtered(lambda e: shifts.get(e.id, {}).get(day, Shift()).blocks)

    @api.model
    def _is_company_working_day(self, company, day):
        """Working day for the company as a whole (its own schedule, public holidays and
        day exceptions), for rules that are not about one person: calling days, SLAs."""
        return day in self._company_working_days(company, day, day)

    @api.model
    def _company_working_days(self, company, date_from, date_to):
        """The company's working days in [date_from, date_to] (`_is_company_working_day`
        for a range): one query for the day exceptions, one walk of the schedule."""
        exceptions = {exception.date: exception.kind for exception in self.env["telesales.day.exception"].sudo().search(
            [("company_id", "=", company.id), ("date", ">=", date_from), ("date", "<=", date_to)])}
        days = [date_from + timedelta(days=n) for n in range((date_to - date_from).days + 1)]
        calendar = company.resource_calendar_id
        if calendar:
            tz = pytz.timezone(calendar.tz or "UTC")
            start = tz.localize(datetime.combine(date_from, time.min))
            stop = tz.localize(datetime.combine(date_to + timedelta(days=1), time.min))
            worked = set()
            for begin, end, _meta in calendar._work_intervals_batch(start, stop, tz=tz)[False]:
                # Every day the interval touches (a night shift works two days).
                worked.update(begin.date() + timedelta(days=n)
                              for n in range(((end - timedelta(microseconds=1)).date() - begin.date()).days + 1))
        else:
            worked = {day for day in days if day.weekday() < 5}
        return {day for day in days if exceptions.get(day, "workday" if day in worked else "holiday") == "workday"}

    @api.model
    def _shifts(self, employees, date_from, date_to, schedule_tz=False):
        """{employee id: {day: Shift}} for each working day in [date_from, date_to]: the
        hours planned by their schedule (as of date_from, without public holidays, with the
        company's day exceptions), and the blocks of work left once approved leave is
        taken out, aware datetimes in the employee's time zone, or with `schedule_tz` in the
        schedule's (`_tz_of`: for rules that compare clock instants with the schedule, like
        the attendance judge; Odoo places leave in the employee's). A block is a stretch of
        contiguous work: a lunch break splits the day in two, a night shift running past midnight stays one block and
        belongs to the day it starts. One calendar computation per schedule and time
        zone for the whole range."""
        result = defaultdict(lambda: defaultdict(Shift))
        calendars = employees._get_calendars(date_from)
        groups = defaultdict(list)
        for employee in employees:
            calendar = (calendars.get(employee.id) or employee.company_id.resource_calendar_id
                        or self.env.company.resource_calendar_id)
            if calendar:
                tz_name = self._tz_of(employee, calendar) if schedule_tz else employee.tz or calendar.tz or "UTC"
                groups[calendar, tz_name].append(employee.id)
        exceptions = self.env["telesales.day.exception"].sudo().search(
            [("company_id", "in", employees.company_id.ids),
             ("date", ">=", date_from), ("date", "<=", date_to)])
        by_company = defaultdict(dict)
        for exception in exceptions:
            by_company[exception.company_id.id][exception.date] = exception
        for (calendar, tz_name), ids in groups.items():
            members = employees.browse(ids)
            tz = pytz.timezone(tz_name)
            start = tz.localize(datetime.combine(date_from, time.min))
            # One day more: a night shift starting on date_to ends the day after.
            stop = tz.localize(datetime.combine(date_to + timedelta(days=2), time.min))
            resources = members.resource_id
            work = calendar._attendance_intervals_batch(start, stop, resources, tz=tz)
            leaves = calendar._leave_intervals_batch(start, stop, resources, tz=tz)
            for employee in members:
                rid = employee.resource_id.id
                days = by_company[employee.company_id.id]
                intervals = [(a, self._midnight(b)) for a, b, _meta in work[rid]
                             if days.get(a.date(), self.env["telesales.day.exception"]).kind != "holiday"]
                for day, exception in days.items():
                    if exception.kind == "workday":
                        intervals += [(a, self._midnight(b)) for a, b, _meta in self._make_up_intervals(
                            exception.calendar_id or calendar, day, tz)]
                # Intervals merges what touches: 22:00-24:00 and 00:00-06:00 make one block.
                planned = Intervals([(a, b, None) for a, b in sorted(intervals)])
                shifts = result[employee.id]
                for begin, end, _meta in planned:
                    shifts[begin.date()].planned += (end - begin).total_seconds() / 3600
                    shifts[begin.date()].planned_blocks += 1
                for begin, end, _meta in planned - leaves[rid]:
                    shifts[begin.date()].blocks.append((begin, end))
        return {employee: {day: shift for day, shift in days.items() if date_from <= day <= date_to}
                for employee, days in result.items()}

    @api.model
    def _midnight(self, moment):
        """A schedule line "until 24:00" ends at 23:59:59.999999: make it touch the next day."""
        return moment + timedelta(microseconds=1) if moment.time() == time.max else moment
