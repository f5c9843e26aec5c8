"""Crons that can touch thousands of records work in batches and resume (issue 13;
`cron_common.CronBatchesMixin`; recycling and the attendance judge are in their own
modules). Through Odoo's own cron machinery, a run cut short after each batch is run
again by Odoo until the work is done, one committed batch at a time."""
from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from ..models.telesales_complaint_stage import DONE_STATES
from .common import TelesalesCase
from .cron_common import CronBatchesMixin
from .test_complaint import ComplaintCase


@tagged("post_install", "-at_install")
class TestCronBatchesAgents(CronBatchesMixin, TelesalesCase):
    """Per-agent crons: daily minimum, coaching, monthly summary, rank reviews,
    commission statements."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"telesales_tz": "Asia/Shanghai", "telesales_cutoff_hour": 18.0,
                           "telesales_coaching_days": 2})
        cls.agents = cls.emp_agent | cls.emp_agent_2 | cls.emp_agent_other
        for n in range(3):
            user = new_test_user(cls.env, login=f"t_batch{n}", groups="telesales_mgmt.group_telesales_agent")
            cls.agents |= cls.env["hr.employee"].create({
                "name": f"Batch Agent {n}", "user_id": user.id, "telesales_role": "agent",
                "telesales_team_id": cls.team.id})
        cls.agents.write({"resource_calendar_id": cls.company.resource_calendar_id.id, "tz": "Asia/Shanghai"})

    def _call(self, user, start, outcome="effective", talk_seconds=300):
        return self.env["telesales.call"].with_context(telesales_seed=True).create({
            "user_id": user.id, "outcome": outcome, "talk_seconds": talk_seconds, "start": start})

    # ------------------------------------------------------------
    # Daily minimum
    # ------------------------------------------------------------

    def _minimum(self, at="2026-11-23 10:00:00", **kwargs):  # Monday 18:00 in Shanghai
        with freeze_time(at):
            self.env["telesales.daily.minimum"]._cron_check_daily_minimum(**kwargs)

    def _minimum_results(self):
        return {(r.employee_id.id, r.met, r.connected, r.overtime_hours, len(r.activity_ids))
                for r in self.env["telesales.daily.minimum"].search([("date", "=", date(2026, 11, 23))])}

    def test_daily_minimum(self):
        self._call(self.user_agent, datetime(2026, 11, 23, 1, 0))
        self._assert_resumes(self._minimum, self._minimum_results)

    def test_daily_minimum_through_the_cron_machinery(self):
        """Cut short after each batch of N agents: Odoo runs it again until every agent
        is judged, each batch committed with its progress; the next run finds nothing."""
        before = self._minimum_results()  # the demo department's days are judged already
        with freeze_time("2026-11-23 10:00:00"):
            count = len(self.env["telesales.daily.minimum"]._agents_to_judge(self.company, date(2026, 11, 23)))
        batch = -(-count // 4)  # four runs or five: within Odoo's ten per job
        code = f"model._cron_check_daily_minimum(batch_size={batch}, limit=1)"
        with freeze_time("2026-11-23 10:00:00", tick=True):
            progress = self._trigger("telesales_mgmt.ir_cron_daily_minimum", code)
        self.assertGreater(len(progress), 1, "several runs, one batch each")
        self.assertEqual(sum(progress.mapped("done")), count)
        self.assertEqual(progress[-1].remaining, 0)
        results = self._minimum_results()
        self.assertEqual(len(results), len(before) + count, "every agent judged once")
        with freeze_time("2026-11-23 10:00:00"):
            self.assertFalse(self.env["telesales.daily.minimum"]._agents_to_judge(self.company, date(2026, 11, 23)))
        with freeze_time("2026-11-23 10:00:00", tick=True):
            again = self._trigger("telesales_mgmt.ir_cron_daily_minimum", code)
        self.assertEqual(sum(again.mapped("done")), 0)
        self.assertEqual(self._minimum_results(), results)

    # ------------------------------------------------------------
    # Coaching
    # ------------------------------------------------------------

    def test_trainee_coaching(self):
        self.agents.write({"telesales_status": "trainee"})
        self._call(self.user_agent_2, datetime(2026, 11, 24, 2, 0), outcome="deal")

        def run(**kwargs):
            with freeze_time("2026-11-25 01:00:00"):
                self.env["telesales.coaching"]._cron_trainee_coaching(**kwargs)

        def snapshot():
            return {(c.employee_id.id, c.date, c.leader_id.id, c.days_without_deal, len(c.activity_ids))
                    for c in self.env["telesales.coaching"].search([])}

        self._assert_resumes(run, snapshot)

    # ------------------------------------------------------------
    # Monthly summary
    # ------------------------------------------------------------

    def test_monthly_summaries(self):
        self._call(self.user_agent, datetime(2026, 10, 12, 2, 0), outcome="deal")

        def run(**kwargs):
            with freeze_time("2026-11-01 02:00:00"):
                self.env["telesales.monthly.summary"]._cron_prepare_summaries(**kwargs)

        def snapshot():
            return {(s.employee_id.id, s.month, s.dialled, s.connected, s.deals, s.days_minimum_met,
                     s.days_minimum_short, len(s.activity_ids))
                    for s in self.env["telesales.monthly.summary"].search([])}

        self._assert_resumes(run, snapshot)

    # ------------------------------------------------------------
    # Rank reviews
    # ------------------------------------------------------------

    def test_rank_reviews(self):
        Review = self.env["telesales.rank.review"]
        # Two confirmed reviews of last quarter due today, besides the proposals.
        Review.sudo().create([{
            "employee_id": agent.id, "quarter": date(2026, 4, 1), "rank_id": self.rank_agent_1.id,
            "decision": "promote", "new_rank_id": self.rank_agent_2.id, "state": "confirmed",
            "effective_date": date(2026, 10, 1)} for agent in self.emp_agent | self.emp_agent_2])

        def run(**kwargs):
            with freeze_time("2026-10-05 02:00:00"):
                Review._cron_reviews(**kwargs)

        def snapshot():
            return ({(r.employee_id.id, r.quarter, r.decision, r.new_rank_id.id, r.state) for r in Review.search([])},
                    {(e.id, e.telesales_rank_id.id) for e in self.agents})

        self._assert_resumes(run, snapshot)

    # ------------------------------------------------------------
    # Commission statements
    # ------------------------------------------------------------

    def _commission_fixture(self):
        self.env["telesales.commission.plan"].search([]).active = False
        self.env["telesales.commission.plan"].create({
            "name": "Team 1", "team_ids": [self.team.id], "gate": 0, "mode": "progressive",
            "tier_ids": [(0, 0, {"lower": 0, "upper": 0, "rate": 2})]})
        for user, amount, when in ((self.user_agent, 7_000, "2026-11-10 03:00:00"),
                                   (self.user_agent_2, 3_000, "2026-11-12 03:00:00"),
                                   (self.user_agent, 2_000, "2026-12-02 03:00:00")):
            lead = self.env["crm.lead"].create({"name": "Deal", "type": "opportunity", "expected_revenue": amount,
                                                "team_id": self.team.id, "user_id": user.id})
            with freeze_time(when):
                lead.action_set_won()

    def _statements(self):
        return {(s.user_id.id, s.month, s.state, s.sales_total, s.commission, s.total_pay)
                for s in self.env["telesales.commission.statement"].search([])}

    def test_commission_statements(self):
        self._commission_fixture()

        def run(**kwargs):
            with freeze_time("2026-12-03 02:00:00"):
                self.env["telesales.commission.statement"]._cron_compute(**kwargs)

        self._assert_resumes(run, self._statements)

    def test_commission_through_the_cron_machinery(self):
        """Drafts are computed again every night: run by the cron, a draft it computed
        today is done, so a run cut short goes on with the others rather than starting
        over (each of the five agents of the plan, this month and last)."""
        self._commission_fixture()

        def run():
            with freeze_time("2026-12-03 02:00:00"):
                self.env["telesales.commission.statement"]._cron_compute()

        reference = self._undone(run, self._statements)
        code = "model._cron_compute(batch_size=2, limit=1)"
        with freeze_time("2026-12-03 02:00:00", tick=True):
            progress = self._trigger("telesales_mgmt.ir_cron_commission", code)
        self.assertEqual(progress.mapped("done"), [2, 2, 2, 2, 2], "ten drafts, two per run")
        self.assertEqual(self._statements(), reference)
        with freeze_time("2026-12-03 02:00:00", tick=True):
            again = self._trigger("telesales_mgmt.ir_cron_commission", code)
        self.assertEqual(again.mapped("done"), [0], "all computed today")
        self.assertEqual(self._statements(), reference)


@tagged("post_install", "-at_install")
class TestCronBatchesTitles(CronBatchesMixin, TelesalesCase):
    """Honour titles: a batch is a company (its titles are one ranking)."""

    def test_titles_company_by_company(self):
        october = date(2025, 10, 1)
        branch = self.env["res.company"].create({"name": "T-Branch"})
        user = new_test_user(self.env, login="t_branch_title", groups="telesales_mgmt.group_telesales_agent",
                             company_id=branch.id, company_ids=[branch.id])
        team = self.env["crm.team"].create({"name": "T-Branch Team", "is_telesales": True, "company_id": branch.id})
        self.env["hr.employee"].with_company(branch).create({
            "name": "Branch Agent", "user_id": user.id, "telesales_role": "agent", "company_id": branch.id,
            "telesales_team_id": team.id})
        for seller, company, seller_team in ((self.user_agent, self.company, self.team), (user, branch, team)):
            lead = self.env["crm.lead"].with_company(company).create({
                "name": "Deal", "type": "opportunity", "expected_revenue": 5_000, "company_id": company.id,
                "user_id": seller.id, "team_id": seller_team.id})
            with freeze_time("2025-10-10 03:00:00"):
                lead.action_set_won()
        Title = self.env["telesales.honour.title"]

        def run(**kwargs):
            with freeze_time("2025-11-02 03:00:00"):
                Title._cron_award(**kwargs)

        def snapshot():
            return {(t.company_id.id, t.kind, t.team_id.id, t.user_id.id, t.sales_total)
                    for t in Title.search([("month", "=", october)])}

        self._assert_resumes(run, snapshot, batch_size=1)


@tagged("post_install", "-at_install")
class TestCronBatchesComplaints(CronBatchesMixin, ComplaintCase):
    """The SLA run: only the tickets whose status changes or whose escalation lags."""

    def test_sla(self):
        for n in range(5):
            self._complaint(subject=f"Late {n}")
        watched = self.Complaint.search([("state", "not in", DONE_STATES)])

        def run(**kwargs):
            with freeze_time("2026-12-09 00:00:00"):  # past the deadline (Tuesday 8th, 15:00)
                self.Complaint._cron_sla(**kwargs)

        def snapshot():
            return {(c.id, c.sla_status, c.escalation, tuple(sorted(c.activity_ids.mapped("user_id.login"))))
                    for c in watched}

        self._assert_resumes(run, snapshot)
        self.assertEqual(set(watched.filtered(lambda c: c.subject.startswith("Late")).mapped("escalation")),
                         {"breached"})
