from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TelesalesCase

OCTOBER = date(2025, 10, 1)  # a month the demo data never reaches


@tagged("post_install", "-at_install")
class TestAppraisal(TelesalesCase):
    """R-KPI-3/4: the month's appraisal opens with frozen values, then each step by its
    role only; peers rate anonymously; HR consolidates by the bands; done is read-only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({
            "telesales_grade_s_min": 95, "telesales_grade_a_min": 85, "telesales_grade_b_min": 70,
            "telesales_grade_c_min": 60, "telesales_appraisal_due_day": 10,
            "telesales_forced_distribution": False})
        Kpi = cls.env["telesales.kpi"]
        cls.kpi_calls, cls.kpi_leader, cls.kpi_peer = (
            Kpi.search([("code", "=", code)], limit=1) for code in ("calls_dialled", "leader_rating", "peer_rating"))
        cls.kpi_calls.write({"scoring": "linear", "cap": 120, "direction": "higher"})
        Template = cls.env["telesales.appraisal.template"]
        Template.search([]).active = False  # only this test's template applies
        cls.template = Template.create({"name": "Agents (test)", "role": "agent", "line_ids": [
            (0, 0, {"kpi_id": cls.kpi_calls.id, "weight": 50, "target": 100}),
            (0, 0, {"kpi_id": cls.kpi_leader.id, "weight": 30, "target": 100}),
            (0, 0, {"kpi_id": cls.kpi_peer.id, "weight": 20, "target": 100}),
            (0, 0, {"kpi_id": Kpi.search([("code", "=", "sales_cycle")], limit=1).id, "weight": 0, "target": 30})]})
        cls.env["res.users"].browse([cls.user_hr.id]).write(
            {"group_ids": [(4, cls.env.ref("hr.group_hr_user").id)]})

    def _open(self):
        """October's appraisals, with 80 calls for the agent (score 80 on calls)."""
        Call = self.env["telesales.call"].with_context(telesales_seed=True)
        Call.create([{"user_id": self.user_agent.id, "outcome": "no_answer",
                      "start": datetime(2025, 10, 6, 2, 0)} for _n in range(80)])
        with freeze_time("2025-11-01 02:00:00"):
            return self.env["telesales.appraisal"]._telesales_open_month(OCTOBER, self.company)

    def _mine(self, appraisals, employee):
        return appraisals.filtered(lambda a: a.employee_id == employee)

    def test_opens_once_with_frozen_values_and_evidence(self):
        appraisals = self._open()
        mine_three = self.emp_agent | self.emp_agent_2 | self.emp_agent_other
        self.assertEqual(appraisals.employee_id & (mine_three | self.emp_leader), mine_three,
                         "the agents on the (agents') template; the leader has none")
        mine = self._mine(appraisals, self.emp_agent)
        calls = mine.line_ids.filtered(lambda line: line.kpi_id == self.kpi_calls)
        self.assertEqual((calls.value, calls.score, calls.weighted_score), (80.0, 80.0, 40.0))
        self.assertEqual(mine.due_date, date(2025, 11, 10))
        cycle = mine.line_ids.filtered(lambda line: line.kpi_id.code == "sales_cycle")
        self.assertEqual((cycle.has_value, cycle.score), (False, 0.0), "no deal: no cycle, never the best score")
        self.assertEqual(mine.state, "self")
        evidence = calls.action_open_evidence()
        self.assertEqual(self.env[evidence["res_model"]].search_count(evidence["domain"]), 80)
        # A call logged later changes nothing: the value is frozen.
        self.env["telesales.call"].with_context(telesales_seed=True).create(
            {"user_id": self.user_agent.id, "outcome": "no_answer", "start": datetime(2025, 10, 7, 2, 0)})
        self.assertEqual(calls.value, 80.0)
        with freeze_time("2025-11-01 02:00:00"):
            self.assertFalse(self.env["telesales.appraisal"]._telesales_open_month(OCTOBER, self.company),
                             "run twice: nothing new")
        # Peer rating sheets: each team-mate rates the agent once.
        self.assertEqual(mine.sudo().rating_ids.rater_id, self.user_agent_2)

    def test_each_step_by_its_role_only(self):
        appraisal = self._mine(self._open(), self.emp_agent)
        as_agent, as_leader = appraisal.with_user(self.user_agent), appraisal.with_user(self.user_leader)
        as_manager, as_hr = appraisal.with_user(self.user_manager), appraisal.with_user(self.user_hr)
        with self.assertRaisesText(UserError, "self-assessment"):
            as_agent.action_submit_self()
        with self.assertRaisesText(AccessError, "Only the appraised employee"):
            as_leader.self_comment = "written by the leader"
        as_agent.self_comment = "做得好的：新客户；要改进的：开场白"
        with self.assertRaises(AccessError):
            appraisal.with_user(self.user_agent_2).action_submit_self()
        as_agent.action_submit_self()
        self.assertEqual(appraisal.state, "leader")
        with self.assertRaisesText(AccessError, "Self-assessment"):
            as_agent.self_comment = "changed afterwards"
        # The leader of another team, and the agent, cannot act for the leader.
        for intruder in (self.user_leader_2, self.user_agent):
            with self.subTest(intruder=intruder.login), self.assertRaises(AccessError):
                appraisal.with_user(intruder).action_submit_leader()
        leader_line = as_leader.line_ids.filtered(lambda line: line.kpi_id == self.kpi_leader)
        with self.assertRaisesText(UserError, "Leader's Score"):
            as_leader.action_submit_leader()
        with self.assertRaises(AccessError):
            leader_line.with_user(self.user_agent).leader_score = 100
        with self.assertRaises(AccessError):  # computed indicators are not scored by hand
            as_leader.line_ids.filtered(lambda line: line.kpi_id == self.kpi_calls).leader_score = 100
        leader_line.leader_score = 90
        as_leader.leader_comment = "稳定"
        as_leader.action_submit_leader()
        with self.assertRaises(AccessError):
            as_leader.action_submit_manager()
        as_manager.action_submit_manager()
        with self.assertRaises(AccessError):
            as_manager.action_consolidate()
        as_hr.action_consolidate()
        # 80 × 0.5 + 90 × 0.3 + 0 (no peer rated) = 67: C (60 ≤ 67 < 70)
        self.assertEqual((appraisal.final_score, appraisal.grade, appraisal.state), (67.0, "c", "interview"))
        with self.assertRaisesText(UserError, "Interview"):
            as_leader.action_interview_done()
        as_leader.write({"interview_date": "2025-11-08", "interview_notes": "约定改进开场白",
                         "action_ids": [(0, 0, {"name": "每天练习开场白", "deadline": "2025-11-30"})]})
        as_leader.action_interview_done()
        self.assertEqual(appraisal.state, "done")
        self.assertEqual(appraisal.action_ids.activity_id.user_id, self.user_agent, "the plan becomes activities")
        # Done is read-only; only HR reopens, with a reason.
        with self.assertRaises(AccessError):
            as_leader.leader_comment = "afterthought"
        with self.assertRaises(AccessError):
            as_leader.action_reopen()
        with self.assertRaisesText(UserError, "reason"):
            as_hr.action_reopen()
        as_hr.reopen_reason = "Deal date corrected"
        as_hr.action_reopen()
        self.assertEqual(appraisal.state, "hr")

    def test_a_leaders_appraisal_goes_to_the_manager(self):
        self.template.copy({"name": "Leaders (test)", "role": "leader"})
        appraisal = self._mine(self._open(), self.emp_leader)
        appraisal.with_user(self.user_leader).write({"self_comment": "带队"})
        appraisal.with_user(self.user_leader).action_submit_self()
        appraisal.line_ids.filtered(lambda line: line.kpi_id == self.kpi_leader).with_user(
            self.user_manager).leader_score = 80
        with self.assertRaisesText(AccessError, "Only"):
            appraisal.with_user(self.user_leader).action_submit_leader()  # not their own assessment
        appraisal.with_user(self.user_manager).action_submit_leader()
        self.assertEqual(appraisal.state, "manager")

    def test_figures_are_the_systems(self):
        appraisal = self._mine(self._open(), self.emp_agent)
        for fname, value in (("grade", "s"), ("final_score", 100), ("state", "done"), ("achievement", 200)):
            with self.subTest(fname), self.assertRaises(AccessError):
                appraisal.with_user(self.user_agent).write({fname: value})
        line = appraisal.line_ids[:1]
        for fname, value in (("value", 1000), ("weight", 100)):
            with self.subTest(fname), self.assertRaises(AccessError):
                line.with_user(self.user_leader).write({fname: value})
        with self.assertRaises(AccessError):
            self.env["telesales.appraisal"].with_user(self.user_manager).create(
                {"employee_id": self.emp_agent.id, "date_from": "2025-09-01", "date_to": "2025-10-01"})

    def test_peer_ratings_are_anonymous(self):
        appraisals = self._open()
        mine = self._mine(appraisals, self.emp_agent)
        sheet = self.env["telesales.appraisal.rating"].with_user(self.user_agent_2).search(
            [("appraisal_id", "=", mine.id)])
        self.assertEqual(len(sheet), 1)
        with self.assertRaises(AccessError):
            sheet.with_user(self.user_agent_other).score = 10
        sheet.write({"score": 70, "comment": "乐于分享"})
        # The rated agent finds no rating of their own appraisal, by any door.
        Rating = self.env["telesales.appraisal.rating"].with_user(self.user_agent)
        self.assertFalse(Rating.search([("appraisal_id", "=", mine.id)]))
        self.assertFalse(Rating.search_count([("appraisal_id.employee_id", "=", self.emp_agent.id)]))
        with self.assertRaises(AccessError):
            sheet.with_user(self.user_agent).read(["rater_id", "score"])
        mine.with_user(self.user_agent).self_comment = "ok"
        mine.with_user(self.user_agent).action_submit_self()
        peer_line = mine.line_ids.filtered(lambda line: line.kpi_id == self.kpi_peer)
        self.assertEqual(peer_line.with_user(self.user_agent).score, 70.0, "the average is theirs to see")
        with self.assertRaisesText(AccessError, "self-assessment"):
            sheet.score = 100  # past the self-assessment

    def test_grade_band_edges(self):
        appraisal = self._mine(self._open(), self.emp_agent)
        bands = self.company._telesales_grade_bands()
        from ..engines import kpi as kpi_engine  # noqa: PLC0415
        for score, grade in ((95, "s"), (94.99, "a"), (85, "a"), (70, "b"), (69.99, "c"), (60, "c"),
                             (59.99, "d"), (0, "d")):
            with self.subTest(score=score):
                self.assertEqual(kpi_engine.grade(score, bands), grade.upper())
        self.assertTrue(appraisal)

    def test_forced_distribution(self):
        self.company.write({"telesales_forced_distribution": True, "telesales_forced_s_share": 50,
                            "telesales_forced_a_share": 50})
        appraisals = self._open()
        team = appraisals.filtered(lambda a: a.team_id == self.team)
        self.assertEqual(len(team), 2)
        for appraisal, score in zip(team.sorted("id"), (100, 99), strict=True):
            appraisal.sudo().write({"state": "hr"})
            appraisal.line_ids.sudo().write({"value": score})
            appraisal.line_ids.filtered(lambda line: line.kpi_id == self.kpi_leader).sudo().leader_score = score
        team.with_user(self.user_hr).action_consolidate()
        first, second = team.sorted(lambda a: -a.final_score)
        self.assertEqual((first.grade, second.grade), ("s", "a"), "one S in two at 50 %: the second steps down")
        self.assertIn("50", second.forced_distribution_note)
        self.assertFalse(first.forced_distribution_note)

    def test_reminder_then_escalation_once(self):
        appraisal = self._mine(self._open(), self.emp_agent)
        Activity = self.env["mail.activity"]

        def activities():
            return Activity.search([("res_model", "=", "telesales.appraisal"), ("res_id", "=", appraisal.id)])
        with freeze_time("2025-11-07 02:00:00"):
            self.env["telesales.appraisal"]._cron_remind()
        self.assertFalse(activities(), "3 days before: not yet")
        with freeze_time("2025-11-08 02:00:00"):
            self.env["telesales.appraisal"]._cron_remind()
            self.env["telesales.appraisal"]._cron_remind()
        self.assertEqual(activities().user_id, self.user_agent, "reminded once, 2 days before")
        with freeze_time("2025-11-11 02:00:00"):
            self.env["telesales.appraisal"]._cron_remind()
            self.env["telesales.appraisal"]._cron_remind()
        self.assertEqual(len(activities()), 2)
        self.assertIn(self.user_manager, activities().user_id, "late: the manager is told, once")
