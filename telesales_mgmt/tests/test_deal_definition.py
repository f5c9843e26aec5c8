from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import TelesalesCase

NOVEMBER, DECEMBER = date(2026, 11, 1), date(2026, 12, 1)


@tagged("post_install", "-at_install")
class TestDealDefinition(TelesalesCase):
    """One meaning of "deal" (R-CALL-3, R-INC-1): a won opportunity, for the agent who owned
    it when it was won, on the department's day it was won. A call logged as Deal wins its
    opportunity; every screen counts the same deals (daily figures, monthly summary,
    leaderboard, commission statement, appraisal indicators, honour titles)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"telesales_tz": "Asia/Shanghai", "telesales_window_mode": "warn",
                           "telesales_no_progress_limit": 0, "telesales_connected_min_seconds": 1})
        cls.env["telesales.commission.plan"].search([]).active = False
        cls.plan = cls.env["telesales.commission.plan"].create({
            "name": "Deals", "user_ids": [cls.user_agent.id, cls.user_agent_2.id], "gate": 0,
            "tier_ids": [(0, 0, {"lower": 0, "upper": 0, "rate": 1})]})
        Lead = cls.env["crm.lead"]
        cls.leads = Lead.create([{"name": f"Course {n}", "type": "lead", "expected_revenue": 1_000 * n,
                                  "team_id": cls.team.id, "user_id": cls.user_agent.id} for n in range(1, 7)])

    def _call(self, lead, when, outcome="deal", user=None, **values):
        with freeze_time(when):
            return self.env["telesales.call"].with_user(user or self.user_agent).create({
                "lead_id": lead.id, "outcome": outcome, "talk_seconds": 300, "user_id": lead.user_id.id,
                "plan_date": "2026-12-20 02:00:00", "plan_goal": "next step", **values})

    def test_a_deal_call_wins_its_opportunity_once(self):
        lead = self.leads[0]
        self._call(lead, "2026-11-23 02:00:00")  # Monday 10:00 in Shanghai
        self.assertEqual((lead.type, lead.won_status, lead.telesales_won_user_id, lead.telesales_won_date),
                         ("opportunity", "won", self.user_agent, date(2026, 11, 23)))
        self._call(lead, "2026-11-25 02:00:00")
        self.assertEqual(lead.telesales_won_date, date(2026, 11, 23), "a second Deal call adds no deal")
        other = self.leads[1]
        self._call(other, "2026-11-23 03:00:00", user=self.user_leader)
        self.assertEqual(other.telesales_won_user_id, self.user_agent, "logged by the leader, counted for its agent")
        with self.assertRaisesText(ValidationError, "needs its lead"):
            with freeze_time("2026-11-23 02:00:00"):
                self.env["telesales.call"].with_user(self.user_agent).create(
                    {"phone": "+86 139 0000 0000", "direction": "inbound", "outcome": "deal"})

    def test_correcting_an_outcome_to_deal_and_logging_a_measured_call_win_too(self):
        corrected = self._call(self.leads[2], "2026-11-23 02:00:00", outcome="intent")
        self.assertEqual(self.leads[2].won_status, "pending")
        with freeze_time("2026-11-23 02:30:00"):
            corrected.with_user(self.user_agent).write({"outcome": "deal"})
        self.assertEqual(self.leads[2].won_status, "won")
        measured = self.env["telesales.call"].create({
            "lead_id": self.leads[3].id, "user_id": self.user_agent.id, "source": "phone_system", "to_log": True,
            "outcome": "answered", "answered_at": "2026-11-23 03:00:10", "start": "2026-11-23 03:00:00",
            "talk_seconds": 400})
        with freeze_time("2026-11-23 03:10:00"):
            measured.with_user(self.user_agent).write({"outcome": "deal"})
            self.assertEqual(self.leads[3].won_status, "pending", "not logged yet")
            measured.with_user(self.user_agent).action_telesales_logged()
        self.assertEqual(self.leads[3].won_status, "won")

    def test_won_on_the_departments_day(self):
        lead = self.leads[4]
        with freeze_time("2026-11-25 23:30:00"):  # Thursday 07:30 in Shanghai, still Wednesday in UTC
            lead.with_user(self.user_agent).action_set_won()
        self.assertEqual(lead.telesales_won_date, date(2026, 11, 26))

    def test_every_screen_counts_the_same_deals(self):
        """The agent's daily figures showed 38 deals in a month, his statement one: the same
        agent and month now give the same count everywhere."""
        first, second, third, fourth, earlier, reopened = self.leads
        with freeze_time("2026-10-20 02:00:00"):
            earlier.action_set_won()  # October's: a November Deal call on it adds nothing
        self._call(first, "2026-11-23 02:00:00")
        self._call(first, "2026-11-23 03:00:00", outcome="effective")
        self._call(earlier, "2026-11-24 02:00:00")
        with freeze_time("2026-11-26 01:00:00"):  # won in CRM on a day without calls
            second.with_user(self.user_agent).action_set_won()
        self._call(third, "2026-11-27 02:00:00", user=self.user_leader)
        self._call(reopened, "2026-11-27 03:00:00")
        with freeze_time("2026-11-28 02:00:00"):  # reopened after all: no deal anywhere
            reopened.write({"stage_id": self.env["crm.stage"].search([("is_won", "=", False)], limit=1).id})
        self.assertEqual(reopened.won_status, "pending")
        with freeze_time("2026-12-01 02:00:00"):
            self._call(fourth, "2026-12-01 02:00:00")  # December's
        self._call(self.env["crm.lead"].create({
            "name": "Mate's", "team_id": self.team.id, "user_id": self.user_agent_2.id, "expected_revenue": 500}),
            "2026-11-23 04:00:00", user=self.user_agent_2)
        self.env.flush_all()
        agent, expected = self.user_agent, first | second | third

        daily = self.env["telesales.call.daily"].search(
            [("user_id", "=", agent.id), ("date", ">=", NOVEMBER), ("date", "<", DECEMBER)])
        by_day = {row.date: row.deals for row in daily if row.deals}
        self.assertEqual(by_day, {date(2026, 11, 23): 1, date(2026, 11, 26): 1, date(2026, 11, 27): 1},
                         "by the day each was won; a day with a win and no call has its row")
        quiet_day = daily.filtered(lambda row: row.date == date(2026, 11, 26))
        self.assertEqual((quiet_day.dialled, quiet_day.team_id, quiet_day.employee_id), (0, self.team, self.emp_agent))
        counts = {"daily figures": sum(daily.mapped("deals"))}

        board = self.env["telesales.sales.leaderboard"].search([("month", "=", NOVEMBER), ("user_id", "=", agent.id)])
        counts["leaderboard"] = board.deal_count

        Statement = self.env["telesales.commission.statement"]
        Statement._make_month_statements(NOVEMBER)
        statement = Statement.search([("month", "=", NOVEMBER), ("user_id", "=", agent.id)])
        self.assertEqual(statement.deal_ids, expected)
        counts["statement"] = len(statement.deal_ids)

        summary = self.env["telesales.monthly.summary"]._prepare(self.emp_agent, NOVEMBER)
        counts["monthly summary"] = summary.deals

        sales = self.env["telesales.kpi"]._telesales_kpi_values(agent, NOVEMBER, DECEMBER, self.company,
                                                                codes=["sales_amount"])
        model, domain = sales["sales_amount"][agent.id][1]
        self.assertEqual(self.env[model].search(domain), expected, "the appraisal's evidence")
        counts["appraisal"] = self.env[model].search_count(domain)
        counts["titles and reviews"] = self.env["crm.lead"]._telesales_won_totals(
            agent, NOVEMBER, DECEMBER, self.company)[agent.id][1]
        self.assertEqual(counts, dict.fromkeys(counts, 3))
        self.assertEqual(board.sales_total, statement.sales_total)

    def test_trainee_deal_target_follows_the_win(self):
        """R-CALL-6 on the daily figures: a trainee's target is one won deal a day, however
        it was won; a second Deal call on an opportunity already won is no new deal."""
        self._call(self.leads[0], "2026-11-23 02:00:00")
        self._call(self.leads[0], "2026-11-24 02:00:00")
        self._call(self.leads[1], "2026-11-25 02:00:00", outcome="intent")
        with freeze_time("2026-11-25 06:00:00"):
            self.leads[1].with_user(self.user_agent).action_set_won()
        self.env.flush_all()
        rows = {row.date: row for row in self.env["telesales.call.daily"].search(
            [("user_id", "=", self.user_agent.id), ("date", ">=", "2026-11-23"), ("date", "<=", "2026-11-25")])}
        self.assertEqual([(day.day, rows[day].is_trainee, rows[day].deal_target_met) for day in sorted(rows)],
                         [(23, True, True), (24, True, False), (25, True, True)])

    def test_demo_deal_calls_are_won_deals(self):
        """The demo logs a Deal call on each won deal, never on an opportunity left open."""
        if not self.env.ref("telesales_mgmt.team_a", raise_if_not_found=False):
            self.skipTest("no demo data")
        demo_agents = self.env.ref("telesales_mgmt.team_a").telesales_employee_ids.user_id
        calls = self.env["telesales.call"].search([("outcome", "=", "deal"), ("user_id", "in", demo_agents.ids)])
        self.assertTrue(calls)
        self.assertEqual(set(calls.lead_id.mapped("won_status")), {"won"})
        today = self.company._telesales_today()
        month = today.replace(day=1)
        daily = self.env["telesales.call.daily"].search(
            [("user_id", "in", demo_agents.ids), ("date", ">=", month), ("date", "<=", today)])
        totals = self.env["crm.lead"]._telesales_won_totals(
            demo_agents, month, month + relativedelta(months=1), self.company)
        for user in demo_agents:
            with self.subTest(agent=user.name):
                self.assertEqual(sum(daily.filtered(lambda row, user=user: row.user_id == user).mapped("deals")),
                                 totals.get(user.id, (0, 0, None))[1])
