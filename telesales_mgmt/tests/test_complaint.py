from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import TelesalesCase

# Friday 4 December 2026, 15:00 in Shanghai.
FRIDAY_AFTERNOON = datetime(2026, 12, 4, 7, 0)


class ComplaintCase(TelesalesCase):
    """Complaints fixture: a Shanghai calendar, categories, a logistics department, a lead."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create({"name": "Shanghai office", "tz": "Asia/Shanghai"})
        cls.company.write({"resource_calendar_id": cls.calendar.id, "telesales_complaint_sla_days": 2,
                           "telesales_complaint_risk_share": 75})
        cls.env["telesales.complaint.sla"].search([]).unlink()
        cls.general = cls.env.ref("telesales_mgmt.complaint_category_price")
        cls.analysed = cls.env.ref("telesales_mgmt.complaint_category_harassment")
        cls.logistics = cls.env["hr.department"].create({"name": "Logistics"})
        cls.user_logistics = cls.env["res.users"].create({
            "name": "Logistics Clerk", "login": "t_logistics",
            "group_ids": [(6, 0, [cls.env.ref("base.group_user").id])]})
        cls.env["hr.employee"].create({"name": "Logistics Clerk", "user_id": cls.user_logistics.id,
                                       "department_id": cls.logistics.id})
        cls.customer = cls.env["res.partner"].create({"name": "Mr Wang", "email": "wang@example.com"})
        cls.lead = cls.env["crm.lead"].create({"name": "Wang's course", "partner_id": cls.customer.id,
                                               "user_id": cls.user_agent.id, "team_id": cls.team.id})
        cls.Complaint = cls.env["telesales.complaint"]
        cls.stage = {s.state: s for s in cls.env["telesales.complaint.stage"].search([])}

    def _complaint(self, **values):
        # Recorded when received: a received date in the future is refused.
        with freeze_time(FRIDAY_AFTERNOON):
            return self.Complaint.create({
                "subject": "Called again", "description": "<p>Called me again after I said no.</p>",
                "category_id": self.general.id, "lead_id": self.lead.id, "received_date": FRIDAY_AFTERNOON,
                **values})


@tagged("post_install", "-at_install")
class TestComplaint(ComplaintCase):
    """R-CMP-1…4: tickets with a deadline in working days, escalation, stage rules, access."""

    def _holiday(self, day, kind="holiday"):
        self.env["telesales.day.exception"].create({"name": "Day", "date": day, "kind": kind,
                                                    "company_id": self.company.id})

    # ------------------------------------------------------------
    # Deadline in working days (R-CMP-2)
    # ------------------------------------------------------------

    def test_friday_afternoon_plus_two_working_days_over_a_monday_holiday(self):
        self._holiday(date(2026, 12, 7))
        complaint = self._complaint()
        self.assertEqual(complaint.sla_days, 2)
        self.assertEqual(complaint.sla_deadline, datetime(2026, 12, 9, 7, 0), "Wednesday 15:00: Tuesday, Wednesday")
        self.assertEqual((complaint.partner_id, complaint.agent_id, complaint.team_id),
                         (self.customer, self.user_agent, self.team), "filled from the lead")

    def test_public_holiday_of_the_calendar_is_skipped_too(self):
        self.env["resource.calendar.leaves"].create({
            "name": "Public holiday", "calendar_id": self.calendar.id, "resource_id": False,
            # Covers Monday's hours in Shanghai (00:00-10:00 UTC) whatever time zone the form assumes.
            "date_from": datetime(2026, 12, 6, 12, 0), "date_to": datetime(2026, 12, 7, 20, 0)})
        self.assertEqual(self._complaint().sla_deadline, datetime(2026, 12, 9, 7, 0), "Monday off in the calendar")

    def test_make_up_saturday_counts_and_the_department_calendar_applies(self):
        self._holiday(date(2026, 12, 5), kind="workday")
        complaint = self._complaint()
        self.assertEqual(complaint.sla_deadline, datetime(2026, 12, 7, 7, 0), "Saturday (make-up), Monday")
        weekend_workers = self.env["resource.calendar"].create({
            "name": "Seven days", "tz": "Asia/Shanghai",
            "attendance_ids": [(0, 0, {"name": str(d), "dayofweek": str(d), "hour_from": 9, "hour_to": 18})
                               for d in range(7)]})
        self.logistics.telesales_calendar_id = weekend_workers
        complaint.responsible_department_id = self.logistics
        self.assertEqual(complaint.sla_deadline, datetime(2026, 12, 6, 7, 0), "Saturday, Sunday: the department works")

    def _office_hours(self):
        """Monday to Friday, 09:00-12:00 and 13:30-18:00 in Shanghai: the company's hours."""
        calendar = self.env["resource.calendar"].create({
            "name": "Office hours", "tz": "Asia/Shanghai", "attendance_ids": [Command.clear()] + [
                Command.create({"name": f"{day} {start}", "dayofweek": str(day), "hour_from": start, "hour_to": stop,
                                "day_period": "morning" if start < 12 else "afternoon"})
                for day in range(5) for start, stop in ((9, 12), (13.5, 18))]})
        self.company.resource_calendar_id = calendar
        return calendar

    def _received(self, local):
        """A complaint received at `local` (Shanghai time), recorded then."""
        moment = local - timedelta(hours=8)
        with freeze_time(moment):
            return self.Complaint.create({
                "subject": "Called again", "description": "<p>Called me again.</p>",
                "category_id": self.general.id, "lead_id": self.lead.id, "received_date": moment})

    def _local(self, moment):
        return moment + timedelta(hours=8)

    def test_deadline_counts_from_the_next_working_hour(self):
        """R-CMP-2 in working time: the clock starts at the next working moment and the
        deadline lands in working hours."""
        self._office_hours()
        self._holiday(date(2026, 12, 14))
        cases = [
            # received (local)            deadline (local)                at risk from (local)
            # Sunday 23:14: Monday and Tuesday, due at Tuesday's close (not Tuesday 23:14)
            (datetime(2026, 11, 22, 23, 14), datetime(2026, 11, 24, 18, 0), datetime(2026, 11, 24, 14, 15)),
            # Friday evening: Monday and Tuesday
            (datetime(2026, 11, 27, 19, 30), datetime(2026, 12, 1, 18, 0), datetime(2026, 12, 1, 14, 15)),
            # Friday after hours, Monday a holiday: Tuesday and Wednesday
            (datetime(2026, 12, 11, 18, 5), datetime(2026, 12, 16, 18, 0), datetime(2026, 12, 16, 14, 15)),
            # within the hours: the same time two working days later
            (datetime(2026, 11, 23, 10, 0), datetime(2026, 11, 25, 10, 0), datetime(2026, 11, 24, 15, 15)),
            # at lunch: from 13:30
            (datetime(2026, 11, 23, 12, 40), datetime(2026, 11, 25, 13, 30), datetime(2026, 11, 24, 17, 15)),
        ]
        for received, deadline, risk in cases:
            with self.subTest(received=received):
                complaint = self._received(received)
                self.assertEqual(self._local(complaint.sla_deadline), deadline)
                self.assertEqual(self._local(complaint.sla_risk_date), risk)

    def test_deadline_label_is_relative_to_now_not_to_the_month(self):
        """Two days before a deadline at the turn of the month the list said "Next month"
        (Odoo's remaining_days widget compares calendar months): the list and the cards show
        the date and time, and the time left."""
        self._office_hours()
        complaint = self._received(datetime(2026, 11, 27, 19, 30))  # due Tuesday 1 December, 18:00
        with freeze_time("2026-11-29 02:00:00"):  # Sunday 29 November, 10:00 in Shanghai
            complaint.invalidate_recordset(["sla_remaining"])
            self.assertEqual(complaint.sla_remaining, "in 2 d 8 h")
        with freeze_time("2026-12-01 09:30:00"):  # 17:30
            complaint.invalidate_recordset(["sla_remaining"])
            self.assertEqual(complaint.sla_remaining, "in 30 min")
        with freeze_time("2026-12-01 12:15:00"):
            complaint.invalidate_recordset(["sla_remaining"])
            self.assertEqual(complaint.sla_remaining, "2 h 15 min overdue")
        for view in ("telesales_complaint_view_list", "telesales_complaint_view_kanban"):
            with self.subTest(view=view):
                arch = self.env.ref(f"telesales_mgmt.{view}").arch
                self.assertNotIn("remaining_days", arch)
                self.assertIn('name="sla_remaining"', arch)

    def test_deadline_rules_most_specific_first(self):
        Sla = self.env["telesales.complaint.sla"]
        Sla.create([{"severity": "complex", "days": 5}, {"category_id": self.general.id, "days": 3},
                    {"category_id": self.general.id, "severity": "complex", "days": 4}])
        self.assertEqual(self._complaint(severity="complex").sla_days, 4)
        self.assertEqual(self._complaint().sla_days, 3)
        self.assertEqual(self._complaint(category_id=self.analysed.id, severity="complex").sla_days, 5)
        self.assertEqual(self._complaint(category_id=self.analysed.id).sla_days, 2, "the default")
        with self.assertRaisesText(ValidationError, "at least 1"):
            Sla.create({"severity": "critical", "days": 0})

    # ------------------------------------------------------------
    # SLA status and escalation
    # ------------------------------------------------------------

    def test_at_risk_then_breached_then_frozen_at_resolution(self):
        # Deadline Tuesday 8th 15:00: 16 working hours (Friday 2, Monday 8, Tuesday 6); at
        # risk after 12 of them, on Tuesday at 10:00 (the clock runs in working hours).
        complaint = self._complaint()
        self.assertEqual(complaint.sla_deadline, datetime(2026, 12, 8, 7, 0))
        self.assertEqual(complaint.sla_risk_date, datetime(2026, 12, 8, 2, 0))
        with freeze_time("2026-12-08 01:59:00"):
            self.Complaint._cron_sla()
            self.assertEqual(complaint.sla_status, "on_time")
        with freeze_time("2026-12-08 02:00:00"):
            self.Complaint._cron_sla()
            self.assertEqual(complaint.sla_status, "at_risk")
        with freeze_time("2026-12-08 07:00:00"):
            self.Complaint._cron_sla()
            self.assertEqual(complaint.sla_status, "at_risk", "exactly at the deadline: not yet breached")
        with freeze_time("2026-12-08 07:01:00"):
            self.Complaint._cron_sla()
            self.assertEqual((complaint.sla_status, complaint.sla_compliance), ("breached", 0))
            complaint.action_acknowledge()
            complaint.action_resolve()
        self.assertEqual(complaint.resolved_date, datetime(2026, 12, 8, 7, 1))
        self.assertAlmostEqual(complaint.hours_to_resolve, 96 + 1 / 60)
        early = self._complaint()
        with freeze_time("2026-12-05 00:00:00"):
            early.action_resolve()
        with freeze_time("2026-12-20 00:00:00"):
            self.Complaint._cron_sla()
        self.assertEqual((early.sla_status, early.sla_compliance), ("on_time", 100), "measured until resolved")

    def test_escalation_once_per_level(self):
        complaint = self._complaint(responsible_department_id=self.logistics.id,
                                    responsible_user_id=self.user_logistics.id, agent_id=self.user_agent.id)

        def activities():
            return sorted(complaint.activity_ids.mapped("user_id.login"))

        with freeze_time("2026-12-08 03:00:00"):
            self.Complaint._cron_sla()
            self.Complaint._cron_sla()
        self.assertEqual(activities(), ["t_logistics"], "at risk: the responsible person, once")
        with freeze_time("2026-12-09 00:00:00"):
            self.Complaint._cron_sla()
            self.Complaint._cron_sla()
        self.assertEqual(activities(), ["t_leader", "t_logistics", "t_manager"],
                         "breached: the team leader and the department manager, once")
        self.assertEqual(complaint.escalation, "breached")

    # ------------------------------------------------------------
    # Stage rules
    # ------------------------------------------------------------

    def test_acknowledge_forward_resolve_close(self):
        complaint = self._complaint()
        with freeze_time("2026-12-04 07:05:00"):
            complaint.action_acknowledge_mail()
        self.assertEqual(complaint.acknowledged_date, datetime(2026, 12, 4, 7, 5))
        self.assertIn("we received your complaint", complaint.message_ids[0].subject or "")
        with self.assertRaisesText(UserError, "name the responsible department"):
            complaint.action_forward()
        self.logistics.manager_id = self.env["hr.employee"].search([("user_id", "=", self.user_logistics.id)])
        complaint.responsible_department_id = self.logistics
        complaint.action_forward()
        self.assertEqual(complaint.responsible_user_id, self.user_logistics, "the department's manager by default")
        self.assertEqual(complaint.activity_ids.user_id, self.user_logistics)
        self.assertIn(self.user_logistics.partner_id, complaint.message_partner_ids)
        complaint.action_resolve()
        follow_up = complaint.activity_ids
        self.assertEqual((follow_up.activity_type_id, follow_up.user_id),
                         (self.env.ref("mail.mail_activity_data_call"), complaint.user_id),
                         "resolved: the forwarding to-do is done, the satisfaction call is next")
        with self.assertRaisesText(UserError, "without the resolution, the customer's satisfaction"):
            complaint.action_close()
        with self.assertRaisesText(ValidationError, "satisfaction is from 1 to 5, not 6"):
            complaint.satisfaction = 6
        complaint.write({"resolution": "<p>Refund sent</p>", "satisfaction": 4})
        complaint.action_close()
        self.assertEqual(complaint.state, "closed")
        self.assertFalse(complaint.activity_ids, "closed: the follow-up is done")

    def test_forwarding_from_new_does_not_date_an_apology(self):
        """Only the apology step fills "Apologised On" (R-CMP-1): a complaint forwarded
        straight from New has none, says so, and records it later without going back."""
        complaint = self._complaint(responsible_department_id=self.logistics.id,
                                    responsible_user_id=self.user_logistics.id, agent_id=self.user_agent.id)
        with freeze_time("2026-12-04 07:10:00"):
            complaint.with_user(self.user_service).action_forward()
        self.assertEqual((complaint.state, complaint.forwarded_date), ("forwarded", datetime(2026, 12, 4, 7, 10)))
        self.assertFalse(complaint.acknowledged_date)
        with self.assertRaisesText(AccessError, "is about you"):
            complaint.with_user(self.user_agent).action_acknowledge()
        with self.assertRaises(AccessError):
            complaint.with_user(self.user_agent_2).action_acknowledge()
        with freeze_time("2026-12-04 07:30:00"):
            complaint.with_user(self.user_logistics).action_acknowledge()
        self.assertEqual((complaint.state, complaint.acknowledged_date), ("forwarded", datetime(2026, 12, 4, 7, 30)),
                         "the apology is dated, the step stays")
        with freeze_time("2026-12-04 08:00:00"):
            complaint.action_acknowledge()
        self.assertEqual(complaint.acknowledged_date, datetime(2026, 12, 4, 7, 30), "dated once")
        resolved = self._complaint()
        resolved.action_resolve()
        self.assertFalse(resolved.acknowledged_date, "resolving does not apologise either")

    def test_analysed_categories_need_root_cause_and_action(self):
        complaint = self._complaint(category_id=self.analysed.id)
        complaint.write({"resolution": "<p>Number blocked</p>", "satisfaction": 3})
        complaint.action_resolve()
        with self.assertRaisesText(UserError, "the root cause, the corrective action"):
            complaint.action_close()
        complaint.write({"root_cause": "Lead list not cleaned",
                         "corrective_action": "Do-not-call check before dialling"})
        complaint.action_close()

    def test_only_the_manager_reopens_a_closed_ticket(self):
        complaint = self._complaint()
        complaint.write({"resolution": "<p>Done</p>", "satisfaction": 5})
        complaint.action_resolve()
        complaint.action_close()
        with self.assertRaisesText(UserError, "only the department manager can reopen"):
            complaint.with_user(self.user_service).write({"stage_id": self.stage["in_progress"].id})
        complaint.with_user(self.user_manager).write({"stage_id": self.stage["in_progress"].id})
        self.assertFalse(complaint.resolved_date, "reopened: the clock runs again")

    # ------------------------------------------------------------
    # Incoming e-mail, calls
    # ------------------------------------------------------------

    def test_created_from_an_incoming_email(self):
        domain = self.env["mail.alias.domain"].create({"name": "complaints.example.com"})
        alias = self.env.ref("telesales_mgmt.mail_alias_complaint")
        alias.alias_domain_id = domain
        self.assertEqual(self.env["res.config.settings"].create({}).telesales_complaint_alias,
                         "complaints@complaints.example.com", "Settings show where to write")
        raw = (f"From: Mr Wang <wang@example.com>\r\nTo: complaints@{domain.name}\r\n"
               "Subject: Rude agent\r\nMessage-ID: <cmp-1@example.com>\r\n"
               "Content-Type: text/plain\r\n\r\nYour agent hung up on me.\r\n")
        self.env["mail.thread"].message_process(None, raw)
        complaint = self.Complaint.search([("subject", "=", "Rude agent")])
        self.assertEqual((complaint.partner_id, complaint.channel, complaint.state), (self.customer, "email", "new"))
        self.assertIn("hung up on me", complaint.description)
        self.assertTrue(complaint.name.startswith("CMP/"))
        raw_new = raw.replace("Mr Wang <wang@example.com>", "Ms Li <li@example.com>").replace("cmp-1", "cmp-2")
        self.env["mail.thread"].message_process(None, raw_new.replace("Rude agent", "Late parcel"))
        self.assertEqual(self.Complaint.search([("subject", "=", "Late parcel")]).partner_id.email, "li@example.com",
                         "an unknown sender becomes a partner")

    @freeze_time(FRIDAY_AFTERNOON)  # within the calling hours (R-CALL-4), whatever the wall clock says
    def test_complaint_from_a_call(self):
        call = self.env["telesales.call"].create({"lead_id": self.lead.id, "user_id": self.user_agent.id,
                                                  "outcome": "effective", "direction": "inbound",
                                                  "plan_date": "2026-12-10 02:00:00", "plan_goal": "call back"})
        action = call.with_user(self.user_agent).action_telesales_complaint()
        complaint = self.Complaint.with_user(self.user_agent).with_context(**action["context"]).create(
            {"subject": "Angry", "description": "<p>Angry about the price.</p>"})
        self.assertEqual((complaint.call_id, complaint.lead_id, complaint.agent_id, complaint.channel),
                         (call, self.lead, self.user_agent, "call"))
        self.assertEqual(self.lead.telesales_complaint_count, 1)
        self.assertEqual(self.customer.telesales_complaint_count, 1)
        action = self.customer.action_telesales_view_complaints()
        self.assertEqual(self.Complaint.search(action["domain"]), complaint)

    # ------------------------------------------------------------
    # Access (R-CMP: service all, agent own customers, department what was forwarded)
    # ------------------------------------------------------------

    def test_access_matrix(self):
        mine = self._complaint()
        other_lead = self.env["crm.lead"].create({"name": "Other", "user_id": self.user_agent_other.id,
                                                  "team_id": self.team_2.id})
        theirs = self._complaint(lead_id=other_lead.id, responsible_department_id=self.logistics.id)
        both = mine | theirs

        def visible(user):
            return self.Complaint.with_user(user).search([("id", "in", both.ids)])

        self.assertEqual(visible(self.user_service), both)
        self.assertEqual(visible(self.user_manager), both)
        self.assertEqual(visible(self.user_leader), mine, "the team's")
        self.assertEqual(visible(self.user_agent), mine, "about their own customers")
        self.assertEqual(visible(self.user_agent_2), self.Complaint)
        self.assertEqual(visible(self.user_logistics), theirs, "forwarded to their department")
        self.assertEqual(visible(self.user_outsider), self.Complaint)
        with self.assertRaises(AccessError):
            mine.with_user(self.user_agent_2).read(["subject"])
        mine.with_user(self.user_agent).write({"description": "<p>He called back</p>"})
        self.assertFalse(mine.with_user(self.user_agent).outcome_editable, "the form shows the outcome read-only")
        self.assertTrue(mine.with_user(self.user_service).outcome_editable)
        with self.assertRaisesText(UserError, "is about you: Resolution"):
            mine.with_user(self.user_agent).write({"resolution": "<p>Sorted</p>"})
        mine.with_user(self.user_service).write({"resolution": "<p>Sorted</p>", "satisfaction": 5})
        theirs.responsible_user_id = self.user_logistics
        theirs.with_user(self.user_logistics).write({"resolution": "<p>Parcel re-sent</p>"})
        with self.assertRaises(AccessError):
            mine.with_user(self.user_agent).unlink()
        Lead = self.env["crm.lead"].with_user(self.user_service)
        self.assertEqual(Lead.search([("id", "in", (self.lead | other_lead | self.lead.copy()).ids)]),
                         self.lead | other_lead, "service reads the leads complained about, no other")
        complaint = self.Complaint.with_user(self.user_service).create({
            "subject": "On the phone", "description": "<p>Rang to complain.</p>", "category_id": self.general.id,
            "lead_id": self.env["crm.lead"].create({"name": "New", "partner_id": self.customer.id}).id})
        self.assertEqual(complaint.partner_id, self.customer, "recorded by service on a lead it could not read")

    def test_agent_figures_for_appraisal(self):
        self._complaint(agent_id=self.user_agent.id, satisfaction=4)
        self._complaint(agent_id=self.user_agent.id, satisfaction=2)
        self._complaint(agent_id=self.user_agent.id)
        figures = self.Complaint._agent_figures(
            self.user_agent | self.user_agent_2, date(2026, 12, 1), date(2027, 1, 1))
        self.assertEqual(figures, {self.user_agent.id: (3, 3.0)})
