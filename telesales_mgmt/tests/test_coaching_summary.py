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
            "start": datetime.combine(day, datetime.min.time()) + timedelta(hours=2)})

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
        self._call(date(2026, 11, 23), "deal")
        with freeze_time(WEDNESDAY):
            self.assertFalse(self._coach())

    def test_weekend_is_not_a_working_day(self):
        # deal on Friday; Monday 23rd is the only working day since: not yet two
        self._call(date(2026, 11, 20), "deal")
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
