from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TelesalesCase

WEDNESDAY = "2026-11-25 01:00:00"  # 09:00 in Shanghai


@tagged("post_install", "-at_install")
class TestCoaching(TelesalesCase):
    """R-CALL-6: a trainee without a deal for 2 working days is coached by their leader."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.telesales_coaching_days = 2
        calendar = cls.company.resource_calendar_id
        (cls.emp_agent | cls.emp_agent_2).write({"resource_calendar_id": calendar.id})
        cls.emp_agent_2.write({"telesales_live_date": "2026-01-05", "telesales_status": "live"})
        cls.Coaching = cls.env["telesales.coaching"]

    def _call(self, day, outcome, user=None):
        return self.env["telesales.call"].with_context(telesales_seed=True).create({
            "user_id": (user or self.user_agent).id, "outcome": outcome, "talk_seconds": 200,
            "recording_url": "https://pbx.example.com/recordings/coaching.mp3",  # coaching replays recordings
            "start": datetime.combine(day, datetime.min.time()) + timedelta(hours=2)})

    def _deal(self, day):
        """A deal is a won opportunity, on its won day (R-CALL-3)."""
        deal = self.env["crm.lead"].create({"name": "Deal", "type": "opportunity", "user_id": self.user_agent.id,
                                            "team_id": self.team.id})
        deal.action_set_won()
        deal.write({"telesales_won_date": day})
        return deal

    def _coach(self):
        """Run the cron; only this fixture's agents (the demo has trainees of its own)."""
        mine = self.emp_agent | self.emp_agent_2
        return self.Coaching._cron_trainee_coaching().filtered(lambda c: c.employee_id in mine)

    def test_two_working_days_without_deal(self):
        self._call(date(2026, 11, 23), "intent")
        failed = self._call(date(2026, 11, 24), "not_interested")
        with freeze_time(WEDNESDAY):
            coaching = self._coach()
        self.assertEqual(coaching.employee_id, self.emp_agent, "trainees only, not live agents")
        self.assertEqual(coaching.leader_id, self.user_leader)
        self.assertIn(failed, coaching.failed_call_ids)
        self.assertTrue(coaching.success_call_ids, "the intent call is shown as what worked")
        self.assertEqual(coaching.activity_ids.user_id, self.user_leader)
        with freeze_time(WEDNESDAY):
            self.assertFalse(self._coach(), "rerun: no second coaching")

    def test_a_deal_in_the_window_means_no_coaching(self):
        self._deal(date(2026, 11, 23))
        with freeze_time(WEDNESDAY):
            self.assertFalse(self._coach())

    def test_a_deal_outcome_without_a_win_is_no_deal(self):
        # Every figure counts won opportunities: a bare call outcome does not spare coaching.
        self._call(date(2026, 11, 23), "deal")
        with freeze_time(WEDNESDAY):
            self.assertEqual(self._coach().employee_id, self.emp_agent)

    def test_weekend_is_not_a_working_day(self):
        # deal on Friday; Monday 23rd is the only working day since: not yet two
        self._deal(date(2026, 11, 20))
        with freeze_time("2026-11-24 01:00:00"):
            self.assertFalse(self._coach())


@tagged("post_install", "-at_install")
class TestMonthlySummary(TelesalesCase):
    """R-CALL-3: on the 1st a summary per agent, prefilled; the agent submits, the leader
    acknowledges."""

    def test_prefilled_submitted_acknowledged(self):
        Call = self.env["telesales.call"].with_context(telesales_seed=True)
        Call.create([{"user_id": self.user_agent.id, "outcome": outcome, "talk_seconds": 360,
                      "start": datetime(2026, 10, 12, 2, 0) + timedelta(minutes=n)}
                     for n, outcome in enumerate(["effective", "deal", "no_answer"])])
        deal = self.env["crm.lead"].create({"name": "Deal", "type": "opportunity", "user_id": self.user_agent.id,
                                            "team_id": self.team.id})
        deal.action_set_won()  # a deal is the won opportunity, on its won day (R-CALL-3)
        deal.write({"telesales_won_date": "2026-10-12"})
        Summary = self.env["telesales.monthly.summary"]
        with freeze_time("2026-11-01 02:00:00"):
            summaries = Summary._cron_prepare_summaries()
            self.assertFalse(Summary._cron_prepare_summaries(), "rerun adds nothing")
        mine = summaries.filtered(lambda s: s.employee_id == self.emp_agent)
        self.assertEqual(str(mine.month), "2026-10-01")
        self.assertEqual((mine.dialled, mine.connected, mine.deals), (3, 2, 1))
        self.assertAlmostEqual(mine.talk_hours, 0.3, places=2)

        as_agent = mine.with_user(self.user_agent)
        with self.assertRaisesText(UserError, "before submitting"):
            as_agent.action_submit()
        as_agent.write({"problems": "<p>Few answers after 17:00</p>", "improvements": "<p>Call earlier</p>"})
        with self.assertRaisesText(UserError, "Submit and Acknowledge buttons"):
            as_agent.write({"state": "acknowledged"})
        as_agent.action_submit()
        self.assertEqual(mine.state, "submitted")
        with self.assertRaisesText(UserError, "team leader acknowledges"):
            as_agent.action_acknowledge()
        mine.with_user(self.user_leader).action_acknowledge()
        self.assertEqual(mine.state, "acknowledged")

        other = summaries.filtered(lambda s: s.employee_id == self.emp_agent_other)
        with self.assertRaises(AccessError):
            other.with_user(self.user_agent).read(["problems"])
        with self.assertRaises(AccessError):
            other.with_user(self.user_leader).read(["problems"])


