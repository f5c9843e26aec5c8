from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import TelesalesCase

# Calls are judged in the department's local time (Asia/Shanghai, UTC+8): the instants
# below are written in UTC, each with its local time beside it.
MONDAY_0900 = "2026-11-23 01:00:00"      # Monday 09:00 local, first minute of the window
MONDAY_0859 = "2026-11-23 00:59:00"      # 08:59 local: one minute early
MONDAY_1159 = "2026-11-23 03:59:00"      # 11:59 local: last minute before the noon rest
MONDAY_1200 = "2026-11-23 04:00:00"      # 12:00 local: the noon rest starts
MONDAY_1830 = "2026-11-23 10:30:00"      # 18:30 local: evening, window closed
SATURDAY_1000 = "2026-11-28 02:00:00"    # Saturday 10:00 local
TUESDAY_1000 = "2026-11-24 02:00:00"     # Tuesday 10:00 local


@tagged("post_install", "-at_install")
class TestCalls(TelesalesCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({
            "country_id": cls.env.ref("base.cn").id,
            "telesales_tz": "Asia/Shanghai",
            "telesales_window_mode": "block",
            "telesales_connected_min_seconds": 1,
            "telesales_effective_min_seconds": 60,
            "telesales_no_progress_limit": 0,  # R-LEAD-5 has its own tests below
            "telesales_dnc_on_refusal": True,
        })
        cls.customer = cls.env["res.partner"].create(
            {"name": "王先生", "phone": "+86 138 0013 8000", "telesales_grade": "a"})
        Lead = cls.env["crm.lead"]
        cls.lead = Lead.create({"name": "Wang lead", "partner_id": cls.customer.id,
                                "user_id": cls.user_agent.id, "team_id": cls.team.id})
        cls.lead_2 = Lead.create({"name": "Li lead", "contact_name": "李女士", "phone": "13900139000",
                                  "user_id": cls.user_agent_2.id, "team_id": cls.team.id})

    def _call(self, user=None, lead=None, **values):
        vals = {"lead_id": (lead or self.lead).id, "outcome": "no_answer",
                "plan_date": "2026-12-01 02:00:00", "plan_goal": "reach the customer"}
        vals.update(values)
        Call = self.env["telesales.call"].with_user(user or self.user_agent)
        return Call.create(vals)

    # Calling windows (R-CALL-4) -------------------------------------------------------

    def test_window_edges(self):
        for instant, allowed in [(MONDAY_0900, True), (MONDAY_0859, False), (MONDAY_1159, True),
                                 (MONDAY_1200, False), (MONDAY_1830, False), (SATURDAY_1000, False)]:
            with self.subTest(instant=instant), freeze_time(instant):
                if allowed:
                    self.assertFalse(self._call().outside_window)
                else:
                    with self.assertRaisesText(UserError, "outside the calling hours"):
                        self._call()

    def test_warn_mode_flags_instead_of_blocking(self):
        self.company.telesales_window_mode = "warn"
        with freeze_time(MONDAY_1200):
            call = self._call()
        self.assertTrue(call.outside_window)

    def test_refusal_says_what_the_agent_can_do(self):
        """Agents cannot open Settings: the refusal names the hours and the way out."""
        with freeze_time(MONDAY_1830), self.assertRaises(UserError) as evening:
            self._call()
        message = str(evening.exception)
        self.assertIn("calling out is allowed from 09:00-12:00, 13:30-18:30 that day", message)
        self.assertIn("If the customer called you, set Direction to Inbound.", message)
        self.assertNotIn("Settings", message)
        with freeze_time(SATURDAY_1000), self.assertRaises(UserError) as saturday:
            self._call()
        self.assertIn("2026-11-28 is a rest day or a holiday", str(saturday.exception))
        self.assertIn("Next calling day: 2026-11-30, 09:00-12:00, 13:30-18:30.", str(saturday.exception))

    def test_inbound_callback_after_hours_is_logged(self):
        """R-CALL-4 restricts calling out: the customer's own call back is logged at any
        hour, from the quick form as over RPC; turning it into an outbound call is refused."""
        action = self.lead.with_user(self.user_agent).action_telesales_log_call()
        view = self.env["ir.ui.view"].browse(action["views"][0][0])
        with freeze_time(MONDAY_1830):
            form = Form(self.env["telesales.call"].with_user(self.user_agent).with_context(**action["context"]),
                        view=view)
            form.direction = "inbound"
            form.outcome = "intent"
            form.talk_time = "6:30"
            form.plan_date = "2026-11-24 02:00:00"
            form.plan_goal = "send the quote"
            call = form.save()
            self.assertEqual((call.direction, call.outside_window, call.talk_seconds), ("inbound", False, 390))
            with freeze_time(SATURDAY_1000):
                rpc = self._call(direction="inbound", outcome="effective", talk_seconds=90)
            self.assertFalse(rpc.outside_window)
            with self.assertRaisesText(UserError, "outside the calling hours"):
                call.with_user(self.user_agent).write({"direction": "outbound"})
        self.assertEqual(call.direction, "inbound")

    # Talk time as minutes:seconds ----------------------------------------------------------

    @freeze_time(MONDAY_0900)
    def test_talk_time_typed_as_minutes_and_seconds(self):
        call = self._call(outcome="effective", talk_time="3:25")
        self.assertEqual((call.talk_seconds, call.talk_time), (205, "3:25"))
        for typed, seconds in [("1:02:05", 3725), ("5", 300), (" 0:07 ", 7), ("75:00", 4500), ("", 0)]:
            with self.subTest(typed=typed):
                call.with_user(self.user_agent).write({"talk_time": typed})
                self.assertEqual(call.talk_seconds, seconds)
        self.assertEqual(call.talk_time, "0:00")
        call.talk_seconds = 4500
        self.assertEqual(call.talk_time, "75:00", "minutes past an hour stay minutes")
        for typed in ("3:75", "abc", "-3:00", "3.5", "1:2:3:4", "99999:00", 205):
            with self.subTest(typed=typed), self.assertRaisesText(ValidationError, "Talk Time:"):
                call.with_user(self.user_agent).write({"talk_time": typed})
        with self.assertRaisesText(ValidationError, "Talk Time:"):
            self._call(talk_time="4 min")

    @freeze_time(MONDAY_0900)
    def test_measured_talk_time_and_direction_stay_the_phone_systems(self):
        measured = self.env["telesales.call"].create({
            "lead_id": self.lead.id, "user_id": self.user_agent.id, "source": "phone_system", "to_log": True,
            "outcome": "answered", "answered_at": "2026-11-23 01:00:10", "talk_seconds": 120,
            "direction": "outbound"})
        for vals in ({"talk_time": "9:00"}, {"talk_seconds": 540}, {"direction": "inbound"}):
            with self.subTest(vals=vals), self.assertRaisesText(AccessError, "are measured"):
                measured.with_user(self.user_agent).write(vals)
        self.assertEqual((measured.talk_time, measured.direction), ("2:00", "outbound"))
        quick = self.env.ref("telesales_mgmt.telesales_call_view_form_quick")
        arch = self.env["telesales.call"].with_user(self.user_agent).get_views(
            [(quick.id, "form")])["views"]["form"]["arch"]
        for fname in ("talk_time", "direction"):
            with self.subTest(field=fname):
                self.assertRegex(arch, rf'<field name="{fname}"[^>]*readonly="source == .phone_system.')

    def test_public_holiday_and_make_up_day(self):
        Exception_ = self.env["telesales.day.exception"]
        Exception_.create({"name": "Holiday", "date": "2026-11-24", "kind": "holiday"})
        with freeze_time(TUESDAY_1000), self.assertRaisesText(UserError, "outside the calling hours"):
            self._call()
        Exception_.create({"name": "调休上班", "date": "2026-11-28", "kind": "workday"})
        with freeze_time(SATURDAY_1000):
            self.assertFalse(self._call().outside_window, "a make-up Saturday is a calling day")

    def test_calendar_public_holiday_blocks_calls(self):
        self.env["resource.calendar.leaves"].create({
            "name": "National holiday", "calendar_id": self.company.resource_calendar_id.id,
            "date_from": datetime(2026, 11, 23, 0, 0), "date_to": datetime(2026, 11, 23, 23, 59)})
        with freeze_time(MONDAY_0900), self.assertRaisesText(UserError, "outside the calling hours"):
            self._call()

    # Counting (R-CALL-2, R-CALL-3) ------------------------------------------------------

    @freeze_time(MONDAY_0900)
    def test_connected_and_effective_follow_settings(self):
        cases = [("no_answer", 0, False, False), ("not_interested", 30, True, False),
                 ("effective", 59, True, False), ("effective", 60, True, True),
                 ("intent", 300, True, True), ("refused", 0, False, False)]
        for outcome, talk, connected, effective in cases:
            with self.subTest(outcome=outcome, talk=talk):
                call = self._call(lead=self.lead_2, user=self.user_agent_2, outcome=outcome,
                                  talk_seconds=talk)
                self.assertEqual((call.is_connected, call.is_effective), (connected, effective))

    @freeze_time(MONDAY_0900)
    def test_lead_call_columns(self):
        self._call(outcome="effective", stage="presentation", talk_seconds=120, intent_level="low")
        self._call(outcome="not_interested", stage="needs", talk_seconds=40, intent_level="none",
                   start="2026-11-23 01:10:00")
        lead = self.lead
        self.assertEqual(lead.telesales_call_count, 2)
        self.assertEqual(lead.telesales_last_outcome, "not_interested")
        self.assertEqual(lead.telesales_furthest_stage, "presentation")
        self.assertEqual(lead.telesales_intent_level, "none")
        self.assertEqual(lead.telesales_attempts_no_progress, 1)
        self.assertEqual(lead.telesales_grade, "a", "the lead shows its customer's grade")

    # Follow-up plans (R-LEAD-4) -------------------------------------------------------------

    @freeze_time(MONDAY_0900)
    def test_plan_required_unless_the_outcome_closes(self):
        with self.assertRaisesText(ValidationError, "follow-up plan"):
            self._call(plan_date=False, plan_goal=False)
        self._call(outcome="deal", plan_date=False, plan_goal=False)  # nothing to follow up

    @freeze_time(MONDAY_0900)
    def test_plan_becomes_an_activity_for_the_agent(self):
        call = self._call(plan_channel="visit", plan_action="bring the contract",
                          plan_goal="signature", plan_date="2026-11-26 02:00:00")
        activity = call.plan_activity_id
        self.assertEqual(activity.res_id, self.lead.id)
        self.assertEqual(activity.user_id, self.user_agent)
        self.assertEqual(str(activity.date_deadline), "2026-11-26")
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_meeting"))
        self.assertEqual(activity.summary, "bring the contract")

    # Manager approval after N contacts without progress (R-LEAD-5) ---------------------

    @freeze_time(MONDAY_0900)
    def test_three_contacts_without_progress_need_approval(self):
        self.company.telesales_no_progress_limit = 3
        for minute in range(3):
            self._call(start=f"2026-11-23 01:0{minute}:00")
        self.assertTrue(self.lead.telesales_needs_approval)
        with self.assertRaisesText(UserError, "needs the manager's approval"):
            self._call(start="2026-11-23 01:03:00")
        lead_as_agent = self.lead.with_user(self.user_agent)
        lead_as_agent.action_telesales_request_approval()
        self.assertEqual(self.lead.telesales_approval_state, "requested")
        todo = self.lead.activity_ids.filtered(lambda a: a.user_id == self.user_manager)
        self.assertTrue(todo, "the manager gets an activity")
        with self.assertRaisesText(UserError, "Only the department manager"):
            lead_as_agent.action_telesales_approve()
        with freeze_time("2026-11-23 01:05:00"):
            self.lead.with_user(self.user_manager).action_telesales_approve()
        self.assertFalse(self.lead.telesales_needs_approval)
        self._call(start="2026-11-23 01:06:00")  # allowed again

    @freeze_time(MONDAY_0900)
    def test_progress_resets_the_count(self):
        self.company.telesales_no_progress_limit = 3
        self._call(start="2026-11-23 01:00:00")
        self._call(start="2026-11-23 01:01:00")
        self._call(start="2026-11-23 01:02:00", outcome="intent", talk_seconds=90)
        self.assertEqual(self.lead.telesales_attempts_no_progress, 0)
        self._call(start="2026-11-23 01:03:00", stage="opening", outcome="not_interested",
                   talk_seconds=20)
        self.assertEqual(self.lead.telesales_attempts_no_progress, 0, "a further stage is progress")

    @freeze_time(MONDAY_0900)
    def test_a_new_plan_restarts_the_count(self):
        self.company.telesales_no_progress_limit = 3
        self._call(start="2026-11-23 01:00:00", plan_goal="reach the customer")
        self._call(start="2026-11-23 01:01:00", plan_goal="Reach the customer ")
        self.assertEqual(self.lead.telesales_attempts_no_progress, 2, "the same plan, reworded")
        self._call(start="2026-11-23 01:02:00", plan_goal="call the wife at home in the evening")
        self.assertEqual(self.lead.telesales_attempts_no_progress, 0, "a new plan")
        self._call(start="2026-11-23 01:03:00", plan_goal="call the wife at home in the evening")
        self.assertEqual(self.lead.telesales_attempts_no_progress, 1)

    # Do not call (R-CALL-4) ---------------------------------------------------------------

    @freeze_time(MONDAY_0900)
    def test_refusal_blocks_the_number_everywhere(self):
        self._call(outcome="refused", plan_date=False, plan_goal=False)
        self.assertTrue(self.customer.telesales_do_not_call)
        self.assertTrue(self.lead.telesales_do_not_call)
        with self.assertRaisesText(UserError, "do-not-call list"):
            self._call()
        # the same number, written another way, on another lead without that customer
        other = self.env["crm.lead"].create({"name": "Same number", "phone": "13800138000",
                                             "user_id": self.user_agent.id})
        with self.assertRaisesText(UserError, "do-not-call list"):
            self._call(lead=other)

    @freeze_time(MONDAY_0900)
    def test_refusal_without_do_not_call_setting(self):
        self.company.telesales_dnc_on_refusal = False
        self._call(outcome="refused", plan_date=False, plan_goal=False)
        self.assertFalse(self.customer.telesales_do_not_call)

    # Bad input and who may log ----------------------------------------------------------------

    @freeze_time(MONDAY_0900)
    def test_impossible_durations(self):
        with self.assertRaisesText(ValidationError, "cannot end"):
            self._call(end="2026-11-23 00:59:00")
        with self.assertRaisesText(ValidationError, "cannot exceed the call's length"):
            self._call(end="2026-11-23 01:01:00", talk_seconds=50, ring_seconds=20)
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self._call(talk_seconds=-1)
        self.assertFalse(self.lead.telesales_call_ids, "nothing was saved")

    @freeze_time(MONDAY_0900)
    def test_only_the_leads_agent_or_a_leader_logs(self):
        with self.assertRaisesText(UserError, "not yours to work"):
            self._call(lead=self.lead_2)
        with self.assertRaisesText(UserError, "only log your own calls"):
            self._call(user_id=self.user_agent_2.id)
        call = self._call(user=self.user_leader, lead=self.lead_2, user_id=self.user_agent_2.id)
        self.assertEqual(call.team_id, self.team)

    # Access ------------------------------------------------------------------------------------

    @freeze_time(MONDAY_0900)
    def test_access_per_role(self):
        own = self._call()
        mate = self._call(user=self.user_agent_2, lead=self.lead_2)
        lead_other = self.env["crm.lead"].create({"name": "Other team", "phone": "13700137000",
                                                  "user_id": self.user_agent_other.id, "team_id": self.team_2.id})
        other = self._call(user=self.user_agent_other, lead=lead_other)
        calls = own | mate | other
        Call = self.env["telesales.call"]
        visible = {login: Call.with_user(user).search([("id", "in", calls.ids)])
                   for login, user in [("agent", self.user_agent), ("leader", self.user_leader),
                                       ("manager", self.user_manager), ("service", self.user_service)]}
        self.assertEqual(visible["agent"], own)
        self.assertEqual(visible["leader"], own | mate)
        self.assertEqual(visible["manager"], calls)
        self.assertFalse(visible["service"], "customer service reads only what was complained about")
        self.env["telesales.complaint"].create({"subject": "Rude", "description": "<p>Rude</p>",
                                                "lead_id": lead_other.id})
        self.assertEqual(Call.with_user(self.user_service).search([("id", "in", calls.ids)]), other)
        with self.assertRaises(AccessError):
            mate.with_user(self.user_agent).notes = "not mine"
        with self.assertRaises(AccessError):
            own.with_user(self.user_service).notes = "service cannot edit"
        with self.assertRaises(AccessError):
            Call.with_user(self.user_outsider).search([])
        with self.assertRaises(AccessError):
            own.with_user(self.user_agent).unlink()

        Daily = self.env["telesales.call.daily"]
        agents = self.user_agent | self.user_agent_2 | self.user_agent_other
        self.env["telesales.call"].flush_model()
        for user, expected in [(self.user_agent, {self.user_agent}),
                               (self.user_leader, {self.user_agent, self.user_agent_2}),
                               (self.user_manager, {self.user_agent, self.user_agent_2, self.user_agent_other})]:
            with self.subTest(report_for=user.login):
                rows = Daily.with_user(user).search([("date", "=", "2026-11-23"),
                                                     ("user_id", "in", agents.ids)])
                self.assertEqual(set(rows.user_id), expected)
        with self.assertRaises(AccessError):
            Daily.with_user(self.user_outsider).search([])

    @freeze_time(MONDAY_0900)
    def test_partner_contact_history(self):
        self._call(outcome="effective", talk_seconds=100)
        self.assertEqual(self.customer.telesales_call_count, 1)
        action = self.customer.action_telesales_view_calls()
        self.assertEqual(self.env["telesales.call"].search(action["domain"]), self.lead.telesales_call_ids)

    @freeze_time(MONDAY_0900)
    def test_log_a_call_form(self):
        action = self.lead.with_user(self.user_agent).action_telesales_log_call()
        view = self.env["ir.ui.view"].browse(action["views"][0][0])
        Call = self.env["telesales.call"].with_user(self.user_agent).with_context(**action["context"])
        form = Form(Call, view=view)
        form.outcome = "intent"
        form.talk_time = "4:00"
        form.plan_date = "2026-11-24 02:00:00"
        form.plan_goal = "send the quote"
        call = form.save()
        self.assertEqual(call.lead_id, self.lead)
        self.assertEqual(call.partner_id, self.customer)
        self.assertEqual(call.team_id, self.team)
        self.assertTrue(call.is_effective)

    @freeze_time(MONDAY_0900)
    def test_logging_a_call_costs_few_queries(self):
        for minute in range(5):  # some history, and warm caches
            self._call(start=f"2026-11-23 01:1{minute}:00", outcome="intent", talk_seconds=70)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=40):  # 37 measured: bounded, whatever the history
            self.env["telesales.call"].with_user(self.user_agent).create({
                "lead_id": self.lead.id, "outcome": "effective", "talk_seconds": 90,
                "plan_date": "2026-12-01 02:00:00", "plan_goal": "send offer"})
            self.env.flush_all()
