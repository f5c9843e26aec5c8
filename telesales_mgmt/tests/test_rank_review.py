from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TelesalesCase

Q3 = date(2026, 7, 1)


@tagged("post_install", "-at_install")
class TestRankReview(TelesalesCase):
    """R-ORG-3: promote, keep or demote each quarter on the 3-month sales total."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rank_senior_1 = cls.env.ref("telesales_mgmt.rank_senior_1")
        cls.Review = cls.env["telesales.rank.review"]
        cls.employee = cls.emp_agent

    def _sold(self, amount, user=None):
        lead = self.env["crm.lead"].create({
            "name": "Deal", "type": "opportunity", "expected_revenue": amount,
            "user_id": (user or self.user_agent).id, "team_id": self.team.id})
        with freeze_time("2026-08-15 03:00:00"):
            lead.action_set_won()

    def _review(self, rank, amount):
        self.employee.telesales_rank_id = rank
        self.Review.search([]).unlink()
        if amount:
            self._sold(amount)
        return self.Review._propose(Q3).filtered(lambda r: r.employee_id == self.employee)

    def test_thresholds(self):
        for rank, amount, decision, new_rank in (
                (self.rank_agent_2, 90_000, "promote", "rank_agent_3"),
                (self.rank_agent_2, 89_999, "keep", "rank_agent_2"),
                (self.rank_agent_2, 44_999, "demote", "rank_agent_1"),
                (self.rank_agent_1, 0, "keep", "rank_agent_1"),   # no demotion to trainee
                (self.rank_trainee, 45_000, "promote", "rank_agent_1"),
                (self.rank_senior_2, 210_000, "keep", "rank_senior_2"),
                (self.rank_senior_2, 209_999, "demote", "rank_senior_1")):
            with self.subTest(rank=rank.name, amount=amount):
                self.env["crm.lead"].search([("telesales_won_user_id", "=", self.user_agent.id)]).unlink()
                review = self._review(rank, amount)
                self.assertEqual((review.decision, review.new_rank_id),
                                 (decision, self.env.ref(f"telesales_mgmt.{new_rank}")))
                self.assertEqual(review.sales_total, amount)

    def test_confirm_applies_next_month_with_history(self):
        review = self._review(self.rank_agent_2, 100_000)
        self.assertFalse(self.Review._propose(Q3), "a rerun proposes nothing more")
        with self.assertRaisesText(UserError, "Only the department manager"):
            review.with_user(self.user_leader).action_confirm()
        with freeze_time("2026-10-05"):
            review.with_user(self.user_manager).action_confirm()
        self.assertEqual((review.state, review.effective_date), ("confirmed", date(2026, 11, 1)))
        self.assertEqual(self.employee.telesales_rank_id, self.rank_agent_2, "not before next month")
        with freeze_time("2026-11-01"):
            self.Review._cron_reviews()
        self.assertEqual(review.state, "applied")
        self.assertEqual(self.employee.telesales_rank_id, self.env.ref("telesales_mgmt.rank_agent_3"))
        history = self.env["telesales.rank.history"].search(
            [("employee_id", "=", self.employee.id),
             ("new_rank_id", "=", self.env.ref("telesales_mgmt.rank_agent_3").id)])
        self.assertIn("Quarterly review", history.reason)

    def test_agents_see_their_own(self):
        self._review(self.rank_agent_2, 10_000)
        self.assertEqual(self.Review.with_user(self.user_agent).search([]).employee_id, self.employee)

    def test_review_stays_with_the_team_it_was_written_for(self):
        """A team change leaves the quarter's review under the leader it was written for."""
        review = self._review(self.rank_agent_2, 10_000)
        self.employee.telesales_team_id = self.team_2
        self.env.flush_all()
        self.assertEqual((review.team_id, review.user_id, review.company_id),
                         (self.team, self.user_agent, self.company))
        self.assertEqual(self.Review.with_user(self.user_leader).search([("id", "=", review.id)]), review)
        self.assertFalse(self.Review.with_user(self.user_leader_2).search([("id", "=", review.id)]))
