from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.intervals import Intervals

SEVERITIES = [("general", "General"), ("complex", "Complex"), ("critical", "Critical")]


class TelesalesComplaintSla(models.Model):
    """Working days to answer and solve a complaint (R-CMP-2), by category and/or
    severity. The most specific row wins: category and severity, then category, then
    severity; without a row, the company's default (2 working days)."""

    _name = "telesales.complaint.sla"
    _description = "Complaint Deadline Rule"
    _order = "category_id, severity, id"

    category_id = fields.Many2one("telesales.complaint.category", "Category", help="Empty: any category.")
    severity = fields.Selection(SEVERITIES, help="Empty: any severity.")
    days = fields.Integer("Working Days", required=True, default=2)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    _rule_uniq = models.UniqueIndex("(company_id, COALESCE(category_id, 0), COALESCE(severity, ''))",
                                    "There is already a deadline for this category and severity.")

    @api.constrains("days", "category_id", "severity")
    def _check_days(self):
        for rule in self:
            if rule.days < 1:
                raise ValidationError(self.env._(
                    "Complaint deadlines: %(days)s working days is not a deadline: at least 1 (R-CMP-2).",
                    days=rule.days))
            if not rule.category_id and not rule.severity:
                raise ValidationError(self.env._(
                    "Complaint deadlines: give a category, a severity or both; the default for all is in Settings."))

    @api.model
    def _days_for(self, company, category, severity):
        rules = self.sudo().search([("company_id", "=", company.id),
                                    ("category_id", "in", [category.id, False]),
                                    ("severity", "in", [severity, False])])
        best = max(rules, key=lambda r: (bool(r.category_id) and bool(r.severity), bool(r.category_id)), default=None)
        return best.days if best else company.telesales_complaint_sla_days

    # ------------------------------------------------------------
    # The deadline in working time (R-CMP-2)
    # ------------------------------------------------------------

    @api.model
    def _deadline(self, received, days, calendar, company, risk_share=75.0):
        """(deadline, at-risk moment), naive UTC, of a complaint received at `received`
        (naive UTC) to be answered within `days` working days (R-CMP-2).

        The clock runs in the working hours of `calendar` (the responsible department's,
        else the company's; without attendances: Monday to Friday, whole days), with its
        public holidays and the company's holidays and make-up days (telesales.workday):
        it starts at the next working moment (received on Sunday at 23:14, it starts on
        Monday morning) and the deadline lands in working hours: the same point of the
        working day, `days` working days later, or the end of the day before that when the
        clock starts at a day's first working minute. The at-risk moment is `risk_share` %
        of that working time."""
        calendar = calendar if calendar and calendar.attendance_ids else None
        tz = pytz.timezone((calendar.tz if calendar else None) or company.telesales_tz or "UTC")
        received_local = pytz.utc.localize(received).astimezone(tz)
        working = self._working_days(received_local.date(), calendar, company, tz)
        start = position = None
        following = []  # the working days after the clock's first day
        for day, intervals in working:
            if start is None:
                start = next((max(begin, received_local) for begin, end in intervals if end > received_local), None)
                if start is None:
                    continue
                position = sum((min(end, start) - begin for begin, end in intervals if begin < start), timedelta())
                following = [(day, intervals)]
                continue
            following.append((day, intervals))
            if len(following) > days:
                break
        if start is None or len(following) <= (days if position else max(days - 1, 0)):
            # No working day within two years: a calendar that never works; never 24x7 either.
            return received + timedelta(days=days), received + timedelta(days=days * risk_share / 100.0)
        if days <= 0:
            deadline = start
        elif position:
            deadline = self._point_in(following[days][1], position)
        else:
            deadline = following[days - 1][1][-1][1]
        spans = [(max(begin, start), min(end, deadline)) for _day, intervals in following
                 for begin, end in intervals if end > start and begin < deadline]
        total = sum((end - begin for begin, end in spans), timedelta())
        risk = self._point_in(spans, total * (risk_share / 100.0)) if total else deadline

        def utc(moment):
            return moment.astimezone(pytz.utc).replace(tzinfo=None)

        return utc(deadline), utc(risk)

    @api.model
    def _point_in(self, intervals, position):
        """The moment `position` (a timedelta) of working time into `intervals`; a position
        that ends an interval is the next one's start, if any."""
        for begin, end in intervals:
            if position < end - begin:
                return begin + position
            position -= end - begin
        return intervals[-1][1]

    @api.model
    def _working_days(self, first_day, calendar, company, tz, years=2):
        """Yield (day, [(begin, end)] aware in `tz`) for each working day from `first_day`
        on, for at most `years`: `calendar`'s work intervals without its public holidays
        (or Monday to Friday, whole days), the company's holidays taken out and its make-up
        days (调休上班) added with their own schedule or Monday's (telesales.workday)."""
        Workday = self.env["telesales.workday"]
        Exception_ = self.env["telesales.day.exception"].sudo()
        chunk = 31
        day = first_day
        while day < first_day + timedelta(days=366 * years):
            last = day + timedelta(days=chunk - 1)
            start = tz.localize(datetime.combine(day, time.min))
            stop = tz.localize(datetime.combine(last + timedelta(days=1), time.min))
            exceptions = {exception.date: exception for exception in Exception_.search(
                [("company_id", "=", company.id), ("date", ">=", day), ("date", "<=", last)])}
            per_day = defaultdict(list)
            leaves = Intervals()
            if calendar:
                for begin, end, _meta in calendar._work_intervals_batch(start, stop, tz=tz)[False]:
                    per_day[begin.date()].append((begin, end))
                leaves = calendar._leave_intervals_batch(start, stop, tz=tz)[False]
            for offset in range(chunk):
                current = day + timedelta(days=offset)
                exception = exceptions.get(current)
                whole_day = [(tz.localize(datetime.combine(current, time.min)),
                              tz.localize(datetime.combine(current + timedelta(days=1), time.min)))]
                if exception and exception.kind == "holiday":
                    continue
                if exception and exception.kind == "workday":
                    intervals = [(begin, end) for begin, end, _meta in Workday._make_up_intervals(
                        exception.calendar_id or calendar, current, tz) - leaves] if calendar else whole_day
                elif calendar:
                    intervals = per_day.get(current, [])
                else:
                    intervals = whole_day if current.weekday() < 5 else []
                if intervals:
                    yield current, sorted(intervals)
            day = last + timedelta(days=1)
