from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import TelesalesCase
from .cron_common import CronBatchesMixin

WEDNESDAY = "2026-11-25 02:00:00"  # 10:00 in Shanghai


@tagged("post_install", "-at_install")
class TestRecycling(CronBatchesMixin, TelesalesCase):
    """R-LEAD-6: neglected leads go back to the pool, by each trigger, with a cool-down."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.telesales_tz = "Asia/Shanghai"
        # These tests are about the triggers, not the calendar: a company that works every
        # day, so working days and calendar days agree (tests/test_recycling_workdays.py
        # has weekends, holidays and make-up days).
        cls.company.resource_calendar_id = cls.env["resource.calendar"].create({
            "name": "Every day 9-18", "tz": "Asia/Shanghai", "attendance_ids": [
                (0, 0, {"name": str(d), "dayofweek": str(d), "hour_from": 9, "hour_to": 18,
                        "day_period": "morning"}) for d in range(7)]})
        (cls.emp_agent | cls.emp_agent_2).write({
            "telesales_status": "live", "telesales_live_date": "2026-01-05",
            "resource_calendar_id": cls.company.resource_calendar_id.id})
        Rule = cls.env["telesales.allocation.rule"]
        Rule.search([]).active = False
        cls.lost_reason = cls.env["crm.lost.reason"].create({"name": "Wrong number"})
        cls.rule = Rule.create({
            "name": "Team rule", "level": "team", "strategy": "round_robin", "daily_cap": 0,
            "open_cap": 0, "recycle_days_a": 30, "recycle_days_b": 15, "recycle_days_c": 7,
            "recycle_attempts": 3, "recycle_lost_reason_ids": [cls.lost_reason.id],
            "recycle_warn_days": 2, "recycle_cooldown_days": 7})
        cls.Lead = cls.env["crm.lead"]

    def _held(self, grade="b", opened="2026-11-01 02:00:00", **values):
        with freeze_time(opened):
            lead = self.Lead.create({"name": f"Held {grade}", "type": "lead", "telesales_grade": grade,
                                     "team_id": self.team.id, "user_id": False, **values})
            lead._telesales_assign(self.team.id, self.user_agent.id, "manual", "test")
        return lead

    def _recycle(self, when):
        with freeze_time(when):
            self.env["telesales.allocation.rule"]._cron_recycle()

    def test_cron_in_batches_resumes(self):
        """Batches of leads (`telesales.cron`): a lead recycled is no longer held, a lead
        warned has its warning, so a run cut short resumes with the rest."""
        for _n in range(4):
            self._held("c")  # idle 7 days on 8 November: recycled
        for _n in range(2):
            self._held("b", opened="2026-10-25 03:00:00")  # 15 days on the 9th: warned
        watched = self.Lead.with_context(active_test=False).search(
            ["|", ("team_id.is_telesales", "=", True), ("telesales_in_pool", "=", True)])
        warning = self.env.ref("telesales_mgmt.mail_act_recycle_warning")

        def run(**kwargs):
            with freeze_time("2026-11-08 02:00:00"):
                self.env["telesales.allocation.rule"]._cron_recycle(**kwargs)

        def snapshot():
            warned = self.env["mail.activity"].search(
                [("res_model", "=", "crm.lead"), ("activity_type_id", "=", warning.id)])
            return ({(lead.id, lead.user_id.id, lead.team_id.id, lead.telesales_in_pool, lead.active)
                     for lead in watched},
                    sorted(warned.mapped("res_id")),
                    self.env["telesales.allocation.log"].search_count([("level", "=", "recycle")]))

        self._assert_resumes(run, snapshot)

    def test_idle_days_by_grade(self):
        lead_a = self._held("a")
        lead_c = self._held("c")
        # Opened 1 November 10:00; C after 7 days, A after 30.
        self._recycle("2026-11-08 01:59:00")
        self.assertEqual(lead_c.user_id, self.user_agent, "6 days 23:59 idle: kept")
        self._recycle("2026-11-08 02:00:00")
        self.assertFalse(lead_c.user_id, "exactly 7 days idle: back to the pool")
        self.assertFalse(lead_c.team_id)
        self.assertEqual(lead_a.user_id, self.user_agent, "an A customer is kept longer")
        log = lead_c.telesales_allocation_log_ids.filtered(lambda line: line.level == "recycle")
        self.assertEqual(log.from_user_id, self.user_agent)
        self.assertIn("Not contacted for 7 working days", log.reason)
        self.assertEqual(log.cooldown_until, datetime(2026, 11, 15, 2, 0))
        self._recycle("2026-12-01 02:00:00")
        self.assertFalse(lead_a.user_id, "30 days idle")

    def test_a_call_resets_the_idle_clock(self):
        lead = self._held("c")
        with freeze_time("2026-11-06 02:00:00"):
            self.env["telesales.call"].with_context(telesales_seed=True).sudo().create({
                "lead_id": lead.id, "user_id": self.user_agent.id, "outcome": "no_answer",
                "start": "2026-11-06 02:00:00"})
        self._recycle("2026-11-10 02:00:00")
        self.assertEqual(lead.user_id, self.user_agent, "called 4 days ago")

    def test_attempts_without_progress(self):
        lead = self._held("a")
        for day in (2, 3, 4):
            with freeze_time(f"2026-11-0{day} 02:00:00"):
                self.env["telesales.call"].with_context(telesales_seed=True).sudo().create({
                    "lead_id": lead.id, "user_id": self.user_agent.id, "outcome": "no_answer",
                    "start": f"2026-11-0{day} 02:00:00"})
        self.assertEqual(lead.telesales_attempts_no_progress, 3)
        self._recycle("2026-11-05 02:00:00")
        self.assertFalse(lead.user_id)
        self.assertIn("3 contacts without progress", lead.telesales_allocation_log_ids[0].reason)

    def test_lost_with_a_chosen_reason(self):
        lead = self._held("a")
        other = self._held("a")
        lead.action_set_lost(lost_reason_id=self.lost_reason.id)
        other.action_set_lost(lost_reason_id=self.env["crm.lost.reason"].create({"name": "Too expensive"}).id)
        self._recycle("2026-11-03 02:00:00")
        self.assertTrue(lead.active, "restored")
        self.assertFalse(lead.user_id)
        self.assertIn("Wrong number", lead.telesales_allocation_log_ids[0].reason)
        self.assertEqual(other.user_id, self.user_agent, "not a recycling reason: stays lost with its agent")
        self.assertFalse(other.active)

    def test_allocation_leaves_pool_leads_to_claims(self):
        lead = self._held("c")
        self._recycle("2026-11-08 02:00:00")
        self.assertTrue(lead.telesales_in_pool)
        department = self.env["telesales.allocation.rule"].create(
            {"name": "Dept", "level": "department", "strategy": "round_robin"})
        with freeze_time(WEDNESDAY):
            self.env["telesales.allocation.run"].create({"level": "department"}).action_apply()
        self.assertFalse(lead.team_id, "left in the pool")
        department.include_pool = True
        with freeze_time(WEDNESDAY):
            self.env["telesales.allocation.run"].create({"level": "department"}).action_apply()
        self.assertTrue(lead.team_id, "shared out when the rule says so")
        self.assertFalse(lead.telesales_in_pool)

    def test_rerun_does_nothing_more(self):
        lead = self._held("c")
        self._recycle("2026-11-09 02:00:00")
        count = len(lead.telesales_allocation_log_ids)
        self._recycle("2026-11-09 03:00:00")
        self.assertEqual(len(lead.telesales_allocation_log_ids), count)

    def test_warning_before_recycling_once(self):
        lead = self._held("c")
        self._recycle("2026-11-05 02:00:00")  # 4 days idle: not yet 2 days before
        self.assertFalse(lead.activity_ids)
        self._recycle("2026-11-06 02:00:00")  # 5 days idle: 2 days before day 7
        self._recycle("2026-11-06 08:00:00")
        self.assertEqual(len(lead.activity_ids), 1)
        self.assertEqual(lead.activity_ids.user_id, self.user_agent)

    def test_warning_found_again_by_its_type_not_its_summary(self):
        """A warning written in another language (or retitled) is still the warning: a
        rerun adds no second one."""
        lead = self._held("c")
        self._recycle("2026-11-06 02:00:00")
        warning = lead.activity_ids
        self.assertEqual(warning.activity_type_id, self.env.ref("telesales_mgmt.mail_act_recycle_warning"))
        warning.summary = "请跟进此线索，否则将退回公海"
        self._recycle("2026-11-06 08:00:00")
        self.assertEqual(lead.activity_ids, warning)

    def test_cool_down_keeps_the_lead_from_its_former_agent(self):
        lead = self._held("c")
        self._recycle("2026-11-08 02:00:00")
        # Not by claim, by hand, nor by allocation, before the cool-down ends.
        self.company.telesales_claim_daily_limit = 5
        with freeze_time("2026-11-10 02:00:00"):
            with self.assertRaisesText(UserError, "cannot go back to them before the cool-down"):
                self.env["telesales.pool.lead"].with_user(self.user_agent).browse(lead.id).action_claim()
            with self.assertRaisesText(UserError, "before the cool-down"):
                lead.write({"team_id": self.team.id, "user_id": self.user_agent.id})
            lead.team_id = self.team
            run = self.env["telesales.allocation.run"].create({"level": "team", "team_id": self.team.id})
            run.action_apply()
        self.assertEqual(lead.user_id, self.user_agent_2, "allocation passes the former agent over")
        lead._telesales_assign(self.team.id, False, "manual", "test")
        with freeze_time("2026-11-15 02:00:01"):
            lead._telesales_assign(self.team.id, self.user_agent.id, "manual", "after the cool-down")
        self.assertEqual(lead.user_id, self.user_agent)


@tagged("post_install", "-at_install")
class TestPoolMasking(TelesalesCase):
    """The pool shows agents a masked number everywhere: list, search, export, RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"telesales_claim_daily_limit": 5, "telesales_tz": "Asia/Shanghai"})
        cls.emp_agent.write({"telesales_status": "live", "telesales_live_date": "2026-01-05"})  # claims (R-TRN-2)
        cls.lead = cls.env["crm.lead"].create({
            "name": "Pool lead", "type": "lead", "phone": "+86 138 1234 5678",
            "team_id": cls.team.id, "user_id": cls.user_agent_2.id})
        cls.lead._telesales_assign(False, False, "recycle", "Not contacted for 7 days")
        cls.Pool = cls.env["telesales.pool.lead"]

    def test_masked_for_agents(self):
        self.user_agent.group_ids |= self.env.ref("base.group_allow_export")
        pool = self.Pool.with_user(self.user_agent)
        row = pool.search([("id", "=", self.lead.id)])
        self.assertEqual(row.phone_masked, "138****5678")
        self.assertNotIn("1234", str(row.read()))
        exported = row.export_data(["name", "phone_masked"])["datas"]
        self.assertEqual(exported, [["Pool lead", "138****5678"]])
        self.assertFalse(pool.search([("phone_masked", "ilike", "1381234")]),
                         "searching by the number does not find it")
        with self.assertRaises(AccessError):
            row.read(["lead_id"])

    def test_agents_cannot_read_the_lead_itself(self):
        Lead = self.env["crm.lead"].with_user(self.user_agent)
        self.assertFalse(Lead.search([("id", "=", self.lead.id)]))
        self.assertFalse(Lead.search([("phone", "ilike", "5678")]), "no owner lookup by number")
        with self.assertRaises(AccessError):
            Lead.browse(self.lead.id).read(["phone"])
        # A leader sees the number.
        self.assertEqual(self.lead.with_user(self.user_manager).phone, "+86 138 1234 5678")

    def test_claim_reveals_the_number(self):
        with freeze_time(WEDNESDAY):
            action = self.Pool.with_user(self.user_agent).browse(self.lead.id).action_claim()
        self.assertEqual(action["res_id"], self.lead.id)
        self.assertEqual(self.lead.with_user(self.user_agent).phone, "+86 138 1234 5678")
        self.assertFalse(self.Pool.search([("id", "=", self.lead.id)]), "no longer in the pool")

    def test_do_not_call_is_not_in_the_pool(self):
        self.lead.telesales_do_not_call = True
        self.assertFalse(self.Pool.search([("id", "=", self.lead.id)]))

    def test_only_leads_taken_back_are_in_the_pool(self):
        fresh = self.env["crm.lead"].create({"name": "New", "team_id": False, "user_id": False})
        row = self.Pool.with_user(self.user_agent).search([])
        self.assertNotIn(fresh.id, row.ids, "new leads wait for allocation, not for the quickest agent")
        mine = row.filtered(lambda r: r.id == self.lead.id)
        self.assertEqual(mine.pool_reason, "Not contacted for 7 days")
        self.assertTrue(mine.pool_date)


