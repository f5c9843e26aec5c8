from datetime import date, timedelta

from odoo.exceptions import AccessError
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


@tagged("post_install", "-at_install")
class TestHolidays2026(TelesalesCase):
    """The State Council's 2026 schedule (data/telesales_holiday_2026_data.xml): a
    company's administrator loads it for their current company; a second run adds only
    what is missing; the working-day helper then skips the holidays and works the
    make-up Saturdays."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["res.company"].create({"name": "Telesales Shenzhen"})
        cls.user_admin.write({"company_ids": [(4, cls.other.id)]})
        cls.action = cls.env.ref("telesales_mgmt.action_load_holidays_cn_2026")
        cls.Exception = cls.env["telesales.day.exception"]

    def _load(self):
        self.action.with_user(self.user_admin).with_context(allowed_company_ids=[self.other.id]).run()
        return self.Exception.search([("company_id", "=", self.other.id)])

    def test_load_for_a_company_once(self):
        kept = self.Exception.create({"name": "公司年会", "date": "2026-01-02", "kind": "holiday",
                                      "company_id": self.other.id})
        days = self._load()
        self.assertEqual(len(days), 39, "33 days off and 6 make-up working days")
        self.assertEqual(len(days.filtered(lambda day: day.kind == "workday")), 6)
        self.assertEqual(days.filtered(lambda day: str(day.date) == "2026-01-02"), kept, "an existing row is kept")
        self.assertEqual(self._load(), days, "a second run adds nothing")
        self.assertFalse(self.Exception.search([("company_id", "=", self.other.id), ("date", "<", "2026-01-01")]))

    def test_only_who_edits_the_table_loads_it(self):
        self.Exception.search([("company_id", "=", self.company.id)]).unlink()
        with self.assertRaises(AccessError):
            self.action.with_user(self.user_agent).run()
        self.action.with_user(self.user_admin).run()
        self.assertEqual(self.Exception.search_count([("company_id", "=", self.company.id)]), 39)

    def test_working_days_around_the_spring_festival(self):
        self._load()
        calendar = self.env["resource.calendar"].create({
            "name": "Mon-Fri Shanghai", "tz": "Asia/Shanghai", "company_id": self.other.id, "attendance_ids": [
                (0, 0, {"name": str(d), "dayofweek": str(d), "hour_from": 9, "hour_to": 18,
                        "day_period": "morning"}) for d in range(5)]})
        self.other.resource_calendar_id = calendar
        Workday = self.env["telesales.workday"]
        working = [day for day in (date(2026, 2, 13) + timedelta(days=n) for n in range(12))
                   if Workday._is_company_working_day(self.other, day)]
        self.assertEqual(working, [date(2026, 2, 13), date(2026, 2, 14), date(2026, 2, 24)],
                         "Friday, the make-up Saturday, then over the Spring Festival to Tuesday")
        self.assertTrue(Workday._is_company_working_day(self.other, date(2026, 9, 20)), "a make-up Sunday")
        self.assertFalse(Workday._is_company_working_day(self.other, date(2026, 10, 5)), "National Day")
