from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .test_complaint import FRIDAY_AFTERNOON, ComplaintCase

# Context keys an RPC client may set: none of them opens a door.
CONTEXTS = ({}, {"telesales_summary_flow": True, "install_mode": True, "tracking_disable": True,
                 "telesales_seed": True, "mail_notrack": True})


@tagged("post_install", "-at_install")
class TestComplaintTrust(ComplaintCase):
    """Issue 12 §3, §4, §6: whoever a complaint is about never changes its state, dates,
    blame or outcome; a complaint is recorded on what the caller reads, with a subject, a
    description and a received date that is not in the future."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_lead = cls.env["crm.lead"].create({
            "name": "Someone else's", "user_id": cls.user_agent_other.id, "team_id": cls.team_2.id,
            "partner_id": cls.env["res.partner"].create({"name": "Ms Zhao", "phone": "+86 138 0000 0001"}).id})

    def _protected_values(self):
        """A value for each field the agent concerned may not change."""
        return {
            "stage_id": self.stage["cancelled"].id, "received_date": FRIDAY_AFTERNOON - timedelta(days=3),
            "acknowledged_date": FRIDAY_AFTERNOON, "forwarded_date": FRIDAY_AFTERNOON,
            "resolved_date": FRIDAY_AFTERNOON, "agent_id": self.user_agent_2.id, "team_id": self.team_2.id,
            "responsible_department_id": self.logistics.id, "responsible_user_id": self.user_logistics.id,
            "sla_status": "on_time", "sla_deadline": datetime(2027, 1, 1), "sla_days": 30, "escalation": "breached",
            "resolution": "<p>Sorted</p>", "satisfaction": 5, "root_cause": "None", "corrective_action": "None",
            "state": "closed", "user_id": self.user_agent_2.id, "category_id": self.analysed.id,
            "severity": "complex", "lead_id": self.lead.id, "partner_id": self.customer.id,
        }

    def _snapshot(self, complaint):
        complaint.invalidate_recordset()
        return {fname: complaint[fname] for fname in self._protected_values()}

    # ------------------------------------------------------------
    # §3: the agent concerned
    # ------------------------------------------------------------

    def test_the_agent_concerned_changes_no_protected_field(self):
        complaint = self._complaint()
        self.assertEqual(complaint.agent_id, self.user_agent)
        before = self._snapshot(complaint)
        as_agent = complaint.with_user(self.user_agent)
        for context in CONTEXTS:
            for fname, value in self._protected_values().items():
                with self.subTest(field=fname, context=context), self.assertRaises(AccessError) as catcher:
                    as_agent.with_context(**context).write({fname: value})
                label = complaint._fields[fname]._description_string(self.env)
                self.assertIn(label, str(catcher.exception), "the message names the field")
                self.assertIn("R-CMP-", str(catcher.exception), "and the rule")
        self.assertEqual(self._snapshot(complaint), before)
        # What stays open to them: the story and the chatter.
        as_agent.write({"description": "<p>He called back</p>", "priority": "1"})
        as_agent.message_post(body="I apologised again.", message_type="comment")
        self.assertIn("I apologised again.", complaint.message_ids[0].body)

    def test_the_agent_concerned_presses_no_step_button(self):
        complaint = self._complaint()
        as_agent = complaint.with_user(self.user_agent)
        for action in ("action_acknowledge", "action_acknowledge_mail", "action_forward", "action_start",
                       "action_resolve", "action_close", "action_cancel"):
            with self.subTest(action=action), self.assertRaisesText(AccessError, "is about you: Stage"):
                getattr(as_agent.with_context(telesales_summary_flow=True), action)()
        self.assertEqual(complaint.state, "new")

    def test_a_leader_the_complaint_is_about_is_the_agent_concerned_too(self):
        complaint = self._complaint(agent_id=self.user_leader.id)
        self.assertEqual(complaint.team_id, self.team)
        with self.assertRaisesText(AccessError, "is about you: Stage"):
            complaint.with_user(self.user_leader).action_cancel()
        with self.assertRaisesText(AccessError, "is about you: Agent Concerned"):
            complaint.with_user(self.user_leader).write({"agent_id": self.user_agent.id})
        complaint.with_user(self.user_service).action_cancel()
        self.assertEqual(complaint.state, "cancelled")

    def test_an_agent_who_records_it_does_not_handle_it(self):
        """The agent who recorded a complaint about a colleague (and reads it as its
        recorder) moves no step and re-blames no one."""
        complaint = self._complaint(user_id=self.user_agent_2.id)
        as_recorder = complaint.with_user(self.user_agent_2)
        self.assertEqual(as_recorder.subject, "Called again")
        self.assertFalse(as_recorder.outcome_editable or as_recorder.case_editable or as_recorder.dates_editable)
        with self.assertRaisesText(AccessError, "move a complaint through its steps (Stage, R-CMP-3)"):
            as_recorder.action_resolve()
        with self.assertRaisesText(AccessError, "name the agent and the team a complaint is about"):
            as_recorder.write({"agent_id": self.user_agent_2.id})
        with self.assertRaisesText(AccessError, "Received is set by the system"):
            as_recorder.write({"received_date": FRIDAY_AFTERNOON - timedelta(days=1)})
        with self.assertRaisesText(AccessError, "Resolution, R-CMP-3"):
            as_recorder.write({"resolution": "<p>Sorted</p>"})

    @freeze_time("2026-12-04 08:00:00")
    def test_who_may_do_what(self):
        complaint = self._complaint(responsible_department_id=self.logistics.id,
                                    responsible_user_id=self.user_logistics.id)
        as_person = complaint.with_user(self.user_logistics)
        self.assertTrue(as_person.outcome_editable and not as_person.case_editable)
        as_person.action_acknowledge()
        as_person.write({"resolution": "<p>Parcel re-sent</p>", "satisfaction": 4})
        with self.assertRaisesText(AccessError, "name the agent and the team"):
            as_person.write({"agent_id": self.user_agent_2.id})
        with self.assertRaisesText(AccessError, "Received is set by the system"):
            as_person.write({"received_date": FRIDAY_AFTERNOON - timedelta(days=1)})
        as_leader = complaint.with_user(self.user_leader)
        as_leader.write({"agent_id": self.user_agent_2.id})
        with self.assertRaisesText(AccessError, "Received is set by the system"):
            as_leader.write({"received_date": FRIDAY_AFTERNOON - timedelta(days=1)})
        complaint.with_user(self.user_service).write({"received_date": FRIDAY_AFTERNOON - timedelta(days=1)})
        for user in (self.user_service, self.user_manager, self.user_leader):
            with self.subTest(user=user.login), self.assertRaisesText(AccessError, "set by the system only"):
                complaint.with_user(user).write({"escalation": "none", "sla_status": "on_time"})
        as_leader.action_resolve()
        self.assertEqual(complaint.state, "resolved")

    # ------------------------------------------------------------
    # §7: outcome and system fields on create
    # ------------------------------------------------------------

    def test_an_agent_records_a_complaint_with_no_outcome_date_or_blame(self):
        Complaint = self.Complaint.with_user(self.user_agent)
        base = {"subject": "Rude", "description": "<p>He was rude.</p>", "category_id": self.general.id,
                "lead_id": self.lead.id}
        refused = {
            "resolution": ("<p>Sorted</p>", "Resolution"), "satisfaction": (5, "Satisfaction"),
            "root_cause": ("None", "Root Cause"), "corrective_action": ("None", "Corrective Action"),
            "received_date": (datetime.now() - timedelta(days=20), "Received"),
            "acknowledged_date": (datetime.now(), "Apologised On"), "resolved_date": (datetime.now(), "Resolved On"),
            "stage_id": (self.stage["closed"].id, "Stage"), "agent_id": (self.user_agent_2.id, "Agent Concerned"),
            "team_id": (self.team_2.id, "Team"), "escalation": ("breached", "Escalation"),
            "sla_status": ("breached", "SLA"), "responsible_user_id": (self.user_logistics.id, "Responsible Person"),
            "state": ("closed", "Step"),
        }
        for fname, (value, label) in refused.items():
            for how in ("value", "context"):
                with self.subTest(field=fname, how=how), self.assertRaisesText(AccessError, label):
                    if how == "value":
                        Complaint.create({**base, fname: value})
                    else:
                        Complaint.with_context(**{f"default_{fname}": value}).create(base)
        complaint = Complaint.create(base)
        self.assertEqual((complaint.agent_id, complaint.team_id, complaint.state, complaint.resolution),
                         (self.user_agent, self.team, "new", False), "the system fills the rest")
        handled = self.Complaint.with_user(self.user_service).create({**base, "satisfaction": 4})
        self.assertEqual(handled.satisfaction, 4, "customer service records the outcome")

    # ------------------------------------------------------------
    # §6: bad input
    # ------------------------------------------------------------

    def test_subject_and_description_are_required(self):
        base = {"subject": "Late", "description": "<p>Late parcel.</p>", "category_id": self.general.id,
                "lead_id": self.lead.id}
        for user in (self.user_agent, self.user_service):
            Complaint = self.Complaint.with_user(user)
            for values in ({"subject": ""}, {"subject": "   "}, {"subject": False}, {"description": ""},
                           {"description": "<p><br></p>"}, {"description": False}):
                label = "Subject" if "subject" in values else "Description"
                with self.subTest(user=user.login, values=values), \
                        self.assertRaisesText(ValidationError, f"{label} of a complaint cannot be empty"):
                    Complaint.create({**base, **values})
            complaint = Complaint.create(base)
            with self.assertRaisesText(ValidationError, "Subject of a complaint cannot be empty"):
                complaint.write({"subject": " "})
            with self.assertRaisesText(ValidationError, "Description of a complaint cannot be empty"):
                complaint.write({"description": "<p></p>"})
        without = {key: value for key, value in base.items() if key != "description"}
        with self.assertRaisesText(ValidationError, "Description of a complaint cannot be empty"):
            self.Complaint.with_user(self.user_service).create(without)

    @freeze_time("2026-12-04 07:00:00")
    def test_received_date_not_in_the_future(self):
        Complaint = self.Complaint.with_user(self.user_service)
        base = {"subject": "Late", "description": "<p>Late parcel.</p>", "category_id": self.general.id,
                "lead_id": self.lead.id}
        with self.assertRaisesText(ValidationError, "is in the future"):
            Complaint.create({**base, "received_date": datetime(2026, 12, 4, 8, 0)})
        older = Complaint.create({**base, "received_date": datetime(2026, 12, 1, 2, 0)})
        self.assertEqual(older.received_date, datetime(2026, 12, 1, 2, 0), "service records an older complaint")
        with self.assertRaisesText(ValidationError, "is in the future"):
            older.write({"received_date": datetime(2026, 12, 5, 0, 0)})
        older.with_user(self.user_manager).write({"received_date": datetime(2026, 12, 2, 2, 0)})
        self.assertEqual(Complaint.create(base).received_date, datetime(2026, 12, 4, 7, 0), "now by default")

    def test_unknown_records_get_a_clear_message(self):
        Complaint = self.Complaint.with_user(self.user_service)
        base = {"subject": "Late", "description": "<p>Late parcel.</p>", "category_id": self.general.id}
        for fname, label, model in (("lead_id", "Lead / Opportunity", "Lead"),
                                    ("sale_order_id", "Sale Order", "Sales Order"),
                                    ("partner_id", "Customer", "Contact"), ("agent_id", "Agent Concerned", "User"),
                                    ("category_id", "Category", "Complaint Category")):
            with self.subTest(field=fname), \
                    self.assertRaisesText(ValidationError, f"{model} 987654321 does not exist") as catcher:
                Complaint.create({**base, fname: 987654321})
            self.assertIn(label, str(catcher.exception), "the message names the field")
        complaint = Complaint.create({**base, "lead_id": self.lead.id})
        with self.assertRaisesText(ValidationError, "987654321 does not exist."):
            complaint.write({"lead_id": 987654321})
        with self.assertRaisesText(ValidationError, "is not a record id"):
            complaint.write({"lead_id": "1; DROP TABLE crm_lead"})

    # ------------------------------------------------------------
    # §1: recorded on what the caller reads
    # ------------------------------------------------------------

    def test_recorded_only_on_a_lead_the_caller_reads(self):
        base = {"subject": "Rude", "description": "<p>He was rude.</p>", "category_id": self.general.id}
        for user in (self.user_agent, self.user_leader):
            Complaint = self.Complaint.with_user(user)
            with self.subTest(user=user.login), self.assertRaisesText(AccessError, "you do not have access to it"):
                Complaint.create({**base, "lead_id": self.other_lead.id})
            with self.subTest(user=user.login), self.assertRaisesText(AccessError, "you do not have access to it"):
                Complaint.with_context(default_lead_id=self.other_lead.id).create(base)
            with self.subTest(user=user.login), self.assertRaisesText(AccessError, "a complaint names the customer"):
                Complaint.create({**base, "partner_id": self.other_lead.partner_id.id})
            with self.subTest(user=user.login), self.assertRaisesText(AccessError, "a complaint names the customer"):
                Complaint.create({**base, "lead_id": self.lead.id, "partner_id": self.other_lead.partner_id.id})
        with freeze_time(FRIDAY_AFTERNOON):  # within the calling hours (R-CALL-4)
            other_call = self.env["telesales.call"].create({
                "lead_id": self.other_lead.id, "outcome": "effective", "user_id": self.user_agent_other.id,
                "plan_date": "2026-12-10 02:00:00", "plan_goal": "call back"})
        with self.assertRaisesText(AccessError, "you do not have access to it"):
            self.Complaint.with_user(self.user_agent).create({**base, "call_id": other_call.id,
                                                              "lead_id": self.lead.id})
        # Re-pointing a complaint the leader handles at another team's lead.
        complaint = self._complaint()
        with self.assertRaisesText(AccessError, "you do not have access to it"):
            complaint.with_user(self.user_leader).write({"lead_id": self.other_lead.id})
        self.assertEqual(complaint.lead_id, self.lead)
        # Customer service records complaints on any lead: that is its job.
        recorded = self.Complaint.with_user(self.user_service).create({**base, "lead_id": self.other_lead.id})
        self.assertEqual(recorded.partner_id, self.other_lead.partner_id)
