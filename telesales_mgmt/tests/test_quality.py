from datetime import date, datetime, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import TelesalesCase

WEEK = date(2026, 11, 16)  # a Monday


@tagged("post_install", "-at_install")
class TestQuality(TelesalesCase):
    """R-CALL-7: recorded calls sampled each week, inspected on a scorecard, acknowledged
    or appealed; the pass rate is an appraisal indicator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({
            "telesales_quality_sample_share": 10.0, "telesales_quality_sample_min": 2,
            "telesales_quality_trainee_factor": 2.0, "telesales_quality_complaint_factor": 3.0,
            "telesales_quality_pass_score": 80.0})
        cls.emp_agent.telesales_status = "trainee"
        for employee in cls.emp_agent_2 | cls.emp_agent_other | cls.emp_leader:
            employee.write({"telesales_live_date": "2026-01-05", "telesales_status": "live"})
        cls.user_inspector = new_test_user(
            cls.env, login="t_inspector", groups="telesales_mgmt.group_telesales_inspector",
            company_id=cls.company.id, company_ids=[cls.company.id])
        cls.Inspection = cls.env["telesales.quality.inspection"]
        cls.scorecard = cls.env.ref("telesales_mgmt.telesales_quality_scorecard_default")
        cls.fatal = cls.scorecard.criterion_ids.filtered("fatal")[:1]

    def _calls(self, user, count, day=WEEK, outcome="effective", recorded=True):
        return self.env["telesales.call"].with_context(telesales_seed=True).create([{
            "user_id": user.id, "outcome": outcome, "talk_seconds": 200,
            "recording_url": f"https://rec.example.com/{user.id}/{day}/{n}.mp3" if recorded else False,
            "start": datetime.combine(day + timedelta(days=n % 5), datetime.min.time())
            + timedelta(hours=2, minutes=n),
        } for n in range(count)])

    def _sample(self, week=WEEK):
        mine = self.emp_agent | self.emp_agent_2 | self.emp_agent_other
        return self.Inspection._telesales_sample_week(week, self.company).filtered(
            lambda i: i.employee_id in mine)

    def _inspect(self, call, as_user, fail_fatal=False, points=None):
        """Inspect `call` as `as_user`: full marks unless told otherwise; done."""
        inspection = self.env["telesales.quality.inspection"].with_user(as_user).create(
            {"call_id": call.id, "scorecard_id": self.scorecard.id})
        if fail_fatal:
            inspection.score_ids.filtered(lambda line: line.criterion_id == self.fatal).write(
                {"failed": True, "points": 0, "at_second": 42, "comment": "promised a refund that does not exist"})
        if points is not None:
            inspection.score_ids.write({"points": points})
        inspection.action_done()
        return inspection.sudo()

    # ------------------------------------------------------------
    # Sampling
    # ------------------------------------------------------------

    def test_sample_share_per_agent_more_for_trainees_and_complaints(self):
        live, trainee, complained = self.user_agent_2, self.user_agent, self.user_agent_other
        for user in (live, trainee, complained):
            self._calls(user, 40)
        live_calls = self.env["telesales.call"].search([("user_id", "=", live.id)])
        unrecorded = self._calls(live, 10, recorded=False)
        ineffective = self._calls(live, 10, outcome="no_answer")
        next_week = self._calls(live, 10, day=WEEK + timedelta(days=7))
        self.env["telesales.complaint"].create({
            "subject": "Rude", "description": "Rude on the phone", "agent_id": complained.id,
            "received_date": datetime(2026, 11, 18, 3)})
        sample = self._sample()
        count = {user: len(sample.filtered(lambda i, u=user: i.user_id == u))
                 for user in (live, trainee, complained)}
        self.assertEqual(count[live], 4, "10 % of 40")
        self.assertEqual(count[trainee], 8, "trainees: twice the sample")
        self.assertEqual(count[complained], 12, "after a complaint: three times")
        self.assertFalse(sample.call_id & (unrecorded | ineffective | next_week),
                         "only recorded effective calls of the week")
        self.assertTrue(sample.filtered(lambda i: i.user_id == live).call_id <= live_calls)
        self.assertEqual(set(sample.mapped("state")), {"draft"})
        self.assertEqual(sample.scorecard_id, self.scorecard)
        self.assertEqual(set(sample.mapped("sample_week")), {WEEK})

    def test_sample_minimum(self):
        self._calls(self.user_agent_2, 5)
        self._calls(self.user_agent_other, 1)
        sample = self._sample()
        self.assertEqual(len(sample.filtered(lambda i: i.user_id == self.user_agent_2)), 2,
                         "10 % of 5 rounds up to 1, the minimum is 2")
        self.assertEqual(len(sample.filtered(lambda i: i.user_id == self.user_agent_other)), 1,
                         "never more than there is")

    def test_sample_reproducible_never_twice_and_idempotent(self):
        calls = self._calls(self.user_agent_2, 40)
        first = self._sample()
        drawn = first.call_id
        self.assertEqual(len(drawn), 4)
        self.assertFalse(self._sample(), "a second run adds nothing")
        first.sudo().unlink()
        self.assertEqual(self._sample().call_id, drawn, "same week, same agent: the same draw")
        self.assertNotEqual(drawn, calls[:4], "random, not the first calls")
        # A call inspected by choice is never inspected a second time.
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.Inspection.with_user(self.user_leader).create(
                {"call_id": drawn[0].id, "scorecard_id": self.scorecard.id})

    def test_cron_samples_last_week(self):
        calls = self._calls(self.user_agent_2, 40)
        with freeze_time("2026-11-25 01:00:00"):
            sample = self.Inspection._cron_quality_sample().filtered(lambda i: i.user_id == self.user_agent_2)
        self.assertEqual(len(sample), 4)
        self.assertTrue(sample.call_id <= calls)

    # ------------------------------------------------------------
    # Inspection
    # ------------------------------------------------------------

    def test_pass_and_fail(self):
        calls = self._calls(self.user_agent, 3)
        passed = self._inspect(calls[0], self.user_leader)
        self.assertEqual(passed.total, 100.0)
        self.assertTrue(passed.passed)
        fatal = self._inspect(calls[1], self.user_leader, fail_fatal=True)
        self.assertGreaterEqual(fatal.total, 80.0, "the score alone would pass")
        self.assertTrue(fatal.fatal_failed)
        self.assertFalse(fatal.passed, "a fatal criterion failed fails the call")
        low = self._inspect(calls[2], self.user_inspector, points=5)
        self.assertFalse(low.fatal_failed)
        self.assertFalse(low.passed, "below the pass score in Settings")
        self.assertEqual(low.inspector_id, self.user_inspector)
        with self.assertRaisesText(UserError, "no longer change"):
            low.with_user(self.user_inspector).score_ids[:1].points = 10

    def test_self_inspection_refused(self):
        own = self._calls(self.user_leader, 1)
        with self.assertRaisesText(UserError, "own call"):
            self.Inspection.with_user(self.user_leader).create({"call_id": own.id, "scorecard_id": self.scorecard.id})
        sampled = self.Inspection.sudo().create({"call_id": own.id, "scorecard_id": self.scorecard.id,
                                                 "employee_id": self.emp_leader.id})
        with self.assertRaisesText(UserError, "your own call"):
            sampled.with_user(self.user_leader).action_start()
        with self.assertRaisesText(ValidationError, "own call"):
            sampled.inspector_id = self.user_leader
        # A leader inspects their own team, not another team's.
        other = self._calls(self.user_agent_other, 1)
        with self.assertRaises(AccessError):
            self.Inspection.with_user(self.user_leader).create({"call_id": other.id, "scorecard_id": self.scorecard.id})
        # A dedicated inspector inspects any agent of the department.
        self.assertTrue(self._inspect(other, self.user_inspector).passed)

    def test_access_per_role(self):
        call, other_call = self._calls(self.user_agent, 1), self._calls(self.user_agent_other, 1)
        mine = self._inspect(call, self.user_leader, fail_fatal=True)
        theirs = self._inspect(other_call, self.user_inspector)
        Agent = self.Inspection.with_user(self.user_agent)
        self.assertEqual(Agent.search([("id", "in", (mine | theirs).ids)]), mine, "an agent sees their own")
        self.assertEqual(self.Inspection.with_user(self.user_leader).search([("id", "in", (mine | theirs).ids)]),
                         mine, "a leader their team's")
        for user in (self.user_inspector, self.user_manager):
            self.assertEqual(self.Inspection.with_user(user).search([("id", "in", (mine | theirs).ids)]),
                             mine | theirs, "inspectors and the manager the department's")
        with self.assertRaises(AccessError):
            theirs.with_user(self.user_agent).read(["total"])
        with self.assertRaises(AccessError):
            mine.with_user(self.user_agent).score_ids[:1].write({"points": 15})
        with self.assertRaises(AccessError):
            mine.with_user(self.user_agent).write({"state": "overturned"})
        with self.assertRaises(AccessError):
            mine.with_user(self.user_leader).write({"state": "overturned"})
        self.assertIn(other_call, self.env["telesales.call"].with_user(self.user_inspector).search(
            [("id", "=", other_call.id)]), "an inspector listens to the department's calls")

    def test_appeal_flow(self):
        self.env = self.env(context=dict(self.env.context, tracking_disable=False))  # the decision is tracked
        failed = self._inspect(self._calls(self.user_agent, 1), self.user_leader, fail_fatal=True)
        as_agent = failed.with_user(self.user_agent)
        with self.assertRaises(AccessError):
            failed.with_user(self.user_agent_2).action_appeal()
        with self.assertRaisesText(UserError, "Appeal Reason"):
            as_agent.action_appeal()
        as_agent.appeal_reason = "I explained the refund policy correctly at 0:42."
        as_agent.action_appeal()
        self.assertEqual(failed.state, "appealed")
        with self.assertRaisesText(AccessError, "manager"):
            failed.with_user(self.user_leader).action_overturn()
        failed.with_user(self.user_manager).action_overturn()
        self.assertEqual(failed.state, "overturned")
        self.assertEqual(failed.decided_by_id, self.user_manager)
        self.assertTrue(failed.final_pass, "an overturned fail counts as a pass")
        self.assertIn("state", failed.message_ids.tracking_value_ids.field_id.mapped("name"))

        upheld = self._inspect(self._calls(self.user_agent, 1, day=WEEK + timedelta(days=1)),
                               self.user_leader, points=0)
        upheld.with_user(self.user_agent).write({"appeal_reason": "Line was bad."})
        upheld.with_user(self.user_agent).action_appeal()
        upheld.with_user(self.user_manager).action_uphold()
        self.assertFalse(upheld.final_pass)

        passed = self._inspect(self._calls(self.user_agent, 1, day=WEEK + timedelta(days=2)), self.user_leader)
        with self.assertRaisesText(UserError, "nothing to appeal"):
            passed.with_user(self.user_agent).write({"appeal_reason": "?"})
            passed.with_user(self.user_agent).action_appeal()
        with self.assertRaisesText(AccessError, "Only"):
            passed.with_user(self.user_leader).action_acknowledge()
        passed.with_user(self.user_agent).action_acknowledge()
        self.assertEqual(passed.state, "acknowledged")

    def test_pass_rates_and_kpi(self):
        calls = self._calls(self.user_agent, 5)
        acknowledged = self._inspect(calls[0], self.user_leader)
        acknowledged.with_user(self.user_agent).action_acknowledge()
        failed = self._inspect(calls[1], self.user_leader, points=0)
        failed.with_user(self.user_agent).action_acknowledge()
        overturned = self._inspect(calls[2], self.user_leader, points=0)
        overturned.with_user(self.user_agent).write({"appeal_reason": "wrong"})
        overturned.with_user(self.user_agent).action_appeal()
        overturned.with_user(self.user_manager).action_overturn()
        self._inspect(calls[3], self.user_leader, points=0)  # not acknowledged yet: not counted
        users = self.user_agent | self.user_agent_2
        rates = self.Inspection._telesales_pass_rates(users, WEEK, WEEK + timedelta(days=7))
        self.assertEqual(rates, {self.user_agent.id: (2, 3)})
        self.assertEqual(self.Inspection._telesales_pass_rates(
            users, WEEK + timedelta(days=7), WEEK + timedelta(days=14)), {}, "calls of another week")
        values = self.env["telesales.kpi"]._telesales_kpi_values(
            users, WEEK, WEEK + timedelta(days=7), self.company, codes=["call_quality"])["call_quality"]
        self.assertAlmostEqual(values[self.user_agent.id][0], 200 / 3)
        self.assertIsNone(values[self.user_agent_2.id][0], "no inspection, no value")
        model, domain = values[self.user_agent.id][1]
        self.assertEqual(self.env[model].search(domain), acknowledged | failed | overturned)
        self.assertEqual(self.env.ref("telesales_mgmt.telesales_kpi_call_quality").source, "computed")

    def test_failed_call_goes_to_coaching(self):
        calls = self._calls(self.user_agent, 3)
        waiting = self._inspect(calls[0], self.user_leader, fail_fatal=True)
        self.assertFalse(waiting.coaching_id, "no coaching open yet: it waits")
        coaching = self.env["telesales.coaching"].create({"employee_id": self.emp_agent.id, "date": WEEK})
        self.assertEqual(coaching.inspected_call_ids, calls[0], "the next coaching takes it")
        later = self._inspect(calls[1], self.user_leader, points=0)
        self.assertEqual(coaching.inspected_call_ids, calls[:2], "and the fails while it is open")
        self._inspect(calls[2], self.user_leader)
        self.assertEqual(coaching.inspected_call_ids, calls[:2], "a pass is not coached")
        later.with_user(self.user_agent).write({"appeal_reason": "wrong"})
        later.with_user(self.user_agent).action_appeal()
        later.with_user(self.user_manager).action_overturn()
        self.assertEqual(coaching.inspected_call_ids, calls[0], "an overturned fail leaves the coaching")
