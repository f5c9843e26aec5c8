from datetime import timedelta

import pytz

from odoo import api, models


class HrAttendance(models.Model):
    _inherit = "hr.attendance"

    # A day already judged is judged again when HR corrects its attendances, so that no
    # stale incident stays behind.

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        attendances._telesales_rejudge(attendances._telesales_days())
        return attendances

    def write(self, vals):
        days = self._telesales_days() if {"check_in", "check_out", "employee_id"} & set(vals) else set()
        res = super().write(vals)
        if days:
            self._telesales_rejudge(days | self._telesales_days())
        return res

    def unlink(self):
        days = self._telesales_days()
        res = super().unlink()
        self._telesales_rejudge(days)
        return res

    def _telesales_days(self):
        """{(employee, local day of the check-in)} of these attendances, in the time zone
        the judge reads them in (the schedule's, not the browser-set employee's)."""
        Workday = self.env["telesales.workday"]
        days = set()
        for attendance in self.filtered("check_in"):
            employee = attendance.employee_id
            tz = Workday._tz_of(employee, employee.resource_calendar_id or employee.company_id.resource_calendar_id)
            days.add((employee, pytz.utc.localize(attendance.check_in).astimezone(pytz.timezone(tz)).date()))
        return days

    def _telesales_rejudge(self, days):
        for employee, day in days:
            judged_until = employee.sudo().company_id.telesales_attendance_judged_until
            if judged_until and day <= judged_until:
                # The day before too: a night shift that started then may end on this day.
                self.env["telesales.attendance.judge"]._judge(employee, day - timedelta(days=1), day)
