"""Browser tour: a demo agent on a phone (390 × 844) works the queue of My Day and logs a
call (issue 17). The state the tour needs is built here, whatever the day and the hour the
suite runs: calling open around the clock today, the phone system off (the call button opens
Log a Call), a callable lead and a do-not-call lead with follow-ups due."""
from odoo import fields
from odoo.tests import tagged

from .test_tours import TelesalesTourCase


# The tags are spelled out: tests/test_browser_tours.py reads them from this file.
@tagged("post_install", "-at_install", "telesales_tour")
class TestMyDayTour(TelesalesTourCase):
    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls.env.ref("telesales_mgmt.user_ts_agent3")
        cls.employee = cls.env.ref("telesales_mgmt.employee_ts_agent3")
        cls.agent.write({"lang": "en_US"})  # dates typed in the tour are in en_US's format

        # The phone system off: the queue's call button opens Log a Call.
        cls.company.telesales_cti_enabled = False
        # Calling open around the clock, and today a working day for the company (a make-up
        # day works Monday's hours) whatever the calendar says.
        cls.company.telesales_call_window_ids.unlink()
        cls.env["telesales.call.window"].create([
            {"company_id": cls.company.id, "dayofweek": str(day), "hour_from": 0.0, "hour_to": 24.0}
            for day in range(7)])
        today = cls._clear_today()
        cls.env["telesales.day.exception"].create({
            "name": "Tour: working day", "company_id": cls.company.id, "date": today, "kind": "workday"})

        # Two leads of the agent with a follow-up due yesterday: one to call, one whose
        # customer refused calls (shown as such, without a call button).
        Partner = cls.env["res.partner"]
        callable_partner, refused_partner = Partner.create([
            {"name": "Tour Customer Callable", "phone": "+86 139 1000 0001"},
            {"name": "Tour Customer Refused", "phone": "+86 139 1000 0002"},
        ])
        team = cls.employee.telesales_team_id
        Lead = cls.env["crm.lead"].with_context(tracking_disable=True)
        cls.lead, cls.lead_refused = Lead.create([
            {"name": "Tour: My Day callable lead", "partner_id": callable_partner.id, "phone": callable_partner.phone,
             "type": "opportunity", "team_id": team.id, "user_id": cls.agent.id, "company_id": cls.company.id},
            {"name": "Tour: My Day refused lead", "partner_id": refused_partner.id, "phone": refused_partner.phone,
             "type": "opportunity", "team_id": team.id, "user_id": cls.agent.id, "company_id": cls.company.id},
        ])
        cls.lead_refused.write({"telesales_do_not_call": True})
        yesterday = fields.Date.subtract(today, days=1)
        call_type = cls.env.ref("mail.mail_activity_data_call")
        cls.env["mail.activity"].create([
            {"res_model_id": cls.env["ir.model"]._get_id("crm.lead"), "res_id": lead.id,
             "activity_type_id": call_type.id, "user_id": cls.agent.id, "date_deadline": yesterday,
             "summary": "Tour follow-up"}
            for lead in (cls.lead, cls.lead_refused)])

    def test_agent_works_the_queue_on_a_phone(self):
        my_day = self.env["telesales.workbench"].with_user(self.agent).get_my_day()
        rows = {row["lead_id"]: row for row in my_day["queue"]}
        self.assertTrue(rows[self.lead.id]["can_call"], "the tour needs a callable row")
        self.assertEqual(rows[self.lead_refused.id]["blocked"], "do_not_call")
        connected = my_day["progress"]["connected"]
        calls_before = self.env["telesales.call"].search_count([("user_id", "=", self.agent.id)])

        self.start_tour("/odoo/action-telesales_mgmt.action_telesales_my_day", "telesales_my_day_tour",
                        login=self.agent.login)

        calls = self.env["telesales.call"].search([("user_id", "=", self.agent.id)], order="id desc")
        self.assertEqual(len(calls), calls_before + 1, "the tour logged exactly one call")
        call = calls[0]
        self.assertEqual((call.outcome, call.talk_seconds, call.plan_goal),
                         ("effective", 180, "Send the quotation"))
        self.assertTrue(call.is_connected)
        self.assertIn(call.lead_id.id, rows, "the call is on a lead of the agent's queue")
        after = self.env["telesales.workbench"].with_user(self.agent).get_my_day()
        self.assertEqual(after["progress"]["connected"], connected + 1)
