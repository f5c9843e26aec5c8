from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.tests import tagged

from .common import TelesalesCase

YEAR = 2023  # a year the demo data never reaches


@tagged("post_install", "-at_install")
class TestAnnualAppraisal(TelesalesCase):
    """R-KPI-3: in January, the composite of the twelve monthly results, weighted as
    Settings say, then the same flow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Appraisal = cls.env["telesales.appraisal"]
        cls.company.telesales_appraisal_due_day = 10

    def _months(self, employee, scores, state="done"):
        """Monthly appraisals from January: score (or None: no appraisal that month)."""
        return self.Appraisal.create([{
            "employee_id": employee.id, "period": "month", "date_from": date(YEAR, month, 1),
            "date_to": date(YEAR, month, 1) + relativedelta(months=1), "state": state,
            "final_score": score, "grade": "b", "achievement": score + 20}
            for month, score in enumerate(scores, start=1) if score is not None])

    def _annual(self, employee, appraisals):
        return appraisals.filtered(lambda a: a.employee_id == employee)

    def test_equal_weighting(self):
        self.company.telesales_annual_weighting = "equal"
        months = self._months(self.emp_agent, [60] * 9 + [90] * 3)
        annual = self._annual(self.emp_agent, self.Appraisal._telesales_open_year(YEAR, self.company))
        self.assertEqual((annual.period, annual.date_from, annual.date_to, annual.state),
                         ("year", date(YEAR, 1, 1), date(YEAR + 1, 1, 1), "self"))
        self.assertEqual(len(annual.line_ids), 12)
        self.assertAlmostEqual(annual.total_score, 67.5, places=2)
        self.assertAlmostEqual(annual.achievement, 87.5, places=2)
        self.assertEqual(annual.due_date, date(YEAR + 1, 1, 31))
        december = annual.line_ids.filtered(lambda line: line.sequence == 12)
        self.assertEqual(december.label, f"{YEAR}-12", "each month's line says which month it is")
        evidence = december.action_open_evidence()
        self.assertEqual(self.env[evidence["res_model"]].search(evidence["domain"]), months[-1],
                         "each line leads to its month's appraisal")
        self.assertFalse(self._annual(self.emp_agent, self.Appraisal._telesales_open_year(YEAR, self.company)),
                         "run twice: nothing new")

    def test_last_quarter_double(self):
        self.company.telesales_annual_weighting = "recent"
        self._months(self.emp_agent, [60] * 9 + [90] * 3)
        annual = self._annual(self.emp_agent, self.Appraisal._telesales_open_year(YEAR, self.company))
        self.assertAlmostEqual(annual.total_score, 72.0, places=2, msg="(9 × 60 + 2 × 3 × 90) / 15")

    def test_months_not_done_are_left_out(self):
        self.company.telesales_annual_weighting = "equal"
        self._months(self.emp_agent, [80, None, 50] + [None] * 9)
        self._months(self.emp_agent, [None] * 11 + [20], state="hr")
        self._months(self.emp_agent_2, [70] + [None] * 11, state="leader")
        opened = self.Appraisal._telesales_open_year(YEAR, self.company)
        annual = self._annual(self.emp_agent, opened)
        self.assertEqual(len(annual.line_ids), 2)
        self.assertAlmostEqual(annual.total_score, 65.0, places=2)
        self.assertIn("10 months without a done appraisal are left out", annual.message_ids[:1].body)
        self.assertFalse(self._annual(self.emp_agent_2, opened), "no done month: no annual appraisal")

    def test_same_flow_consolidated_by_grade_bands(self):
        self.company.write({"telesales_grade_s_min": 95, "telesales_grade_a_min": 85, "telesales_grade_b_min": 70,
                            "telesales_grade_c_min": 60, "telesales_forced_distribution": False})
        self._months(self.emp_agent, [90] * 12)
        annual = self._annual(self.emp_agent, self.Appraisal._telesales_open_year(YEAR, self.company))
        annual.sudo().state = "hr"
        annual.with_user(self.user_hr).action_consolidate()
        self.assertEqual((annual.state, annual.final_score, annual.grade), ("interview", 90.0, "a"))

    def test_cron_in_january_after_the_due_day(self):
        self._months(self.emp_agent, [70] * 12)
        with freeze_time(f"{YEAR + 1}-01-10 04:00:00"):
            self.Appraisal._cron_open_last_year()
        self.assertFalse(self.Appraisal.search([("employee_id", "=", self.emp_agent.id), ("period", "=", "year")]),
                         "December's appraisal is still due")
        with freeze_time(f"{YEAR + 1}-01-11 04:00:00"):
            self.Appraisal._cron_open_last_year()
            self.Appraisal._cron_open_last_year()
        self.assertEqual(self.Appraisal.search_count(
            [("employee_id", "=", self.emp_agent.id), ("period", "=", "year")]), 1)


@tagged("post_install", "-at_install")
class TestAnnualTitles(TelesalesCase):
    """R-INC-2: the annual sales champion and best team, with the titles' tie rule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Title = cls.env["telesales.honour.title"]

    def _sold(self, amount, user, when):
        lead = self.env["crm.lead"].create({"name": "Deal", "type": "opportunity", "expected_revenue": amount,
                                            "user_id": user.id, "team_id": self.team.id})
        with freeze_time(when):
            lead.action_set_won()

    def _titles(self):
        titles = self.Title._award_year(YEAR, self.company)
        return (titles.filtered(lambda t: t.kind == "annual_champion"),
                titles.filtered(lambda t: t.kind == "annual_best_team"))

    def test_champion_and_best_team(self):
        self._sold(50_000, self.user_agent, f"{YEAR}-03-01 03:00:00")
        self._sold(40_000, self.user_agent_2, f"{YEAR}-04-01 03:00:00")
        self._sold(60_000, self.user_agent_other, f"{YEAR}-05-01 03:00:00")
        champion, best_team = self._titles()
        self.assertEqual((champion.user_id, champion.sales_total, champion.period),
                         (self.user_agent_other, 60_000, str(YEAR)))
        self.assertEqual((best_team.team_id, best_team.user_id, best_team.sales_total, best_team.deal_count),
                         (self.team, self.user_leader, 90_000, 2), "team 1 sold 90,000: its leader receives it")
        self.assertFalse(self.Title._award_year(YEAR, self.company), "a rerun awards nothing more")
        # January's monthly titles (dated the same day) are still awarded.
        monthly = self.Title._award(date(YEAR, 1, 1), self.company)
        self.assertNotIn("annual_champion", monthly.mapped("kind"))

    def test_tie_more_deals_wins(self):
        self._sold(30_000, self.user_agent, f"{YEAR}-06-01 03:00:00")
        self._sold(15_000, self.user_agent_2, f"{YEAR}-02-01 03:00:00")
        self._sold(15_000, self.user_agent_2, f"{YEAR}-07-01 03:00:00")
        champion, _team = self._titles()
        self.assertEqual(champion.user_id, self.user_agent_2, "equal sales: more deals wins")

    def test_tie_earlier_last_deal_wins(self):
        self._sold(30_000, self.user_agent, f"{YEAR}-06-01 03:00:00")
        self._sold(1, self.user_agent, f"{YEAR}-03-01 03:00:00")
        self._sold(30_000, self.user_agent_other, f"{YEAR}-03-01 03:00:00")
        self._sold(1, self.user_agent_other, f"{YEAR}-03-02 03:00:00")
        champion, best_team = self._titles()
        self.assertEqual(champion.user_id, self.user_agent_other, "equal sales and deals: the earlier last deal")
        self.assertEqual(best_team.team_id, self.team_2, "equal team totals too: the earlier last deal")
