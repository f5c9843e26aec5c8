from datetime import date, timedelta

from odoo.tests import tagged

from .common import TelesalesCase

MONDAY = date(2026, 11, 23)


@tagged("post_install", "-at_install")
class TestWorkday(TelesalesCase):
    """The one helper for working days (design notes): schedule, leave, holidays and the
    company's day exceptions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Workday = cls.env["telesales.workday"]
        cls.calendar = cls.env["resource.calendar"].create({
            "name": "9-18 Shanghai", "tz": "Asia/Shanghai", "attendance_ids": [
                (0, 0, {"name": f"{d} {p}", "dayofweek": str(d), "hour_from": h_from,
                        "hour_to": h_to, "day_period": p})
                for d in range(5) for p, h_from, h_to in (("morning", 9, 12), ("afternoon", 13, 18))]})
        cls.emp_agent.write({"resource_calendar_id": cls.calendar.id, "tz": "Asia/Shanghai"})

    def _hours(self, day):
        intervals = self.Workday._work_intervals(self.emp_agent, day)
        return [(start.strftime("%H:%M"), stop.strftime("%H:%M")) for start, stop in intervals]

    def test_regular_weekday_and_weekend(self):
        self.assertEqual(self._hours(MONDAY), [("09:00", "12:00"), ("13:00", "18:00")])
        self.assertEqual(self._hours(MONDAY + timedelta(days=5)), [])

    def test_holiday_exception_removes_a_weekday(self):
        self.env["telesales.day.exception"].create({"name": "Holiday", "date": MONDAY, "kind": "holiday"})
        self.assertFalse(self.Workday._is_working_day(self.emp_agent, MONDAY))
        self.assertFalse(self.Workday._is_company_working_day(self.company, MONDAY))

    def test_make_up_day_uses_monday_hours(self):
        saturday = MONDAY + timedelta(days=5)
        self.env["telesales.day.exception"].create({"name": "调休", "date": saturday, "kind": "workday"})
        self.assertEqual(self._hours(saturday), [("09:00", "12:00"), ("13:00", "18:00")])
        self.assertTrue(self.Workday._is_company_working_day(self.company, saturday))

    def test_half_day_leave_covers_its_half(self):
        leave_type = self.env["hr.leave.type"].create({
            "name": "Half day", "requires_allocation": False, "leave_validation_type": "no_validation",
            "request_unit": "half_day"})
        self.env["hr.leave"].create({
            "employee_id": self.emp_agent.id, "holiday_status_id": leave_type.id,
            "request_date_from": MONDAY, "request_date_to": MONDAY,
            "request_date_from_period": "am", "request_date_to_period": "am"})
        self.assertEqual(self._hours(MONDAY), [("13:00", "18:00")])

    def test_missing_calendar_falls_back_to_the_company(self):
        self.emp_agent_2.resource_calendar_id = False
        self.assertTrue(self.Workday._work_intervals(self.emp_agent_2, MONDAY),
                        "no own schedule: the company's, never a crash or 24x7")
