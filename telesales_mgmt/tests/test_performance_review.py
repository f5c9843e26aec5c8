from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TelesalesCase
from .test_rank_review import record_sales

JANUARY = date(2024, 1, 1)  # months the demo data never reaches
Q3 = date(2026, 7, 1)


@tagged("post_install", "-at_install")
class TestPerformanceReview(TelesalesCase):
    """R-KPI-5: three months in a row under target open one reassignment or dismissal
    review for the manager and HR, with the three appraisals as evidence."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Review = cls.env["telesales.performance.review"]
        cls.env["telesales.sales.target"].create([
            {"user_id": cls.user_agent.id, "month": JANUARY + relativedelta(months=n), "amount": 10_000}
            for n in range(9)])
        cls.emp_agent.hr_responsible_id = cls.user_hr

    def _month(self, n, achievement, employee=None):
        """The appraisal of the n-th month from January 2024, as it opens."""
        month = JANUARY + relativedelta(months=n)
        appraisal = self.env["telesales.appraisal"].create({
            "employee_id": (employee or self.emp_agent).id, "period": "month", "date_from": month,
            "date_to": month + relativedelta(months=1), "achievement": achievement})
        return appraisal, self.Review._telesales_open_for(appraisal)

    def test_three_months_open_one_review(self):
        first, opened = self._month(0, 80)
        self.assertFalse(opened)
        second, opened = self._month(1, 99.9)
        self.assertFalse(opened, "two months: not yet")
        third, review = self._month(2, 0)
        self.assertEqual(len(review), 1)
        self.assertEqual(review.appraisal_ids, first | second | third)
        self.assertEqual((review.employee_id, review.run_start, review.state),
                         (self.emp_agent, JANUARY, "open"))
        self.assertEqual(set(review.activity_ids.user_id.ids), {self.user_manager.id, self.user_hr.id},
                         "one activity for the manager, one for HR")
        self.assertFalse(self.Review._telesales_open_for(third), "run twice: nothing more")
        _fourth, opened = self._month(3, 50)
        self.assertFalse(opened, "the same run of months: no second review")
        self.assertEqual(self.Review.search_count([("employee_id", "=", self.emp_agent.id)]), 1)
        # A month at target ends the run; three more under target start a new one.
        self._month(4, 100)
        self.assertFalse(self._month(5, 10)[1] | self._month(6, 10)[1])
        review_2 = self._month(7, 10)[1]
        self.assertEqual(review_2.run_start, JANUARY + relativedelta(months=5))

    def test_a_month_at_target_or_without_target_breaks_the_run(self):
        self._month(0, 80)
        self._month(1, 100)
        self._month(2, 80)
        self.assertFalse(self._month(3, 80)[1])
        self.env["telesales.sales.target"].search([
            ("user_id", "=", self.user_agent.id), ("month", "=", JANUARY + relativedelta(months=4))]).unlink()
        self.assertFalse(self._month(4, 0)[1], "no target that month: not under it")
        self.assertFalse(self._month(5, 0)[1])

    def test_decided_by_manager_or_hr_with_a_note(self):
        self._month(0, 10)
        self._month(1, 10)
        review = self._month(2, 10)[1]
        with self.assertRaises(AccessError):
            review.with_user(self.user_agent).read(["state"])
        with self.assertRaises(AccessError):
            review.with_user(self.user_leader).action_keep()
        with self.assertRaisesText(UserError, "Write the decision"):
            review.with_user(self.user_manager).action_reassign()
        with self.assertRaises(AccessError):
            review.with_user(self.user_manager).write({"state": "kept"})
        review.with_user(self.user_manager).decision_note = "To team 2 with a coach"
        review.with_user(self.user_hr).action_reassign()
        self.assertEqual((review.state, review.decided_by_id), ("reassigned", self.user_hr))
        self.assertFalse(review.activity_ids, "the activities are done")


@tagged("post_install", "-at_install")
class TestReviewOnOpening(TelesalesCase):
    """The review opens when the third month's appraisal opens (the monthly cron)."""

    def test_opening_the_third_month_opens_the_review(self):
        october = date(2025, 10, 1)
        Kpi = self.env["telesales.kpi"]
        Template = self.env["telesales.appraisal.template"]
        Template.search([]).active = False
        Template.create({"name": "Agents (test)", "role": "agent", "line_ids": [
            (0, 0, {"kpi_id": Kpi.search([("code", "=", "calls_dialled")], limit=1).id,
                    "weight": 100, "target": 100})]})
        self.env["telesales.sales.target"].create([
            {"user_id": self.user_agent.id, "month": october - relativedelta(months=n), "amount": 10_000}
            for n in range(3)])
        self.env["telesales.appraisal"].create([{
            "employee_id": self.emp_agent.id, "period": "month", "date_from": october - relativedelta(months=n),
            "date_to": october - relativedelta(months=n - 1), "achievement": 40} for n in (1, 2)])
        lead = self.env["crm.lead"].create({"name": "Small deal", "type": "opportunity", "expected_revenue": 1_000,
                                            "user_id": self.user_agent.id, "team_id": self.team.id})
        with freeze_time(datetime(2025, 10, 8, 3, 0)):
            lead.action_set_won()
        with freeze_time("2025-11-01 02:00:00"):
            appraisals = self.env["telesales.appraisal"]._telesales_open_month(october, self.company)
        mine = appraisals.filtered(lambda a: a.employee_id == self.emp_agent)
        self.assertLess(mine.achievement, 100)
        review = self.env["telesales.performance.review"].search([("employee_id", "=", self.emp_agent.id)])
        self.assertEqual(len(review), 1)
        self.assertIn(mine, review.appraisal_ids)


