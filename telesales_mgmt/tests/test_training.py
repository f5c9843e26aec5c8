from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TelesalesCase


@tagged("post_install", "-at_install")
class TestTraining(TelesalesCase):
    """R-TRN-1..3, R-INC-3: sessions and attendance, the exam as a certification, the
    go-live gate, trainees and the pool, scores for the appraisal, the reward, access."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"telesales_tz": "Asia/Shanghai", "telesales_onboarding_min_days": 3,
                           "telesales_training_reward_amount": 200, "telesales_training_reward_min_score": 90})
        cls.exam = cls.env["survey.survey"].create({
            "title": "Onboarding exam", "certification": True, "scoring_type": "scoring_without_answers",
            "scoring_success_min": 60, "access_mode": "public", "is_attempts_limited": False})
        cls.questions = cls.env["survey.question"].create([{
            "title": f"Question {n}", "survey_id": cls.exam.id, "question_type": "simple_choice",
            "suggested_answer_ids": [Command.create({"value": "Right", "is_correct": True, "answer_score": 10}),
                                     Command.create({"value": "Wrong", "answer_score": 0})],
        } for n in range(2)])
        cls.plan = cls.env["telesales.training.plan"].create({"name": "Plan 2026", "year": 2026, "budget": 5000})
        cls.Session = cls.env["telesales.training.session"]
        cls.Result = cls.env["telesales.training.result"]

    def _session(self, start, employees, topic="onboarding", attended=True, survey=True, done=True):
        session = self.Session.create({
            "name": f"{topic} {start}", "plan_id": self.plan.id, "topic": topic, "start": start, "hours": 6,
            "trainer_id": self.user_leader.id, "survey_id": survey and self.exam.id,
            "attendance_ids": [Command.create({"employee_id": e.id, "attended": attended}) for e in employees]})
        if done:
            session.action_done()
        return session

    def _take_exam(self, user, right_answers):
        attempt = self.exam._create_answer(user=user)
        for n, question in enumerate(self.questions):
            answer = question.suggested_answer_ids[0 if n < right_answers else 1]
            attempt._save_lines(question, answer.id)
        attempt._mark_done()
        return attempt

    # ------------------------------------------------------------
    # Sessions
    # ------------------------------------------------------------

    def test_session_invites_attendees_and_gives_results(self):
        session = self._session("2026-11-02 01:00:00", self.emp_agent | self.emp_agent_2, done=False)
        self.assertEqual(session.event_id.partner_ids,
                         self.user_agent.partner_id | self.user_agent_2.partner_id | self.user_leader.partner_id)
        self.assertEqual(session.event_id.stop, datetime(2026, 11, 2, 7, 0))
        self.assertEqual(str(session.date), "2026-11-02")
        session.attendance_ids.filtered(lambda a: a.employee_id == self.emp_agent_2).attended = False
        session.action_done()
        self.assertEqual(session.result_ids.employee_id, self.emp_agent, "only who attended is evaluated")
        self.assertEqual(self.plan.session_count, 1)

    # ------------------------------------------------------------
    # Go live (R-TRN-2) and the pool
    # ------------------------------------------------------------

    @freeze_time("2026-11-25 04:00:00")
    def test_go_live_refused_then_allowed(self):
        agent = self.emp_agent
        self._session("2026-11-02 01:00:00", agent)
        self._session("2026-11-03 01:00:00", agent)
        self._session("2026-11-03 07:00:00", agent)  # the same day twice counts once
        self._session("2026-11-04 01:00:00", agent, attended=False)
        self._session("2026-11-05 01:00:00", agent, topic="product")
        with self.assertRaisesText(UserError, "2 of 3 onboarding training days") as caught:
            agent.action_telesales_go_live()
        self.assertIn("onboarding exam is not passed", str(caught.exception))
        self._session("2026-11-06 01:00:00", agent)
        self._take_exam(self.user_agent, right_answers=1)  # 50 %, the pass mark is 60
        with self.assertRaisesText(UserError, "onboarding exam is not passed") as caught:
            agent.action_telesales_go_live()
        self.assertNotIn("training days", str(caught.exception))
        self.assertEqual(agent.telesales_status, "trainee")
        self._take_exam(self.user_agent, right_answers=2)
        agent.action_telesales_go_live()
        self.assertEqual(agent.telesales_status, "live")
        self.assertEqual(str(agent.telesales_live_date), "2026-11-25")

    def test_go_live_needs_the_exam_of_an_onboarding_session(self):
        for day in (2, 3, 4):
            self._session(f"2026-11-0{day} 01:00:00", self.emp_agent, survey=False)
        other = self.exam.copy({"title": "Product exam"})
        other.question_and_page_ids = self.questions.copy({"survey_id": other.id})
        attempt = other._create_answer(user=self.user_agent)
        for question in other.question_ids:
            attempt._save_lines(question, question.suggested_answer_ids.filtered("is_correct").id)
        attempt._mark_done()
        self.assertTrue(attempt.scoring_success)
        with self.assertRaisesText(UserError, "onboarding exam is not passed"):
            self.emp_agent.action_telesales_go_live()

    @freeze_time("2026-11-25 02:00:00")
    def test_trainee_cannot_claim(self):
        self.company.write({"telesales_claim_daily_limit": 5, "telesales_claim_open_cap": 0})
        lead = self.env["crm.lead"].create({"name": "Pool", "type": "lead", "team_id": False, "user_id": False,
                                            "telesales_in_pool": True})
        with self.assertRaisesText(UserError, "is a trainee"):
            lead.with_user(self.user_agent).action_telesales_claim()
        self.assertFalse(lead.user_id)
        self.emp_agent.write({"telesales_status": "live", "telesales_live_date": "2026-11-20"})
        lead.with_user(self.user_agent).action_telesales_claim()
        self.assertEqual(lead.user_id, self.user_agent)

    # ------------------------------------------------------------
    # Evaluation, scores for the appraisal, reward
    # ------------------------------------------------------------

    def _evaluated(self, employee, user, start, right_answers, rating):
        session = self._session(start, employee)
        self._take_exam(user, right_answers)
        result = session.result_ids
        result.with_user(self.user_manager).action_submit()
        result.application_rating = rating
        result.with_user(self.user_manager).action_evaluate()
        return result

    def test_evaluation_and_reward(self):
        session = self._session("2026-11-02 01:00:00", self.emp_agent)
        result = session.result_ids
        with self.assertRaisesText(UserError, "has not finished the exam"):
            result.with_user(self.user_manager).action_submit()
        self._take_exam(self.user_agent, right_answers=2)
        result.with_user(self.user_manager).action_submit()
        self.assertEqual((result.exam_score, result.result, result.state), (100.0, "passed", "applying"))
        activity = result.activity_ids
        self.assertEqual(activity.user_id, self.user_leader, "the leader rates the application")
        self.assertEqual(str(activity.date_deadline), str(result.application_due))
        self.assertEqual(result.reward_amount, 0, "no reward before the evaluation")
        result.with_user(self.user_leader).application_rating = 80
        result.with_user(self.user_leader).action_evaluate()
        self.assertEqual((result.state, result.score, result.reward_amount), ("evaluated", 90.0, 200.0))
        self.assertFalse(result.activity_ids)
        failed = self._evaluated(self.emp_agent_2, self.user_agent_2, "2026-11-02 01:00:00", 1, 100)
        self.assertEqual((failed.result, failed.reward_amount), ("failed", 0.0))

    def test_scores_per_user(self):
        self._evaluated(self.emp_agent, self.user_agent, "2026-11-02 01:00:00", 2, 80)   # 90
        self._evaluated(self.emp_agent, self.user_agent, "2026-11-10 01:00:00", 1, 50)   # 50
        self._evaluated(self.emp_agent, self.user_agent, "2026-10-30 01:00:00", 0, 0)    # October
        self._evaluated(self.emp_agent_2, self.user_agent_2, "2026-11-12 01:00:00", 2, 60)  # 80
        pending = self._session("2026-11-15 01:00:00", self.emp_agent_other).result_ids
        self.assertEqual(pending.state, "draft")
        users = self.user_agent | self.user_agent_2 | self.user_agent_other
        scores = self.Result._telesales_training_scores(users, "2026-11-01", "2026-12-01")
        self.assertEqual(scores, {self.user_agent.id: 70.0, self.user_agent_2.id: 80.0})
        values = self.env["telesales.kpi"]._telesales_kpi_values(
            users, "2026-11-01", "2026-12-01", self.company, codes=["training"])["training"]
        self.assertEqual(values[self.user_agent.id][0], 70.0)
        self.assertIsNone(values[self.user_agent_other.id][0], "no evaluated result: no value")
        model, domain = values[self.user_agent.id][1]
        self.assertEqual(len(self.env[model].search(domain)), 2)
        self.assertEqual(self.env.ref("telesales_mgmt.telesales_kpi_training").source, "computed")

    # ------------------------------------------------------------
    # Access per role
    # ------------------------------------------------------------

    def test_access_per_role(self):
        session = self._session("2026-11-02 01:00:00", self.emp_agent | self.emp_agent_other)
        mine, other = (session.result_ids.filtered(lambda r: r.employee_id == e)
                       for e in (self.emp_agent, self.emp_agent_other))
        Result = self.Result.with_user(self.user_agent)
        self.assertEqual(Result.search([]), mine, "an agent reads their own results")
        self.assertEqual(self.Result.with_user(self.user_agent_2).search([]), self.Result)
        self.assertEqual(self.Session.with_user(self.user_agent_2).search([]), self.Session,
                         "nor sessions they do not attend")
        self.assertEqual(self.Session.with_user(self.user_agent).search([]), session)
        here = [("session_id", "=", session.id)]  # a demo database has results of its own
        self.assertEqual(self.Result.with_user(self.user_leader_2).search(here), other, "a leader their team's")
        self.assertEqual(self.Result.with_user(self.user_leader).search(here), mine)
        self.assertEqual(self.Result.with_user(self.user_manager).search(here), mine | other)
        self.assertEqual(self.Result.with_user(self.user_hr).search(here), mine | other)
        mine.with_user(self.user_agent).report = "<p>What I learnt</p>"
        with self.assertRaisesText(AccessError, "Application Rating"):
            mine.with_user(self.user_agent).application_rating = 100
        with self.assertRaises(AccessError):
            other.with_user(self.user_leader).application_rating = 100
        with self.assertRaisesText(AccessError, "Only HR or the department manager"):
            mine.with_user(self.user_leader).session_id = session.id
        with self.assertRaises(AccessError):
            mine.with_user(self.user_leader).action_submit()
        with self.assertRaises(AccessError):
            self.env["telesales.training.plan"].with_user(self.user_leader).create({"name": "Mine"})
        self.env["telesales.training.plan"].with_user(self.user_hr).create({"name": "HR plan"})
        self.Session.with_user(self.user_manager).create({"name": "Manager's", "start": "2026-11-20 01:00:00"})