@tagged("post_install", "-at_install")
class TestMonthlySummaryTrust(TelesalesCase):
    """Issue 12 §3/§4: the figures and the state of a work summary are the system's; the
    agent writes their account while it is a draft; no context key opens a door."""

    PROTECTED = {"dialled": 99, "connected": 99, "effective": 99, "intent": 99, "deals": 9, "talk_hours": 99.0,
                 "days_minimum_met": 31, "days_minimum_short": 0, "month": "2026-09-01", "leader_id": None,
                 "state": "acknowledged", "employee_id": None, "user_id": None, "team_id": None, "company_id": None}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-11-01 02:00:00"):
            summaries = cls.env["telesales.monthly.summary"]._cron_prepare_summaries()
        cls.summary = summaries.filtered(lambda s: s.employee_id == cls.emp_agent)
        cls.PROTECTED = dict(cls.PROTECTED, leader_id=cls.user_leader_2.id, employee_id=cls.emp_agent_2.id,
                             user_id=cls.user_agent_2.id, team_id=cls.team_2.id,
                             company_id=cls.env["res.company"].create({"name": "Other Co"}).id)

    def _assert_figures_untouched(self):
        self.summary.invalidate_recordset()
        self.assertEqual((self.summary.dialled, self.summary.deals, self.summary.state, self.summary.user_id),
                         (0, 0, "draft", self.user_agent))

    def test_no_role_writes_a_protected_field(self):
        users = [self.user_agent, self.user_agent_2, self.user_leader_2, self.user_leader, self.user_manager]
        for user in users:
            for field, value in self.PROTECTED.items():
                for context in ({}, {"telesales_summary_flow": True}):
                    with self.subTest(user=user.login, field=field, context=context), \
                            self.assertRaises(UserError):
                        self.summary.with_user(user).with_context(**context).write({field: value})
        self._assert_figures_untouched()

    def test_only_the_system_creates(self):
        values = {"employee_id": self.emp_agent.id, "month": "2026-08-01", "deals": 50}
        for user in (self.user_agent, self.user_manager):
            with self.subTest(user=user.login), self.assertRaisesText(AccessError, "prepared by the system"):
                self.env["telesales.monthly.summary"].with_user(user).with_context(
                    telesales_summary_flow=True).create(values)

    def test_the_agent_writes_their_account_while_a_draft(self):
        account = {"problems": "<p>Few answers</p>", "improvements": "<p>Call earlier</p>"}
        for user in (self.user_leader, self.user_manager):
            with self.subTest(user=user.login), self.assertRaisesText(AccessError, "Only Agent writes"):
                self.summary.with_user(user).write(account)
        for user in (self.user_agent_2, self.user_leader_2):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.summary.with_user(user).write(account)
        as_agent = self.summary.with_user(self.user_agent)
        self.assertTrue(as_agent.is_author)
        self.assertFalse(self.summary.with_user(self.user_leader).is_author, "the form shows it read-only")
        as_agent.write(account)
        as_agent.action_submit()
        self.assertEqual(self.summary.state, "submitted")
        with self.assertRaisesText(UserError, "is submitted: its problems and improvements are read-only"):
            as_agent.write({"problems": "<p>Rewritten after the fact</p>"})
        with self.assertRaisesText(UserError, "already submitted"):
            as_agent.action_submit()

    def test_the_buttons_check_who_presses_them(self):
        self.summary.with_user(self.user_agent).write({"problems": "<p>x</p>", "improvements": "<p>y</p>"})
        for user in (self.user_agent_2, self.user_leader_2):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.summary.with_user(user).with_context(telesales_summary_flow=True).action_submit()
        self.summary.with_user(self.user_agent).action_submit()
        for user in (self.user_agent, self.user_agent_2, self.user_leader_2):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.summary.with_user(user).with_context(telesales_summary_flow=True).action_acknowledge()
        self.assertEqual(self.summary.state, "submitted")
        self.summary.with_user(self.user_leader).action_acknowledge()
        self.assertEqual(self.summary.state, "acknowledged")