@tagged("post_install", "-at_install")
class TestMoveLeads(TelesalesCase):
    """Leaders pull leads back to the pool or move them within their team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls.env["crm.lead"].create({
            "name": "Held", "type": "lead", "team_id": cls.team.id, "user_id": cls.user_agent.id})

    def _wizard(self, user, **values):
        return self.env["telesales.lead.move"].with_user(user).with_context(
            active_ids=self.lead.ids).create(values)

    def test_leader_moves_within_the_team(self):
        self._wizard(self.user_leader, team_id=self.team.id, user_id=self.user_agent_2.id).action_move()
        self.assertEqual(self.lead.user_id, self.user_agent_2)
        log = self.lead.telesales_allocation_log_ids[0]
        self.assertEqual((log.level, log.from_user_id, log.to_user_id),
                         ("manual", self.user_agent, self.user_agent_2))

    def test_leader_pulls_back_to_the_pool(self):
        wizard = Form(self.env["telesales.lead.move"].with_user(self.user_leader).with_context(
            active_ids=self.lead.ids, default_to_pool=True))
        self.assertIn("Pulled back", wizard.reason)
        wizard.save().action_move()
        self.assertFalse(self.lead.user_id)
        self.assertFalse(self.lead.team_id)

    def test_who_may_move(self):
        with self.assertRaisesText(UserError, "T-Team 2 is not yours"):
            self._wizard(self.user_leader, team_id=self.team_2.id).action_move()
        with self.assertRaises(AccessError):  # another team's leader does not even see it
            self._wizard(self.user_leader_2, team_id=self.team_2.id).action_move()
        with self.assertRaises(AccessError):
            self._wizard(self.user_agent, to_pool=True)
        with self.assertRaisesText(UserError, "is not a member of team"):
            self._wizard(self.user_manager, team_id=self.team_2.id, user_id=self.user_agent.id).action_move()
        self._wizard(self.user_manager, team_id=self.team_2.id).action_move()
        self.assertEqual((self.lead.team_id, self.lead.user_id.id), (self.team_2, False))


@tagged("post_install", "-at_install")
class TestAllocationAccess(TelesalesCase):
    """Who sees and does what around allocation, per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lead = cls.env["crm.lead"]
        cls.lead_1 = Lead.create({"name": "Team 1", "team_id": cls.team.id, "user_id": False})
        cls.lead_2 = Lead.create({"name": "Team 2", "team_id": cls.team_2.id, "user_id": False})
        cls.lead_1._telesales_assign(cls.team.id, cls.user_agent.id, "manual", "test")
        cls.lead_2._telesales_assign(cls.team_2.id, cls.user_agent_other.id, "manual", "test")
        cls.pooled = Lead.create({"name": "Pooled", "team_id": cls.team.id, "user_id": cls.user_agent_2.id})
        cls.pooled._telesales_assign(False, False, "recycle", "test")

    def _log_leads(self, user):
        return set(self.env["telesales.allocation.log"].with_user(user).search([]).lead_id.mapped("name"))

    def test_allocation_log_per_role(self):
        self.assertEqual(self._log_leads(self.user_agent), {"Team 1"})
        self.assertEqual(self._log_leads(self.user_agent_2), {"Pooled"}, "what was taken from them")
        self.assertEqual(self._log_leads(self.user_leader) & {"Team 1", "Team 2", "Pooled"}, {"Team 1", "Pooled"})
        self.assertLessEqual({"Team 1", "Team 2", "Pooled"}, self._log_leads(self.user_manager))
        with self.assertRaises(AccessError):
            self.env["telesales.allocation.log"].with_user(self.user_outsider).search([])

    def test_pool_per_role(self):
        for user in (self.user_agent, self.user_leader, self.user_manager):
            self.assertIn(self.pooled.id, self.env["telesales.pool.lead"].with_user(user).search([]).ids)
        for user in (self.user_outsider, self.user_hr):
            with self.assertRaises(AccessError):
                self.env["telesales.pool.lead"].with_user(user).search([])
        # Leaders read the full lead; agents only the masked pool row.
        self.assertEqual(self.env["telesales.pool.lead"].with_user(self.user_leader).browse(self.pooled.id).lead_id,
                         self.pooled)

    def test_only_leaders_move_and_only_admins_edit_rules(self):
        with self.assertRaises(AccessError):
            self.env["telesales.lead.move"].with_user(self.user_agent).create(
                {"lead_ids": self.lead_1.ids, "to_pool": True})
        rule = self.env["telesales.allocation.rule"].search([], limit=1)
        self.assertTrue(rule.with_user(self.user_agent).read(["name"]))
        for user in (self.user_agent, self.user_leader, self.user_manager):
            with self.assertRaises(AccessError):
                rule.with_user(user).write({"daily_cap": 5})
        rule.with_user(self.user_admin).write({"daily_cap": 5})
