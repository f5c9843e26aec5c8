import base64
import io
from datetime import date

from openpyxl import load_workbook

from odoo.tests import tagged

from .common import TelesalesCase

MARCH = date(2024, 3, 1)  # a month the demo data never reaches


@tagged("post_install", "-at_install")
class TestPerformanceBonus(TelesalesCase):
    """R-INC-1: the rank's bonus base × the grade's coefficient; R-ATT-2/4 deductions come
    off it first, line by line, the rest carried to the wage or dropped (the policy says)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["telesales.commission.plan"].search([]).active = False
        cls.env["telesales.commission.plan"].create({
            "name": "Team 1", "team_ids": [cls.team.id], "gate": 0,
            "tier_ids": [(0, 0, {"lower": 0, "upper": 0, "rate": 10})]})
        cls.company.write({"telesales_bonus_coef_s": 1.5, "telesales_bonus_coef_a": 1.2,
                           "telesales_bonus_coef_b": 1.0, "telesales_bonus_coef_c": 0.6,
                           "telesales_bonus_coef_d": 0.0})
        cls.rank_agent_2.performance_bonus_base = 500
        cls.emp_agent.telesales_rank_id = cls.rank_agent_2
        cls.policy = cls.env["telesales.attendance.policy"]._for(cls.company)
        cls.policy.excess_deduction = "wage"
        cls.Statement = cls.env["telesales.commission.statement"]

    def _appraisal(self, grade="b", state="done", achievement=100.0, employee=None, month=MARCH):
        return self.env["telesales.appraisal"].create({
            "employee_id": (employee or self.emp_agent).id, "period": "month", "date_from": month,
            "date_to": date(month.year, month.month + 1, 1), "state": state, "grade": grade,
            "final_score": 80.0, "achievement": achievement})

    def _incident(self, day, kind, amount, state="confirmed"):
        return self.env["telesales.attendance.incident"].create({
            "employee_id": self.emp_agent.id, "date": date(2024, 3, day), "kind": kind,
            "bonus_deduction": amount, "state": state})

    def _statement(self, user=None):
        self.Statement._make_month_statements(MARCH)
        return self.Statement.search([("month", "=", MARCH), ("user_id", "=", (user or self.user_agent).id)])

    def test_each_grade_coefficient(self):
        appraisal = self._appraisal()
        for grade, bonus in (("s", 750), ("a", 600), ("b", 500), ("c", 300), ("d", 0)):
            with self.subTest(grade=grade):
                appraisal.grade = grade
                statement = self._statement()
                self.assertEqual((statement.performance_bonus, statement.bonus_paid), (bonus, bonus))
                self.assertEqual(statement.total_pay, bonus, "no commission: the bonus is the total")
                self.assertIn(f"Grade {grade.upper()} ×", statement.bonus_note)
        self.company.telesales_bonus_coef_a = 1.3  # an admin's coefficient
        appraisal.grade = "a"
        self.assertEqual(self._statement().performance_bonus, 650)

    def test_no_done_appraisal_no_bonus(self):
        statement = self._statement()
        self.assertEqual(statement.performance_bonus, 0)
        self.assertIn("No bonus: no appraisal of the month", statement.bonus_note)
        appraisal = self._appraisal(grade="s", state="hr")
        statement = self._statement()
        self.assertEqual(statement.performance_bonus, 0, "graded but not done: no bonus yet")
        self.assertIn("not done", statement.bonus_note)
        appraisal.state = "done"
        self.assertEqual(self._statement().performance_bonus, 750)

    def test_deductions_beyond_the_bonus_carried_to_wage(self):
        self._appraisal(grade="c")  # 300
        self._incident(4, "late", 50)
        self._incident(5, "full_day", 200)
        self._incident(6, "half_day", 100)
        self._incident(7, "early", 50, state="waived")  # waived: nothing
        statement = self._statement()
        self.assertEqual((statement.performance_bonus, statement.attendance_deduction, statement.bonus_paid,
                          statement.deduction_carried), (300, 350, 0, 50))
        # Line by line, by date: 50 and 200 off the bonus, then 50 of the 100 off it and 50 to the wage.
        self.assertIn("Half-day Absence on 2024-03-06 (100.0): 50.0 off the bonus, 50.0 carried to the wage",
                      statement.bonus_note)
        self.assertIn("Full-day Absence on 2024-03-05 (200.0): 200.0 off the bonus (R-ATT-2/4)", statement.bonus_note)

    def test_deductions_beyond_the_bonus_dropped(self):
        self.policy.excess_deduction = "drop"
        self._appraisal(grade="c")
        self._incident(5, "full_day", 200)
        self._incident(6, "half_day", 200)
        statement = self._statement()
        self.assertEqual((statement.bonus_paid, statement.deduction_carried), (0, 0))
        self.assertIn("100.0 dropped", statement.bonus_note)

    def test_deductions_within_the_bonus(self):
        self._appraisal(grade="b")
        self._incident(4, "late", 50)
        statement = self._statement()
        self.assertEqual((statement.bonus_paid, statement.deduction_carried), (450, 0))
        self.assertEqual(statement.total_pay, 450)

    def test_payroll_export_takes_the_deductions_off_the_bonus(self):
        self.emp_agent.telesales_rank_id = self.rank_agent_1
        self.rank_agent_1.performance_bonus_base = 400
        self._appraisal(grade="b")  # 400
        self.Statement._make_month_statements(MARCH)
        self.Statement.search([("month", "=", MARCH)]).with_user(self.user_manager).action_confirm()
        self._incident(5, "full_day", 200)
        self._incident(6, "full_day", 200).wage_deduction = 70
        self._incident(7, "full_day", 200)
        wizard = self.env["telesales.payroll.export"].with_user(self.user_manager).create({"month": MARCH})
        wizard.action_export()
        book = load_workbook(io.BytesIO(base64.b64decode(wizard.file)))
        rows = list(book[self.company.name[:31]].iter_rows(values_only=True))
        mine = next(row for row in rows if row[0] == "Agent")
        # rank, base pay, commission, allowance, referral, bonus, bonus deduction, bonus paid,
        # wage deduction, carried to wage, net
        self.assertEqual(mine[1:], (self.rank_agent_1.name, 1580, 0, 0, 0, 400, 600, 0, 70, 200, 1310))
        self.policy.excess_deduction = "drop"
        wizard.action_export()
        rows = list(load_workbook(io.BytesIO(base64.b64decode(wizard.file)))[self.company.name[:31]].iter_rows(
            values_only=True))
        self.assertEqual(next(row for row in rows if row[0] == "Agent")[-2:], (0, 1510))

    def test_shipped_bases_filled_once_on_older_databases(self):
        self.env.flush_all()
        self.env.cr.execute("UPDATE telesales_rank SET performance_bonus_base = NULL WHERE id = %s",
                            [self.rank_agent_2.id])
        self.rank_agent_1.performance_bonus_base = 0  # an admin's 0
        self.env.flush_all()
        self.env["telesales.rank"]._telesales_fill_bonus_bases({"rank_agent_1": 400, "rank_agent_2": 500})
        self.assertEqual((self.rank_agent_1.performance_bonus_base, self.rank_agent_2.performance_bonus_base),
                         (0, 500))


@tagged("post_install", "-at_install")
class TestAllowanceOnAchievement(TelesalesCase):
    """R-ORG-4: the trainee's allowance is paid when the month's appraisal shows the target
    achieved (Settings' minimum, 100 % by default); the daily minimum only when asked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["telesales.commission.plan"].search([]).active = False
        cls.env["telesales.commission.plan"].create({
            "name": "Team 1", "team_ids": [cls.team.id], "tier_ids": [(0, 0, {"lower": 0, "upper": 0, "rate": 2})]})
        cls.emp_agent.write({"telesales_rank_id": cls.rank_trainee.id, "telesales_status": "trainee"})
        cls.rank_trainee.write({"new_hire_allowance": 650, "performance_bonus_base": 0})
        cls.company.write({"telesales_allowance_min_achievement": 100.0,
                           "telesales_allowance_needs_daily_minimum": False, "telesales_allowance_min_share": 80.0})
        cls.Statement = cls.env["telesales.commission.statement"]

    def _statement(self, achievement=None):
        if achievement is not None:
            self.env["telesales.appraisal"].create({
                "employee_id": self.emp_agent.id, "period": "month", "date_from": MARCH,
                "date_to": date(2024, 4, 1), "achievement": achievement})
        self.Statement._make_month_statements(MARCH)
        return self.Statement.search([("month", "=", MARCH), ("user_id", "=", self.user_agent.id)])

    def test_paid_at_exactly_the_threshold(self):
        statement = self._statement(100.0)
        self.assertEqual(statement.allowance, 650)
        self.assertIn("Paid: target achievement 100.0 %", statement.allowance_note)

    def test_withheld_just_below(self):
        statement = self._statement(99.9)
        self.assertEqual(statement.allowance, 0)
        self.assertIn("Withheld (650", statement.allowance_note)
        self.assertIn("target achievement 99.9 %, 100.0 % needed", statement.allowance_note)

    def test_withheld_without_appraisal(self):
        statement = self._statement()
        self.assertEqual(statement.allowance, 0)
        self.assertIn("no appraisal of the month", statement.allowance_note)

    def test_threshold_from_settings(self):
        self.company.telesales_allowance_min_achievement = 90.0
        self.assertEqual(self._statement(90.0).allowance, 650)

    def test_daily_minimum_as_an_extra_condition(self):
        self.company.telesales_allowance_needs_daily_minimum = True
        Minimum = self.env["telesales.daily.minimum"]
        for day in range(5):
            Minimum.create({"employee_id": self.emp_agent.id, "user_id": self.user_agent.id,
                            "company_id": self.company.id, "date": date(2024, 3, 4 + day), "met": day < 3})
        statement = self._statement(120.0)
        self.assertEqual(statement.allowance, 0, "target met, but the minimum on 60 % of days only")
        self.assertIn("minimum met on 60 % of 5 days, 80.0 % needed", statement.allowance_note)
        self.company.telesales_allowance_needs_daily_minimum = False
        self.assertEqual(self._statement().allowance, 650, "off by default: the target decides")
