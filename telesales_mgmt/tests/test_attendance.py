from datetime import date, datetime, timedelta

import pytz
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import TelesalesCase
from .cron_common import CronBatchesMixin

SHANGHAI = pytz.timezone("Asia/Shanghai")
# November 2026 has 21 weekdays: a monthly wage of 4,200 is 200 a day.
MONDAY = date(2026, 11, 16)


def utc(day, hhmm):
    """Naive UTC of a Shanghai wall-clock time, as hr.attendance stores it."""
    hours, minutes = map(int, hhmm.split(":"))
    local = SHANGHAI.localize(datetime.combine(day, datetime.min.time()) + timedelta(hours=hours, minutes=minutes))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


@tagged("post_install", "-at_install")
class TestAttendanceJudge(CronBatchesMixin, TelesalesCase):
    """R-ATT-1 … R-ATT-5: each day judged against the employee's own schedule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create({
            "name": "Office 9-18", "tz": "Asia/Shanghai", "attendance_ids": [
                (0, 0, {"name": f"{day} {period}", "dayofweek": str(day), "hour_from": start,
                        "hour_to": stop, "day_period": period})
                for day in range(5)
                for start, stop, period in ((9, 12, "morning"), (12, 13, "lunch"), (13, 18, "afternoon"))]})
        cls.env.user.tz = "Asia/Shanghai"  # public holidays are days in the user's time zone
        cls.employee = cls.emp_agent
        cls.employee.write({"resource_calendar_id": cls.calendar.id, "tz": "Asia/Shanghai"})
        cls.employee.version_id.wage = 4200
        cls.policy = cls.env["telesales.attendance.policy"]._for(cls.company)
        cls.Incident = cls.env["telesales.attendance.incident"]
        cls.Judge = cls.env["telesales.attendance.judge"]
        cls.user_hr_attendance = new_test_user(
            cls.env, login="t_hr_att", groups="base.group_user,hr_attendance.group_hr_attendance_officer")

    def _attend(self, day, start, stop, employee=None):
        return self.env["hr.attendance"].create({
            "employee_id": (employee or self.employee).id, "check_in": utc(day, start),
            "check_out": utc(day, stop) if stop else False})

    def _judge(self, day, until=None, employee=None):
        with freeze_time(datetime.combine((until or day) + timedelta(days=2), datetime.min.time())):
            self.created = self.Judge._judge(employee or self.employee, day, until or day)
        return self.Incident.search([("employee_id", "=", (employee or self.employee).id),
                                     ("date", ">=", day), ("date", "<=", until or day)])

    def test_on_time_is_nothing(self):
        self._attend(MONDAY, "08:55", "18:02")
        self.assertFalse(self._judge(MONDAY))

    def test_exactly_15_minutes_late_is_a_deduction(self):
        self._attend(MONDAY, "09:15", "18:00")
        incident = self._judge(MONDAY)
        self.assertEqual((incident.kind, incident.minutes, incident.bonus_deduction, incident.wage_deduction),
                         ("late", 15, 50, 0))

    def test_16_minutes_late_is_half_a_day_absent(self):
        self._attend(MONDAY, "09:16", "18:00")
        incident = self._judge(MONDAY)
        self.assertEqual((incident.kind, incident.minutes, incident.bonus_deduction, incident.wage_deduction),
                         ("half_day", 16, 100, 100))

    def test_early_leave_same_edges(self):
        self._attend(MONDAY, "09:00", "17:45")
        self.assertEqual(self._judge(MONDAY).mapped("kind"), ["early"])
        self.env["hr.attendance"].search([("employee_id", "=", self.employee.id)]).check_out = utc(MONDAY, "17:44")
        incident = self._judge(MONDAY)
        self.assertEqual((incident.kind, incident.minutes), ("half_day", 16))

    def test_grace(self):
        self.policy.grace_minutes = 5
        self._attend(MONDAY, "09:05", "18:00")
        self.assertFalse(self._judge(MONDAY))

    def test_no_attendance_is_a_full_day_with_a_warning(self):
        incident = self._judge(MONDAY)
        self.assertEqual((incident.kind, incident.bonus_deduction, incident.wage_deduction), ("full_day", 200, 200))
        warning = self.env["telesales.discipline"].search([("incident_id", "=", incident.id)])
        self.assertEqual((warning.kind, warning.employee_id), ("warning", self.employee))

    def test_one_half_only_is_half_a_day(self):
        self._attend(MONDAY, "08:58", "12:01")
        incident = self._judge(MONDAY)
        self.assertEqual((incident.kind, incident.wage_deduction), ("half_day", 100))

    def test_missing_checkout_is_its_own_incident(self):
        self._attend(MONDAY, "09:00", None)
        self.assertEqual(self._judge(MONDAY).mapped("kind"), ["missing_checkout"])

    def test_weekend_and_public_holiday(self):
        self.assertFalse(self._judge(MONDAY - timedelta(days=1)), "Sunday")
        self.env["resource.calendar.leaves"].create({
            "name": "Holiday", "calendar_id": self.calendar.id, "resource_id": False,
            "date_from": utc(MONDAY, "00:00"), "date_to": utc(MONDAY, "23:59")})
        self.assertFalse(self._judge(MONDAY), "a public holiday is no absence")

    def test_half_day_leave_plus_half_day_absence(self):
        leave_type = self.env["hr.leave.type"].create({
            "name": "Personal", "requires_allocation": False, "leave_validation_type": "no_validation",
            "request_unit": "half_day"})
        leave = self.env["hr.leave"].create({
            "employee_id": self.employee.id, "holiday_status_id": leave_type.id,
            "request_date_from": MONDAY, "request_date_to": MONDAY,
            "request_date_from_period": "am", "request_date_to_period": "am"})
        self.assertEqual(leave.state, "validate")
        incident = self._judge(MONDAY)
        self.assertEqual((incident.kind, incident.wage_deduction), ("half_day", 100),
                         "the morning is leave, the afternoon is missing")
        self._attend(MONDAY, "13:00", "18:00")
        self.assertFalse(self._judge(MONDAY), "leave in the morning, at work after lunch")

    def test_night_shift_crossing_midnight(self):
        night = self.env["resource.calendar"].create({
            "name": "Night", "tz": "Asia/Shanghai", "attendance_ids": [
                (0, 0, {"name": f"{day} {start}", "dayofweek": str(weekday), "hour_from": start,
                        "hour_to": stop, "day_period": period})
                for day in range(5)
                for weekday, start, stop, period in ((day, 22, 24, "afternoon"), (day + 1, 0, 6, "morning"))]})
        self.employee.resource_calendar_id = night
        self._attend(MONDAY, "22:10", "23:59")
        self.env["hr.attendance"].create({"employee_id": self.employee.id,
                                          "check_in": utc(MONDAY + timedelta(days=1), "00:00"),
                                          "check_out": utc(MONDAY + timedelta(days=1), "06:01")})
        incident = self._judge(MONDAY)
        self.assertEqual((incident.kind, incident.minutes), ("late", 10),
                         "one shift from 22:00 to 06:00, judged on the day it starts")

    def test_three_consecutive_absences_across_a_weekend(self):
        thursday = MONDAY + timedelta(days=3)
        self._attend(thursday + timedelta(days=1), "09:00", "18:00")  # Friday at work
        self._judge(MONDAY, thursday + timedelta(days=4))  # absent Mon-Thu, at work Fri, absent Mon
        reviews = self.env["telesales.discipline"].search(
            [("employee_id", "=", self.employee.id), ("kind", "=", "dismissal_review")])
        self.assertEqual(len(reviews.filtered(lambda r: r.review_key.startswith("consecutive"))), 1)
        self.assertTrue(reviews.activity_ids, "HR has something to decide")

    def test_weekend_does_not_break_a_run(self):
        friday = MONDAY + timedelta(days=4)
        for day in (MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)):
            self._attend(day, "09:00", "18:00")
        self._judge(MONDAY, friday + timedelta(days=3))  # absent Thu, Fri, (weekend), Mon
        review = self.env["telesales.discipline"].search(
            [("employee_id", "=", self.employee.id), ("kind", "=", "dismissal_review")])
        self.assertEqual(review.review_key, f"consecutive-{MONDAY + timedelta(days=3)}")
        self.assertEqual(len(review.evidence_ids), 3)

    def test_two_absences_then_work_is_no_run(self):
        self._attend(MONDAY + timedelta(days=2), "09:00", "18:00")
        self._judge(MONDAY, MONDAY + timedelta(days=3))  # absent Mon, Tue, Thu
        self.assertFalse(self.env["telesales.discipline"].search(
            [("employee_id", "=", self.employee.id), ("kind", "=", "dismissal_review")]))

    def test_five_in_a_year_once(self):
        days = [MONDAY - timedelta(weeks=week) for week in range(5)]  # five Mondays, apart
        for day in days:
            for other in range(1, 5):
                self._attend(day + timedelta(days=other), "09:00", "18:00")
        self._judge(days[-1], MONDAY + timedelta(days=4))
        self._judge(days[-1], MONDAY + timedelta(days=4))  # a rerun opens nothing more
        reviews = self.env["telesales.discipline"].search(
            [("employee_id", "=", self.employee.id), ("kind", "=", "dismissal_review")])
        self.assertEqual(reviews.mapped("review_key"), ["yearly-2026"])

    def test_waiving(self):
        incident = self._judge(MONDAY)
        with self.assertRaisesText(UserError, "Only HR"):
            incident.with_user(self.user_leader).action_waive()
        with self.assertRaisesText(UserError, "Waiver Reason"):
            incident.with_user(self.user_hr_attendance).action_waive()
        incident.waive_reason = "Badge reader broken"
        incident.with_user(self.user_hr_attendance).action_waive()
        self.assertEqual((incident.state, incident.bonus_deduction, incident.wage_deduction), ("waived", 0, 0))
        self.assertEqual(self.env["telesales.discipline"].search([("incident_id", "=", incident.id)]).state,
                         "cancelled")
        self.assertEqual(self._judge(MONDAY), incident, "re-judging keeps a waived incident")

    def test_rerun_never_duplicates(self):
        self._attend(MONDAY, "09:10", "17:50")
        first = self._judge(MONDAY, MONDAY + timedelta(days=4))
        second = self._judge(MONDAY, MONDAY + timedelta(days=4))
        self.assertEqual(first, second, "the same incidents")
        self.assertFalse(self.created, "a rerun creates nothing")
        self.assertEqual(len(second), 6, "late and early on Monday, absent Tuesday to Friday")

    def test_correcting_a_judged_day_judges_it_again(self):
        self.company.telesales_attendance_judged_until = MONDAY
        self.assertEqual(self._judge(MONDAY).kind, "full_day")
        with freeze_time("2026-11-18 02:00:00"):
            self._attend(MONDAY, "09:20", "18:00")  # HR adds the forgotten attendance
        incident = self.Incident.search([("employee_id", "=", self.employee.id), ("date", "=", MONDAY)])
        self.assertEqual(incident.kind, "half_day", "judged again: 20 minutes late")
        self.assertFalse(self.env["telesales.discipline"].search(
            [("employee_id", "=", self.employee.id), ("kind", "=", "warning")]), "the warning went too")

    def test_overtime_owed(self):
        self.env["telesales.daily.minimum"].create({
            "employee_id": self.employee.id, "user_id": self.user_agent.id, "date": MONDAY,
            "overtime_hours": 1.0, "company_id": self.company.id})
        attendance = self._attend(MONDAY, "09:00", "18:30")
        incident = self._judge(MONDAY)
        self.assertEqual((incident.kind, incident.minutes), ("overtime", 30))
        attendance.check_out = utc(MONDAY, "19:00")
        self.assertFalse(self._judge(MONDAY))

    def test_cron_judges_yesterday_once(self):
        self.env["hr.employee"].search([("telesales_role", "!=", False), ("id", "!=", self.employee.id)]).write(
            {"telesales_role": False})
        self.company.telesales_attendance_judged_until = False
        with freeze_time("2026-11-17 02:00:00"):  # Tuesday 10:00 in Shanghai
            self.Judge._cron_judge()
            count = self.Incident.search_count([("employee_id", "=", self.employee.id)])
            self.Judge._cron_judge()
        self.assertEqual(count, 1)
        self.assertEqual(self.Incident.search_count([("employee_id", "=", self.employee.id)]), 1)
        self.assertEqual(self.company.telesales_attendance_judged_until, MONDAY)

    def test_cron_in_batches_of_days_resumes(self):
        """Batches of days (`telesales.cron`): the judged-until day moves with each batch,
        so a run cut short resumes with the next day, to the same incidents."""
        self.env["hr.employee"].search([("telesales_role", "!=", False), ("id", "!=", self.employee.id)]).write(
            {"telesales_role": False})
        # Monday late, Tuesday absent, Wednesday on time, Thursday early, Friday absent.
        self._attend(MONDAY, "09:20", "18:00")
        self._attend(MONDAY + timedelta(days=2), "08:55", "18:05")
        self._attend(MONDAY + timedelta(days=3), "09:00", "17:40")
        self.company.telesales_attendance_judged_until = MONDAY - timedelta(days=1)

        def run(**kwargs):
            with freeze_time("2026-11-21 02:00:00"):  # Saturday 10:00 in Shanghai
                self.Judge._cron_judge(**kwargs)

        def snapshot():
            disciplines = self.env["telesales.discipline"].search([("employee_id", "=", self.employee.id)])
            return ({(i.date, i.kind, i.minutes, i.state)
                     for i in self.Incident.search([("employee_id", "=", self.employee.id)])},
                    {(d.date, d.kind, d.review_key) for d in disciplines},
                    self.company.telesales_attendance_judged_until)

        self._assert_resumes(run, snapshot)

    def test_month_summary(self):
        self._attend(MONDAY, "09:10", "18:00")
        self._judge(MONDAY, MONDAY + timedelta(days=1))
        row = self.env["telesales.attendance.summary"].search([("employee_id", "=", self.employee.id)])
        self.assertEqual((row.late_count, row.full_day_count, row.warning_count, row.bonus_deduction,
                          row.wage_deduction), (1, 1, 1, 250, 200))

    def test_policy_is_checked(self):
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self.policy.late_deduction = -1
        with self.assertRaisesText(ValidationError, "cannot be below the grace"):
            self.policy.write({"grace_minutes": 20, "threshold_minutes": 15})
        with self.assertRaisesText(ValidationError, "at least 1 day"):
            self.policy.review_consecutive_days = 0

    def test_access_per_role(self):
        self._judge(MONDAY)
        self._judge(MONDAY, employee=self.emp_agent_other)
        Incident = self.Incident
        self.assertEqual(Incident.with_user(self.user_agent).search([]).employee_id, self.employee)
        self.assertNotIn(self.emp_agent_other, Incident.with_user(self.user_leader).search([]).employee_id)
        self.assertIn(self.emp_agent_other, Incident.with_user(self.user_manager).search([]).employee_id)
        self.assertIn(self.emp_agent_other, Incident.with_user(self.user_hr_attendance).search([]).employee_id)
        self.assertIn(self.emp_agent_other, Incident.with_user(self.user_hr).search([]).employee_id, "HR officers too")
        self.assertIn(self.emp_agent_other, self.env["telesales.attendance.summary"].with_user(self.user_hr).search(
            []).employee_id)
        self.assertEqual(self.env["telesales.attendance.summary"].with_user(self.user_agent).search([]).employee_id,
                         self.employee)
        mine = Incident.with_user(self.user_agent).search([], limit=1)
        with self.assertRaises(AccessError):
            mine.write({"bonus_deduction": 0})
        with self.assertRaises(AccessError):
            self.env["telesales.discipline"].with_user(self.user_agent).create({
                "employee_id": self.employee.id, "kind": "reward", "reason": "self-service"})

    def test_clocking_for_someone_else_penalises_the_leader_too(self):
        wizard = self.env["telesales.clocking.fraud"].with_user(self.user_hr).create({
            "employee_id": self.employee.id, "reason": "Clocked in for Agent 2 on the 16th"})
        wizard.action_record()
        records = self.env["telesales.discipline"].search([("reason", "ilike", "Agent 2 on the 16th")])
        self.assertEqual(records.employee_id, self.employee | self.emp_leader)
        self.assertEqual(set(records.mapped("kind")), {"demerit"})

    def test_history_stays_with_the_team_it_was_written_for(self):
        """Incidents and discipline records keep the team (and user, company) of the day
        they were written: after a team change the old leader still sees them, the new
        one does not; records written after the move go to the new team."""
        self._judge(MONDAY)  # absent: a full day and its warning
        Discipline = self.env["telesales.discipline"]
        old = self.Incident.search([("employee_id", "=", self.employee.id)])
        warning = Discipline.search([("employee_id", "=", self.employee.id)])
        self.assertTrue(old and warning)
        self.employee.telesales_team_id = self.team_2
        self.env.flush_all()
        self.assertEqual((old.team_id, warning.team_id), (self.team, self.team))
        self.assertEqual((old.user_id, old.company_id), (self.user_agent, self.company))
        self.assertEqual(self.Incident.with_user(self.user_leader).search([("id", "=", old.id)]), old)
        self.assertEqual(Discipline.with_user(self.user_leader).search([("id", "=", warning.id)]), warning)
        self.assertFalse(self.Incident.with_user(self.user_leader_2).search([("id", "=", old.id)]))
        self.assertFalse(Discipline.with_user(self.user_leader_2).search([("id", "=", warning.id)]))
        later = Discipline.with_user(self.user_hr).create({
            "employee_id": self.employee.id, "kind": "reward", "reason": "Best month"})
        self.assertEqual((later.team_id, later.user_id, later.company_id), (self.team_2, self.user_agent, self.company))
        self.assertTrue(Discipline.with_user(self.user_leader_2).search([("id", "=", later.id)]))

    def test_day_wage_is_the_one_in_force_that_day(self):
        """A raise on the 20th: an absence on the 16th costs a day of the old wage, one on
        the 23rd a day of the new one (21 working days in November 2026)."""
        self.employee.version_id.write({"date_version": date(2026, 1, 1), "wage": 4200})
        self.employee.create_version({"date_version": date(2026, 11, 20), "wage": 8400})
        before = self._judge(MONDAY).filtered(lambda i: i.kind == "full_day")
        after = self._judge(MONDAY + timedelta(days=7)).filtered(lambda i: i.kind == "full_day")
        self.assertEqual((before.wage_deduction, after.wage_deduction), (200, 400))

    def test_judged_in_the_schedule_time_zone(self):
        """A browser in UTC set the agent's own time zone: the day is still read in the
        schedule's (Asia/Shanghai), so a 07:50 check-in is early, not an absence."""
        self.employee.tz = "UTC"
        self.user_agent.tz = "UTC"
        self._attend(MONDAY, "07:50", "18:05")
        self.assertFalse(self._judge(MONDAY))

    def test_correcting_judges_the_schedules_day_again(self):
        """HR adds a 07:50 Shanghai check-in (23:50 UTC the day before) for an agent whose
        browser set UTC: the Shanghai day is judged again, not the UTC one."""
        self.employee.tz = "UTC"
        self.company.telesales_attendance_judged_until = MONDAY
        self.assertEqual(self._judge(MONDAY).kind, "full_day")
        with freeze_time("2026-11-18 02:00:00"):
            self._attend(MONDAY, "07:50", "18:05")
        self.assertFalse(self.Incident.search([("employee_id", "=", self.employee.id), ("date", "=", MONDAY)]))

    def test_who_is_judged_is_a_policy_setting(self):
        """R-ATT-1: agents and leaders by default; the manager and customer service, who
        have no check-ins, only when the policy says so, by the cron and Judge Again alike."""
        staff = self.emp_manager | self.emp_service
        staff.write({"resource_calendar_id": self.calendar.id, "tz": "Asia/Shanghai"})
        self.assertEqual(self.policy._judged_roles(), {"agent", "leader"})

        def judge_again():
            with freeze_time(datetime.combine(MONDAY + timedelta(days=2), datetime.min.time())):
                self.env["telesales.attendance.rejudge"].with_user(self.user_hr).create({
                    "employee_ids": staff.ids, "date_from": MONDAY, "date_to": MONDAY}).action_judge()
            return self.Incident.search([("employee_id", "in", staff.ids)])

        self.assertFalse(judge_again(), "the manager is not marked absent by default")
        self.assertFalse(self._judge(MONDAY, employee=self.emp_manager))
        self.policy.judge_manager = True
        self.assertEqual(judge_again().mapped(lambda i: (i.employee_id, i.kind)), [(self.emp_manager, "full_day")])
        self.env["hr.employee"].search([("telesales_role", "!=", False), ("id", "not in", staff.ids)]).write(
            {"telesales_role": False})
        self.company.telesales_attendance_judged_until = False
        self.policy.judge_manager = False
        self.policy.judge_service = True
        with freeze_time("2026-11-17 02:00:00"):  # Tuesday 10:00 in Shanghai
            self.Judge._cron_judge()
        self.assertEqual(self.Incident.search([("employee_id", "=", self.emp_service.id)]).kind, "full_day",
                         "the cron judges customer service once the policy includes it")
