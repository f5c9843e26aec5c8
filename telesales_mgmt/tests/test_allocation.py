from collections import Counter

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import TelesalesCase
from .cron_common import CronBatchesMixin

# Wednesday 10:00 in Shanghai: a working day for the company's schedule.
WEDNESDAY = "2026-11-25 02:00:00"


class AllocationCase(TelesalesCase):
    """Two live agents and a trainee in team 1 on the company's schedule, one team rule
    (round robin, no caps), runs made on a Wednesday morning in Shanghai."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.telesales_tz = "Asia/Shanghai"
        calendar = cls.company.resource_calendar_id
        cls.agents = cls.emp_agent | cls.emp_agent_2
        cls.agents.write({"telesales_status": "live", "telesales_live_date": "2026-01-05",
                          "resource_calendar_id": calendar.id})
        cls.user_trainee = new_test_user(cls.env, login="t_trainee", groups="telesales_mgmt.group_telesales_agent")
        cls.emp_trainee = cls.env["hr.employee"].create({
            "name": "Trainee", "user_id": cls.user_trainee.id, "telesales_role": "agent",
            "telesales_team_id": cls.team.id, "resource_calendar_id": calendar.id})
        cls.Run = cls.env["telesales.allocation.run"]
        cls.Rule = cls.env["telesales.allocation.rule"]
        # Only this test's rules.
        cls.Rule.search([]).active = False
        cls.rule = cls.Rule.create({"name": "Team RR", "level": "team", "strategy": "round_robin",
                                    "daily_cap": 0, "open_cap": 0})

    def _leads(self, count, team=None, grade="b", name="T"):
        return self.env["crm.lead"].create([{
            "name": f"{name}-{n}", "type": "lead", "telesales_grade": grade,
            "team_id": team.id if team else False, "user_id": False} for n in range(count)])

    def _run(self, user=None, **values):
        with freeze_time(WEDNESDAY):
            run = self.Run.with_user(user or self.user_manager).create(
                {"level": "team", "team_id": self.team.id, **values})
            return run


@tagged("post_install", "-at_install")
class TestAllocation(CronBatchesMixin, AllocationCase):
    """R-LEAD-2: two-level, rule-driven, fair allocation through one door."""

    def test_round_robin_preview_equals_result(self):
        leads = self._leads(5, self.team)
        run = self._run()
        preview = {line.user_id: line.lead_count for line in run.line_ids}
        self.assertEqual(sorted(preview.values()), [2, 3])
        self.assertEqual(set(preview), {self.user_agent, self.user_agent_2}, "live agents only")
        with freeze_time(WEDNESDAY):
            run.action_apply()
        self.assertEqual(Counter(lead.user_id for lead in leads), Counter(preview),
                         "what was previewed is what was applied")
        log = leads.telesales_allocation_log_ids
        self.assertEqual(len(log), 5)
        self.assertEqual(set(log.mapped("level")), {"team"})
        self.assertEqual(log.run_id, run)
        self.assertEqual(log.rule_id, self.rule)

    def test_trainees_only_when_the_rule_allows(self):
        self.rule.include_trainees = True
        self._leads(6, self.team)
        run = self._run()
        self.assertIn(self.user_trainee, run.line_ids.user_id)
        self.assertEqual(set(run.line_ids.mapped("lead_count")), {2})

    def test_agent_on_leave_gets_nothing(self):
        leave_type = self.env["hr.leave.type"].create({
            "name": "Leave", "requires_allocation": False, "leave_validation_type": "no_validation"})
        self.env["hr.leave"].create({"employee_id": self.emp_agent.id, "holiday_status_id": leave_type.id,
                                     "request_date_from": "2026-11-25", "request_date_to": "2026-11-25"})
        self._leads(4, self.team)
        self.assertEqual(self._run().line_ids.user_id, self.user_agent_2)

    def test_checked_in_setting(self):
        self.company.telesales_allocation_checked_in = True
        self.env["hr.attendance"].create({"employee_id": self.emp_agent_2.id,
                                          "check_in": "2026-11-25 00:55:00"})
        self._leads(3, self.team)
        self.assertEqual(self._run().line_ids.user_id, self.user_agent_2)

    def test_excluded_by_hand(self):
        self.emp_agent.telesales_allocation_excluded = True
        self._leads(3, self.team)
        self.assertEqual(self._run().line_ids.user_id, self.user_agent_2)

    def test_daily_cap_leaves_the_rest_in_the_pool(self):
        self.rule.daily_cap = 2
        leads = self._leads(7, self.team)
        run = self._run()
        with freeze_time(WEDNESDAY):
            run.action_apply()
        self.assertEqual(len(leads.filtered("user_id")), 4)
        with freeze_time(WEDNESDAY):
            self.assertFalse(self._run().line_ids, "caps reached for today")

    def test_fair_over_several_runs_in_a_day(self):
        for size in (3, 1, 4):
            self._leads(size, self.team)
            run = self._run()
            with freeze_time(WEDNESDAY):
                run.action_apply()
        counts = Counter(
            self.env["crm.lead"].search([("name", "like", "T-"), ("team_id", "=", self.team.id)]).user_id.ids)
        received = self.env["crm.lead"].search_count([("user_id", "=", self.user_agent.id), ("name", "like", "T-")])
        other = self.env["crm.lead"].search_count([("user_id", "=", self.user_agent_2.id), ("name", "like", "T-")])
        self.assertEqual(received + other, 8)
        self.assertLessEqual(abs(received - other), 1, counts)

    def test_grade_matching(self):
        self.rule.strategy = "grade_match"
        self.emp_agent.telesales_ability = "a"
        self.emp_agent_2.telesales_ability = "c"
        a_leads = self._leads(2, self.team, grade="a", name="A")
        c_leads = self._leads(2, self.team, grade="c", name="C")
        with freeze_time(WEDNESDAY):
            self._run().action_apply()
        self.assertEqual(a_leads.user_id, self.user_agent)
        self.assertEqual(c_leads.user_id, self.user_agent_2)

    def test_department_level_by_team_weight(self):
        self.Rule.create({"name": "Dept", "level": "department", "strategy": "weighted",
                          "domain": "[('name', 'like', 'DEPT-')]"})
        teams = self.env["crm.team"].search([("is_telesales", "=", True)])
        teams.telesales_weight = 1
        self.team.telesales_weight = 2
        leads = self._leads(2 * (len(teams) + 1), name="DEPT")
        with freeze_time(WEDNESDAY):
            run = self.Run.with_user(self.user_manager).create({"level": "department", "to_agents": False})
            run.action_apply()
        counts = Counter(lead.team_id for lead in leads)
        self.assertEqual(counts[self.team], 4)
        self.assertEqual({counts[t] for t in teams - self.team}, {2})
        self.assertFalse(leads.user_id, "the team level picks the agent")

    def test_pool_to_agents_in_one_run(self):
        self.Rule.create({"name": "Dept", "level": "department", "strategy": "round_robin",
                          "domain": "[('name', 'like', 'ONE-')]"})
        self.env["crm.team"].search([("is_telesales", "=", True)]).telesales_weight = 1
        self.rule.team_id = self.team
        waiting = self._leads(1, self.team, name="WAIT")  # already in the team, no agent
        leads = self._leads(30, name="ONE")
        with freeze_time(WEDNESDAY):
            run = self.Run.with_user(self.user_manager).create({"level": "department"})
            preview = {(line.team_id, line.user_id): line.lead_count for line in run.line_ids}
            run.action_apply()
        mine = leads.filtered(lambda lead: lead.team_id == self.team) | waiting
        self.assertTrue(mine)
        self.assertEqual(Counter(mine.user_id.mapped("login")).keys(), {"t_agent", "t_agent2"})
        self.assertLessEqual(abs(len(mine.filtered(lambda lead: lead.user_id == self.user_agent))
                                 - len(mine.filtered(lambda lead: lead.user_id == self.user_agent_2))), 1)
        applied = Counter((lead.team_id, lead.user_id) for lead in leads | waiting)
        self.assertEqual(applied, Counter(preview), "what was previewed is what was applied")
        log = mine.telesales_allocation_log_ids
        self.assertEqual(len(log), len(mine), "one line per lead: from the pool to the agent")
        self.assertEqual(set(waiting.telesales_allocation_log_ids.mapped("level")), {"team"})
        self.assertEqual(set((log - waiting.telesales_allocation_log_ids).mapped("level")), {"department"})
        self.assertFalse(log.user_id, "a run's lines name the run, not a user")
        self.assertEqual(log.run_id, run)

    def test_do_not_call_never_allocated(self):
        lead = self._leads(1, self.team)
        lead.telesales_do_not_call = True
        with freeze_time(WEDNESDAY):
            self._run().action_apply()
        self.assertFalse(lead.user_id)

    def test_a_lead_taken_after_the_preview_makes_it_out_of_date(self):
        """Applied as previewed or not at all: a preview whose leads were taken meanwhile
        is refused, and planned again (test_allocation_preview has the details)."""
        leads = self._leads(2, self.team)
        run = self._run()
        leads[0].user_id = self.user_leader  # by hand, meanwhile
        with freeze_time(WEDNESDAY), self.assertRaisesText(UserError, "Plan Again"):
            run.action_apply()
        self.assertEqual((run.state, leads[0].user_id), ("preview", self.user_leader))
        self.assertFalse(leads[1].user_id, "nothing applied")
        with freeze_time(WEDNESDAY):
            run.action_plan_again()
            run.action_apply()
        self.assertEqual((run.state, run.skipped_count, run.lead_count), ("done", 0, 1))
        self.assertEqual(leads[0].user_id, self.user_leader)
        self.assertIn(leads[1].user_id, self.user_agent | self.user_agent_2)

    def test_who_may_allocate(self):
        with self.assertRaisesText(UserError, "their own team only"):  # agents cannot allocate
            self._run(user=self.user_agent)
        with self.assertRaisesText(UserError, "their own team only"):
            self.Run.with_user(self.user_leader_2).create({"level": "team", "team_id": self.team.id})
        with self.assertRaisesText(UserError, "their own team only"):
            self.Run.with_user(self.user_leader).create({"level": "department"})
        self.assertTrue(self._run(user=self.user_leader))

    def test_manual_assignment_is_logged(self):
        lead = self._leads(1, self.team)
        lead.user_id = self.user_agent
        log = lead.telesales_allocation_log_ids
        self.assertEqual((log.level, log.to_user_id, log.from_user_id.id), ("manual", self.user_agent, False))

    def test_bad_rules_are_refused(self):
        with self.assertRaisesText(ValidationError, "is not valid"):
            self.Rule.create({"name": "Broken", "level": "team", "domain": "[('nope', '=', 1)]"})
        with self.assertRaisesText(ValidationError, "cannot be limited to team"):
            self.Rule.create({"name": "Mixed", "level": "department", "team_id": self.team.id})
        with self.assertRaisesText(ValidationError, "Field Sales is not a telesales team"):
            self.Rule.create({"name": "Other team", "level": "team", "team_id": self.team_plain.id})
        for field, message in (("daily_cap", "Caps cannot be negative."),
                               ("recycle_cooldown_days", "the cool-down cannot be negative")):
            with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError) as caught, \
                    self.env.cr.savepoint():
                self.Rule.create({"name": "Negative", "level": "team", field: -1})
            # What Odoo's RPC layer shows the user for this constraint:
            self.assertIn(message, self.Rule._sql_error_to_message(caught.exception))

    def test_telesales_teams_opt_out_of_odoo_assignment(self):
        self.assertTrue(self.team.assignment_optout)
        self.assertFalse(self.team_plain.assignment_optout)

    def test_cron_twice_changes_nothing_more(self):
        self.company.telesales_allocation_cron = True
        self.rule.team_id = self.team
        leads = self._leads(4, self.team)
        with freeze_time(WEDNESDAY):
            self.Run._cron_allocate()
            logs = self.env["telesales.allocation.log"].search_count([("lead_id", "in", leads.ids)])
            self.Run._cron_allocate()
        self.assertEqual(len(leads.filtered("user_id")), 4)
        self.assertEqual(self.env["telesales.allocation.log"].search_count([("lead_id", "in", leads.ids)]), logs)

    def test_cron_company_by_company_resumes(self):
        """Batches of companies (`telesales.cron`): a run is one company's share-out, so a
        run cut short after one company resumes with the other, to the same owners."""
        branch = self.env["res.company"].create({"name": "T-Branch", "telesales_tz": "Asia/Shanghai"})
        self.env["res.company"].search([]).telesales_allocation_cron = False
        (self.company | branch).telesales_allocation_cron = True
        user = new_test_user(self.env, login="t_branch_alloc", groups="telesales_mgmt.group_telesales_agent",
                             company_id=branch.id, company_ids=[branch.id])
        team = self.env["crm.team"].create({"name": "T-Branch Team", "is_telesales": True, "company_id": branch.id})
        self.env["hr.employee"].with_company(branch).create({
            "name": "Branch Agent", "user_id": user.id, "telesales_role": "agent", "company_id": branch.id,
            "telesales_team_id": team.id, "telesales_status": "live", "telesales_live_date": "2026-01-05"})
        self.rule.team_id = self.team
        self.Rule.create({"name": "Branch RR", "level": "team", "team_id": team.id, "strategy": "round_robin",
                          "daily_cap": 0, "open_cap": 0, "company_id": branch.id})
        leads = self._leads(4, self.team) | self.env["crm.lead"].with_company(branch).create([
            {"name": f"Branch {n}", "type": "lead", "team_id": team.id, "user_id": False, "company_id": branch.id}
            for n in range(2)])

        def run(**kwargs):
            with freeze_time(WEDNESDAY):
                self.Run._cron_allocate(**kwargs)

        def snapshot():
            return {(lead.id, lead.user_id.id) for lead in leads}, self.Run.search_count([("state", "=", "done")])

        self._assert_resumes(run, snapshot, batch_size=1)

    def test_cron_with_nothing_to_allocate_leaves_no_run(self):
        self.company.telesales_allocation_cron = True
        self.rule.team_id = self.team
        leads = self._leads(2, self.team)
        with freeze_time(WEDNESDAY):
            self.Run._cron_allocate()  # whatever there is to share out, once
            runs = self.Run.search([])
            self.assertEqual(len(leads.filtered("user_id")), 2)
            self.assertTrue(any(str(leads[0].id) in (run.plan or {}) for run in runs), "the run that allocated stays")
            self.Run._cron_allocate()
            self.Run._cron_allocate()
        self.assertEqual(self.Run.search([]), runs, "no empty 'done' run per hour")


@tagged("post_install", "-at_install")
class TestClaim(TelesalesCase):
    """R-LEAD-6: agents claim pool leads within a daily limit and an open-lead cap."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"telesales_claim_daily_limit": 2, "telesales_claim_open_cap": 0,
                           "telesales_tz": "Asia/Shanghai"})
        # Live agents: trainees claim nothing until they went live (R-TRN-2, test_training).
        (cls.emp_agent | cls.emp_agent_2).write({"telesales_status": "live", "telesales_live_date": "2026-01-05"})
        cls.pool = cls.env["crm.lead"].create([
            {"name": f"Pool-{n}", "type": "lead", "team_id": False, "user_id": False,
             "telesales_in_pool": True} for n in range(4)])

    def test_claim_goes_through_the_door(self):
        lead = self.pool[0].with_user(self.user_agent)
        with freeze_time(WEDNESDAY):
            lead.action_telesales_claim()
        self.assertEqual(self.pool[0].user_id, self.user_agent)
        self.assertEqual(self.pool[0].team_id, self.team, "the agent's team comes along")
        log = self.pool[0].telesales_allocation_log_ids
        self.assertEqual((log.level, log.to_user_id), ("claim", self.user_agent))

    def test_already_claimed(self):
        with freeze_time(WEDNESDAY):
            self.pool[0].with_user(self.user_agent).action_telesales_claim()
            with self.assertRaisesText(UserError, "just claimed by someone else"):
                self.pool[0].with_user(self.user_agent_2).action_telesales_claim()
        self.assertEqual(self.pool[0].user_id, self.user_agent)

    def test_daily_limit(self):
        with freeze_time(WEDNESDAY):
            self.pool[0].with_user(self.user_agent).action_telesales_claim()
            self.pool[1].with_user(self.user_agent).action_telesales_claim()
            with self.assertRaisesText(UserError, "the daily limit"):
                self.pool[2].with_user(self.user_agent).action_telesales_claim()
        with freeze_time("2026-11-26 02:00:00"):  # a new day
            self.pool[2].with_user(self.user_agent).action_telesales_claim()
        self.assertEqual(self.pool[2].user_id, self.user_agent)

    def test_open_lead_cap(self):
        self.company.telesales_claim_open_cap = 1
        self.env["crm.lead"].create({"name": "Mine", "type": "lead", "user_id": self.user_agent.id})
        with freeze_time(WEDNESDAY), self.assertRaisesText(UserError, "open leads, the cap"):
            self.pool[0].with_user(self.user_agent).action_telesales_claim()

    def test_do_not_call_cannot_be_claimed(self):
        self.pool[3].telesales_do_not_call = True
        with freeze_time(WEDNESDAY), self.assertRaisesText(UserError, "do-not-call"):
            self.pool[3].with_user(self.user_agent).action_telesales_claim()

    def test_new_leads_are_not_claimable(self):
        fresh = self.env["crm.lead"].create({"name": "New", "team_id": False, "user_id": False})
        with freeze_time(WEDNESDAY), self.assertRaisesText(UserError, "New is not in the pool: only leads taken back"):
            fresh.with_user(self.user_agent).action_telesales_claim()
        self.assertFalse(fresh.user_id)

    def test_a_claim_takes_the_lead_out_of_the_pool(self):
        with freeze_time(WEDNESDAY):
            self.pool[0].with_user(self.user_agent).action_telesales_claim()
        self.assertFalse(self.pool[0].telesales_in_pool)
