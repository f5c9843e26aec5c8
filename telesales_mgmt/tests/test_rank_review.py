from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import TelesalesCase

Q3 = date(2026, 7, 1)


def record_sales(case, user, team, days=("2026-06-30", "2026-07-15", "2026-08-14", "2026-09-15")):
    """A small deal of `user` won on each of `days`: by default the company's sales are
    on record from before Q3 and in each of its months, so Q3 is covered (R-ORG-3)."""
    leads = case.env["crm.lead"].create([{
        "name": f"Deal of {day}", "type": "opportunity", "expected_revenue": 1, "user_id": user.id,
        "team_id": team.id} for day in days])
    for lead, day in zip(leads, days):
        with freeze_time(f"{day} 03:00:00"):
            lead.action_set_won()
    return leads


@tagged("post_install", "-at_install")
class TestRankReview(TelesalesCase):
    """R-ORG-3: promote, keep or demote each quarter on the 3-month sales total."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rank_senior_1 = cls.env.ref("telesales_mgmt.rank_senior_1")
        cls.Review = cls.env["telesales.rank.review"]
        cls.employee = cls.emp_agent
        # The company's sales are on record since before Q3 and in each of its months: Q3 is covered.
        record_sales(cls, cls.user_agent_other, cls.team_2)

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


@tagged("post_install", "-at_install")
class TestRankReviewJudgesWhatTheDataSupports(TelesalesCase):
    """R-ORG-3: a review judges an agent present for the whole quarter on sales recorded
    for the whole quarter; for the rest it proposes no change and says why."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Review = cls.env["telesales.rank.review"]
        cls.rank_senior_1 = cls.env.ref("telesales_mgmt.rank_senior_1")
        cls.emp_agent.telesales_rank_id = cls.rank_senior_1
        cls.emp_agent_2.telesales_rank_id = cls.rank_agent_2
        # A clean slate: this company has no sales on record (the demo's, if any, leave it);
        # another company's old deal says nothing about this one's records.
        cls.other_company = cls.env["res.company"].create({"name": "Other Telesales Co"})
        cls.env.flush_all()
        cls.env.cr.execute(SQL("UPDATE crm_lead SET telesales_won_date = NULL WHERE company_id = %s",
                               cls.company.id))
        cls.env.cr.execute(SQL("UPDATE telesales_commission_statement SET company_id = %s WHERE company_id = %s",
                               cls.other_company.id, cls.company.id))
        cls.env.invalidate_all()
        old = cls.env["crm.lead"].create({"name": "Old", "type": "opportunity", "expected_revenue": 5,
                                          "company_id": cls.other_company.id})
        with freeze_time("2025-01-10 03:00:00"):
            old.action_set_won()

    def _won(self, amount, when, user=None):
        lead = self.env["crm.lead"].create({
            "name": "Deal", "type": "opportunity", "expected_revenue": amount,
            "user_id": (user or self.user_agent).id,
            "team_id": (self.team_2 if user == self.user_agent_other else self.team).id})
        with freeze_time(when):
            lead.action_set_won()
        return lead

    def _propose(self, agents=None):
        self.Review.search([("quarter", "=", Q3)]).unlink()
        reviews = self.Review._propose(Q3, agents or (self.emp_agent | self.emp_agent_2))
        return reviews.filtered(lambda r: r.employee_id == self.emp_agent), reviews

    def test_quarter_before_the_sales_records_is_not_judged(self):
        """The demo's case: sales recorded only from October; a senior with nothing in Q3
        is not demoted."""
        self._won(30_000, "2026-10-20 03:00:00")  # last month's Sales Star
        senior, reviews = self._propose()
        self.assertEqual(set(reviews.mapped("decision")), {"not_judged"})
        self.assertEqual(senior.new_rank_id, self.rank_senior_1, "no change proposed")
        self.assertEqual(senior.sales_recorded_from, date(2026, 10, 20))
        self.assertIn("No sales recorded before", senior.judgement_note)
        # Confirmed and applied, a review not judged changes nothing.
        with freeze_time("2026-10-05"):
            reviews.with_user(self.user_manager).action_confirm()
        with freeze_time("2026-11-01"):
            self.Review._cron_reviews()
        self.assertEqual(senior.state, "applied")
        self.assertEqual(self.emp_agent.telesales_rank_id, self.rank_senior_1)

    def test_sales_in_the_quarter_but_none_before_is_not_covered(self):
        record_sales(self, self.user_agent_other, self.team_2, ("2026-07-02", "2026-08-14", "2026-09-15"))
        review, _reviews = self._propose()
        self.assertEqual((review.decision, review.new_rank_id), ("not_judged", self.rank_senior_1))
        self.assertIn("No sales recorded before", review.judgement_note)

    def test_a_month_without_sales_is_not_covered(self):
        """The demo's other case: last year's deals on record, then nothing until October."""
        record_sales(self, self.user_agent_other, self.team_2, ("2025-11-20", "2026-07-15", "2026-09-15"))
        review, _reviews = self._propose()
        self.assertEqual((review.decision, review.month_without_sales), ("not_judged", date(2026, 8, 1)))
        self.assertIn("No sales recorded in August 2026", review.judgement_note)

    def test_no_sales_recorded_at_all(self):
        review, reviews = self._propose()
        self.assertEqual(set(reviews.mapped("decision")), {"not_judged"})
        self.assertFalse(review.sales_recorded_from)
        self.assertIn("No sales recorded yet", review.judgement_note)

    def test_covered_from_the_first_day_of_the_quarter(self):
        """A deal won on the quarter's first day starts the records in time."""
        record_sales(self, self.user_agent_other, self.team_2, ("2026-07-01", "2026-08-31", "2026-09-30"))
        review, _reviews = self._propose()
        self.assertEqual((review.decision, review.new_rank_id.name),
                         ("demote", self.env.ref("telesales_mgmt.rank_agent_3").name),
                         "covered and present: judged on its (empty) quarter")
        self.assertFalse(review.judgement_note)

    def test_covered_by_commission_statements(self):
        """Monthly statements (even of nothing sold) show the sales were recorded."""
        plan = self.env["telesales.commission.plan"].create({
            "name": "Plan", "team_ids": [self.team.id], "gate": 0,
            "tier_ids": [(0, 0, {"lower": 0, "upper": 0, "rate": 2})]})
        self.env["telesales.commission.statement"].sudo().create([
            {"user_id": self.user_agent_2.id, "month": month, "plan_id": plan.id}
            for month in ("2026-06-01", "2026-07-01", "2026-08-01", "2026-09-01")])
        review, _reviews = self._propose()
        self.assertEqual((review.sales_recorded_from, review.month_without_sales), (date(2026, 6, 1), False))
        self.assertEqual(review.decision, "demote")

    def test_agent_who_joined_during_the_quarter(self):
        record_sales(self, self.user_agent_other, self.team_2)  # the quarter is covered
        self.emp_agent.telesales_hire_date = date(2026, 8, 3)
        self.emp_agent_2.telesales_hire_date = Q3  # there from the first day: judged
        self._won(90_000, "2026-09-10 03:00:00", self.user_agent_2)
        late, reviews = self._propose()
        there = reviews.filtered(lambda r: r.employee_id == self.emp_agent_2)
        self.assertEqual((late.decision, late.new_rank_id, late.present_from),
                         ("not_judged", self.rank_senior_1, date(2026, 8, 3)))
        self.assertIn("Joined on", late.judgement_note)
        self.assertNotIn("No sales recorded", late.judgement_note)
        self.assertEqual(there.decision, "promote")
        self.assertEqual(late.promotion_order, 0)

    def test_display_name(self):
        review, _reviews = self._propose()
        self.assertEqual(review.display_name, "Agent · 2026 Q3")
