from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, models
from odoo.tools.intervals import Intervals

# A make-up working day (调休上班) follows the schedule of a regular Monday.
MAKE_UP_WEEKDAY = "0"


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
        """The employees who work on `day`: `_is_working_day` for many at once, one
        calendar computation per schedule and time zone instead of one per person."""
        calendars = employees._get_calendars(day)
        groups = defaultdict(list)
        for employee in employees:
            calendar = (calendars.get(employee.id) or employee.company_id.resource_calendar_id
                        or self.env.company.resource_calendar_id)
            if calendar:
                groups[calendar, employee.company_id, employee.tz or calendar.tz or "UTC"].append(employee.id)
        working = []
        for (calendar, company, tz_name), ids in groups.items():
            exception = self._exception_of(company, day)
            if exception.kind == "holiday":
                continue
            members = employees.browse(ids)
            tz = pytz.timezone(tz_name)
            start = tz.localize(datetime.combine(day, time.min))
            stop = start + timedelta(days=1)
            if exception.kind == "workday":
                hours = self._make_up_intervals(exception.calendar_id or calendar, day, tz)
                leaves = calendar._leave_intervals_batch(start, stop, members.resource_id, tz=tz)
                working += [e.id for e in members if hours - leaves[e.resource_id.id]]
            else:
                intervals = calendar._work_intervals_batch(start, stop, members.resource_id, tz=tz)
                working += [e.id for e in members if intervals[e.resource_id.id]]
        return employees.browse(working)

    @api.model
    def _is_company_working_day(self, company, day):
        """Working day for the company as a whole (its own schedule, public holidays and
        day exceptions), for rules that are not about one person: calling days, SLAs."""
        exception = self._exception_of(company, day)
        if exception:
            return exception.kind == "workday"
        calendar = company.resource_calendar_id
        if not calendar:
            return day.weekday() < 5
        tz = pytz.timezone(calendar.tz or "UTC")
        start = tz.localize(datetime.combine(day, time.min))
        return bool(calendar._work_intervals_batch(start, start + timedelta(days=1), tz=tz)[False])
