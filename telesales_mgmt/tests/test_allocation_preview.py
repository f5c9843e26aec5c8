from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .test_allocation import WEDNESDAY, AllocationCase


@tagged("post_install", "-at_install")
class TestAllocationPreview(AllocationCase):
    """R-LEAD-2 in the leader's and the manager's hands: a preview says when it is out of
    date and is planned again, an empty one says why, a leader starts with their team and
    reads the rules, and a run's title shows local time."""

    # ------------------------------------------------------------
    # Out of date
    # ------------------------------------------------------------

    def test_a_preview_whose_leads_were_taken_is_out_of_date(self):
        leads = self._leads(4, self.team)
        run = self._run()
        self.assertEqual((run.is_stale, run.stale_count, run.stale_note), (False, 0, False))
        leads[0].user_id = self.user_leader          # moved by hand
        leads[1].action_archive()                    # closed
        leads[2].telesales_do_not_call = True        # refused further calls
        run.invalidate_recordset(["is_stale", "stale_count", "stale_note"])
        self.assertEqual((run.is_stale, run.stale_count), (True, 3))
        self.assertIn("out of date: 3 of its 4 leads", run.stale_note)
        with freeze_time(WEDNESDAY), self.assertRaisesText(UserError, "3 of the 4 planned leads"):
            run.with_user(self.user_leader).action_apply()
        self.assertEqual(run.state, "preview")
        self.assertFalse(leads[3].user_id, "nothing applied")
        self.assertEqual(sum(run.line_ids.mapped("lead_count")), 4, "still the preview as it was made")
        with freeze_time("2026-11-25 03:00:00"):
            run.with_user(self.user_leader).action_plan_again()
        self.assertEqual((run.is_stale, run.lead_count, run.user_id), (False, 1, self.user_leader))
        self.assertEqual(sum(run.line_ids.mapped("lead_count")), 1)
        self.assertIn("11:00", run.with_context(tz="Asia/Shanghai").name, "dated when it was planned again")
        with freeze_time(WEDNESDAY):
            run.with_user(self.user_leader).action_apply()
        self.assertEqual((run.state, run.skipped_count), ("done", 0))
        self.assertTrue(leads[3].user_id)

    def test_a_preview_of_leads_back_where_they_were_is_not_stale(self):
        """Only the state the door expects matters: a lead moved and moved back is free again."""
        leads = self._leads(2, self.team)
        run = self._run()
        leads[0].user_id = self.user_agent
        leads[0].user_id = False
        self.assertFalse(run.is_stale)

    def test_taken_while_applying_is_skipped_and_explained(self):
        """The cron's path (planned and applied at once) and a claim in the very moment:
        skipped, counted, explained, and the lines show what was applied."""
        self.rule.daily_cap = 2
        leads = self._leads(4, self.team)
        run = self._run()
        planned = {int(lead): value[1] for lead, value in run.plan.items()}
        self.assertEqual(sorted(planned.values()), sorted([self.user_agent.id] * 2 + [self.user_agent_2.id] * 2))
        # One of agent 2's leads is taken meanwhile...
        leads.browse(next(lead for lead, user in planned.items() if user == self.user_agent_2.id)).user_id = \
            self.user_leader
        # ... and another run fills one of agent 1's two places of the day.
        with freeze_time(WEDNESDAY):
            extra = self._leads(1, self.team, name="X")
            self.env["crm.lead"]._telesales_set_owners(
                {extra.id: (self.team.id, self.user_agent.id, self.rule.id)}, "team", "meanwhile")
            run._apply()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.skipped_count, 2)
        self.assertIn("2 of the 4 planned leads were not applied", run.apply_note)
        self.assertIn("1 taken by someone else meanwhile", run.apply_note)
        self.assertIn("1 over an agent's cap", run.apply_note)
        self.assertEqual(sum(run.line_ids.mapped("lead_count")), 2, "the lines show what was applied")
        self.assertEqual(sum(run.line_ids.mapped("planned_count")), 4)

    def test_plan_again_only_for_whoever_may_run_it(self):
        run = self._run()
        with self.assertRaises(AccessError):
            run.with_user(self.user_leader_2).action_plan_again()
        with self.assertRaises(AccessError):
            run.with_user(self.user_agent).action_plan_again()
        with freeze_time(WEDNESDAY):
            run.action_apply()
        with self.assertRaisesText(UserError, "already applied"):
            run.with_user(self.user_manager).action_plan_again()

    # ------------------------------------------------------------
    # The plan is the system's
    # ------------------------------------------------------------

    def test_the_plan_cannot_be_typed(self):
        lead = self._leads(1, self.team_2)
        self._leads(2, self.team)
        run = self._run(user=self.user_leader)
        self.assertTrue(run.line_ids)
        forged = {str(lead.id): [self.team_2.id, self.user_leader.id, self.rule.id, self.team_2.id]}
        for values in ({"plan": forged}, {"state": "done"}, {"lead_count": 99}, {"team_id": self.team_2.id}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                run.with_user(self.user_leader).write(values)
        with self.assertRaises(AccessError):
            self.Run.with_user(self.user_leader).create(
                {"level": "team", "team_id": self.team.id, "plan": forged})
        with self.assertRaises(AccessError):
            run.line_ids[:1].with_user(self.user_leader).lead_count = 99
        with self.assertRaises(AccessError):
            self.env["telesales.allocation.run.line"].with_user(self.user_leader).create(
                {"run_id": run.id, "user_id": self.user_leader.id, "lead_count": 5})

    def test_leaders_read_their_own_team_runs_lines_only(self):
        self._leads(2, self.team)
        self._leads(2, self.team_2)
        self.emp_agent_other.write({"telesales_status": "live", "telesales_live_date": "2026-01-05",
                                    "resource_calendar_id": self.company.resource_calendar_id.id})
        mine = self._run(user=self.user_leader)
        theirs = self._run(user=self.user_leader_2, team_id=self.team_2.id)
        Line = self.env["telesales.allocation.run.line"]
        lines = (mine | theirs).line_ids
        self.assertTrue(mine.line_ids and theirs.line_ids)
        self.assertEqual(Line.with_user(self.user_leader).search([("id", "in", lines.ids)]), mine.line_ids)
        self.assertEqual(Line.with_user(self.user_manager).search([("id", "in", lines.ids)]), lines)

    # ------------------------------------------------------------
    # The leader's team, the rules, the title
    # ------------------------------------------------------------

    def test_a_leader_starts_with_their_team(self):
        self._leads(2, self.team)
        with freeze_time(WEDNESDAY):
            form = Form(self.Run.with_user(self.user_leader))
            self.assertEqual((form.level, form.team_id), ("team", self.team))
            run = form.save()
        self.assertEqual((run.team_id, run.lead_count), (self.team, 2))
        self.assertFalse(Form(self.Run.with_user(self.user_manager)).team_id, "the manager: every team")

    def test_a_member_leader_starts_with_the_team_they_belong_to(self):
        self.team.user_id = False
        self.assertEqual(self.Run.with_user(self.user_leader)._default_team_id(), self.team.id)

    def test_leaders_read_the_rules_but_cannot_change_them(self):
        Rule = self.Rule.with_user(self.user_leader)
        self.assertEqual(Rule.browse(self.rule.id).strategy, "round_robin")
        with self.assertRaises(AccessError):
            Rule.browse(self.rule.id).daily_cap = 500
        with self.assertRaises(AccessError):
            Rule.create({"name": "Mine", "level": "team"})
        with self.assertRaises(AccessError):
            Rule.browse(self.rule.id).unlink()
        menu = self.env.ref("telesales_mgmt.menu_telesales_allocation_rules_read")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.user_leader)._visible_menu_ids())
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(self.user_agent)._visible_menu_ids())
        arch = Rule.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertRegex(arch, r'<form[^>]*edit="(0|false|False)"', "the form opens read-only")

    def test_run_title_in_local_time(self):
        run = self._run()  # 02:00 UTC: 10:00 in Shanghai
        self.assertEqual(run.with_context(tz="Asia/Shanghai").name, "T-Team 1 · 2026-11-25 10:00")
        self.assertEqual(run.with_context(tz="Europe/Paris").name, "T-Team 1 · 2026-11-25 03:00")
        self.user_manager.tz = False
        self.assertEqual(run.with_user(self.user_manager).with_context(tz=False).name,
                         "T-Team 1 · 2026-11-25 10:00", "without a user time zone: the department's")

    # ------------------------------------------------------------
    # An empty preview says why
    # ------------------------------------------------------------

    def test_no_free_lead(self):
        run = self._run()
        self.assertEqual(run.lead_count, 0)
        self.assertIn("No free lead for the agents: T-Team 1 has no lead without an agent", run.plan_note)

    def test_no_team_rule(self):
        self.rule.active = False
        self._leads(2, self.team)
        self.assertIn("No team rule", self._run().plan_note)

    def test_no_eligible_agent(self):
        self._leads(3, self.team)
        self.emp_agent.telesales_allocation_excluded = True
        self.emp_agent_2.telesales_status = "trainee"
        run = self._run()
        self.assertEqual(run.lead_count, 0)
        self.assertIn("T-Team 1, rule Team RR: 3 leads found no agent", run.plan_note)
        self.assertIn("1 excluded from allocation by hand", run.plan_note)
        self.assertIn("2 trainees (the rule leaves trainees out, R-TRN-2)", run.plan_note)

    def test_agents_on_leave(self):
        leave_type = self.env["hr.leave.type"].create({
            "name": "Leave", "requires_allocation": False, "leave_validation_type": "no_validation"})
        self.env["hr.leave"].create([{
            "employee_id": employee.id, "holiday_status_id": leave_type.id,
            "request_date_from": "2026-11-25", "request_date_to": "2026-11-25"} for employee in self.agents])
        self._leads(2, self.team)
        self.assertIn("2 not working today (leave, holiday or rest day)", self._run().plan_note)

    def test_not_checked_in(self):
        self.company.telesales_allocation_checked_in = True
        self._leads(2, self.team)
        self.assertIn("3 not checked in yet", self._run().plan_note, "the two agents and the trainee")

    def test_caps_reached(self):
        self.rule.daily_cap = 1
        self._leads(5, self.team)
        run = self._run()
        self.assertEqual(run.lead_count, 2, "one each")
        self.assertIn("3 leads found no agent", run.plan_note)
        self.assertIn("2 at their cap (daily 1, open leads 0; 0 = no cap)", run.plan_note)

    def test_a_full_preview_has_no_note(self):
        self._leads(2, self.team)
        self.assertFalse(self._run().plan_note)