@tagged("post_install", "-at_install")
class TestPromotionPreference(TelesalesCase):
    """R-INC-3: the rank review shows each agent's appraisal ranking; at equal sales the
    better appraisal is promoted first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Review = cls.env["telesales.rank.review"]
        cls.Review.search([]).unlink()
        (cls.emp_agent | cls.emp_agent_2).telesales_rank_id = cls.rank_agent_2
        # Sales on record from before Q3 and in each of its months: the quarter is judged (R-ORG-3).
        record_sales(cls, cls.user_agent_other, cls.team_2)

    def _sold(self, amount, user):
        lead = self.env["crm.lead"].create({"name": "Deal", "type": "opportunity", "expected_revenue": amount,
                                            "user_id": user.id, "team_id": self.team.id})
        with freeze_time("2026-08-15 03:00:00"):
            lead.action_set_won()

    def _appraised(self, employee, scores):
        self.env["telesales.appraisal"].create([{
            "employee_id": employee.id, "period": "month", "date_from": Q3 + relativedelta(months=n),
            "date_to": Q3 + relativedelta(months=n + 1), "state": "done", "final_score": score, "grade": "b"}
            for n, score in enumerate(scores)])

    def _propose(self):
        reviews = self.Review._propose(Q3, self.emp_agent | self.emp_agent_2)
        return (reviews.filtered(lambda r: r.employee_id == self.emp_agent),
                reviews.filtered(lambda r: r.employee_id == self.emp_agent_2))

    def test_equal_sales_better_appraisal_first(self):
        self._sold(90_000, self.user_agent)
        self._sold(90_000, self.user_agent_2)
        self._appraised(self.emp_agent, [70, 70, 70])
        self._appraised(self.emp_agent_2, [90, 80, 85])
        mine, other = self._propose()
        self.assertEqual((mine.decision, other.decision), ("promote", "promote"))
        self.assertEqual((other.appraisal_score, other.appraisal_rank, other.promotion_order), (85, 1, 1))
        self.assertEqual((mine.appraisal_score, mine.appraisal_rank, mine.promotion_order), (70, 2, 2))
        self.assertEqual(self.Review.search([("quarter", "=", Q3), ("decision", "=", "promote")]).employee_id.ids,
                         [self.emp_agent_2.id, self.emp_agent.id], "listed and confirmed in that order")

    def test_sales_first_then_appraisal(self):
        self._sold(100_000, self.user_agent)
        self._sold(90_000, self.user_agent_2)
        self._appraised(self.emp_agent, [60])
        self._appraised(self.emp_agent_2, [95])
        mine, other = self._propose()
        self.assertEqual((mine.promotion_order, other.promotion_order), (1, 2))
        self.assertEqual((mine.appraisal_rank, other.appraisal_rank), (2, 1))

    def test_no_done_appraisal_no_ranking(self):
        self._sold(90_000, self.user_agent)
        self._sold(90_000, self.user_agent_2)
        self.env["telesales.appraisal"].create({
            "employee_id": self.emp_agent_2.id, "period": "month", "date_from": Q3,
            "date_to": Q3 + relativedelta(months=1), "state": "hr", "final_score": 99})
        self._appraised(self.emp_agent, [50])
        mine, other = self._propose()
        self.assertEqual((other.appraisal_rank, other.promotion_order), (0, 2), "not done: not ranked, after")
        self.assertEqual((mine.appraisal_rank, mine.promotion_order), (1, 1))
