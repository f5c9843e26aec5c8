"""Browser tours (Odoo's tour framework, headless Chromium): one user flow each, on the
screens the roles use. Each test builds the state its tour needs, so nothing depends on
the day of the week, the hour or the demo's clock-sensitive data. The tours are in
static/tests/tours/; `tests/test_browser_tours.py` runs them in `make test` (pytest-odoo
skips HttpCase)."""
from datetime import datetime, time
from urllib.parse import quote

import pytz

from odoo import Command, fields
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

TOUR_TAGS = ("post_install", "-at_install", "telesales_tour")


class TelesalesTourCase(HttpCase):
    """Users and a working day for the tours."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.tz = cls.company.telesales_tz or "Asia/Shanghai"

    @classmethod
    def _user(cls, login, name, groups):
        return new_test_user(cls.env, login=login, name=name, groups=groups, tz=cls.tz, lang="en_US",
                             company_id=cls.company.id, company_ids=[cls.company.id])

    @classmethod
    def _every_day_calendar(cls):
        """A schedule that works 08:00-18:00 every day of the week, with today's public
        holidays and day exceptions removed (in this test's transaction only): whoever
        has it works today, whatever day the suite runs."""
        calendar = cls.env["resource.calendar"].create({
            "name": "Tour: every day", "tz": cls.tz, "company_id": cls.company.id,
            "attendance_ids": [Command.clear()] + [
                Command.create({"name": f"Day {day}", "dayofweek": str(day), "hour_from": 8,
                                "hour_to": 18, "day_period": "morning"})
                for day in range(7)],
        })
        cls._clear_today()
        return calendar

    @classmethod
    def _clear_today(cls):
        """Today's public holidays and day exceptions removed (in this test's transaction
        only); returns today, in the department's time zone."""
        today = cls.company._telesales_today()
        tz = pytz.timezone(cls.tz)
        start = tz.localize(datetime.combine(today, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
        stop = tz.localize(datetime.combine(today, time.max)).astimezone(pytz.utc).replace(tzinfo=None)
        cls.env["resource.calendar.leaves"].search([
            ("resource_id", "=", False), ("date_from", "<=", stop), ("date_to", ">=", start)]).unlink()
        cls.env["telesales.day.exception"].search(
            [("company_id", "=", cls.company.id), ("date", "=", today)]).unlink()
        return today


@tagged(*TOUR_TAGS)
class TestTourLeaderAllocation(TelesalesTourCase):
    """A team leader previews and applies an allocation of their team's new leads,
    then moves one of the leads to another agent of the team (R-LEAD-2, R-LEAD-6)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.telesales_allocation_checked_in = False
        calendar = cls._every_day_calendar()
        cls.leader = cls._user("tour_leader", "Tour Leader", "telesales_mgmt.group_telesales_leader")
        cls.agent_one = cls._user("tour_agent_one", "Tour Agent One", "telesales_mgmt.group_telesales_agent")
        cls.agent_two = cls._user("tour_agent_two", "Tour Agent Two", "telesales_mgmt.group_telesales_agent")
        cls.agent_three = cls._user("tour_agent_three", "Tour Agent Three", "telesales_mgmt.group_telesales_agent")
        cls.team = cls.env["crm.team"].create(
            {"name": "Tour Team", "is_telesales": True, "company_id": cls.company.id})
        employees = cls.env["hr.employee"].create([
            {"name": "Tour Leader", "user_id": cls.leader.id, "telesales_role": "leader",
             "telesales_team_id": cls.team.id, "resource_calendar_id": calendar.id},
            *({"name": user.name, "user_id": user.id, "telesales_role": "agent",
               "telesales_team_id": cls.team.id, "resource_calendar_id": calendar.id,
               "telesales_status": "live", "telesales_live_date": "2025-01-06",
               "telesales_hire_date": "2025-01-06"}
              for user in (cls.agent_one, cls.agent_two, cls.agent_three)),
        ])
        # The third agent takes no part in allocation: the move below is always a real move.
        employees[3].telesales_allocation_excluded = True
        cls.team.user_id = cls.leader
        Rule = cls.env["telesales.allocation.rule"]
        Rule.search([("company_id", "in", [False, cls.company.id])]).active = False
        Rule.create({"name": "Tour round robin", "level": "team", "team_id": cls.team.id,
                     "strategy": "round_robin", "daily_cap": 0, "open_cap": 0,
                     "company_id": cls.company.id})
        cls.leads = cls.env["crm.lead"].create([{
            "name": f"Tour Lead {letter}", "type": "lead", "telesales_grade": "b",
            "team_id": cls.team.id, "user_id": False, "company_id": cls.company.id}
            for letter in ("Alpha", "Bravo", "Charlie", "Delta")])

    def test_leader_allocates_and_moves_a_lead(self):
        self.start_tour("/odoo", "telesales_leader_allocation_tour", login="tour_leader")
        run = self.env["telesales.allocation.run"].search([("user_id", "=", self.leader.id)])
        self.assertEqual(len(run), 1)
        self.assertEqual((run.state, run.team_id, run.lead_count, run.skipped_count),
                         ("done", self.team, 4, 0))
        alpha = self.leads[0]
        self.assertEqual(alpha.user_id, self.agent_three, "moved by the leader after the allocation")
        others = self.leads[1:]
        self.assertEqual(set(others.mapped("user_id")), {self.agent_one, self.agent_two})
        self.assertEqual(alpha.telesales_allocation_log_ids.sorted("id").mapped("level"), ["team", "manual"])


@tagged(*TOUR_TAGS)
class TestTourServiceComplaint(TelesalesTourCase):
    """Customer service records a complaint while the customer is on the line,
    acknowledges it and forwards it to the responsible department (R-CMP-1, R-CMP-2)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service = cls.env.ref("telesales_mgmt.user_ts_service")
        cls.clerk = cls._user("tour_clerk", "Tour Billing Clerk", "base.group_user")
        cls.department = cls.env["hr.department"].create(
            {"name": "Tour Billing Office", "company_id": cls.company.id})
        cls.department.manager_id = cls.env["hr.employee"].create(
            {"name": "Tour Billing Clerk", "user_id": cls.clerk.id, "department_id": cls.department.id})
        cls.category = cls.env["telesales.complaint.category"].create(
            {"name": "Tour Billing", "department_id": cls.department.id})
        cls.customer = cls.env["res.partner"].create({"name": "Tour Customer Wang", "phone": "13900001111"})

    def test_service_records_and_forwards_a_complaint(self):
        self.start_tour("/odoo", "telesales_service_complaint_tour", login="ts_service")
        complaint = self.env["telesales.complaint"].search([("subject", "=", "Charged twice for one order")])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.category_id, self.category)
        self.assertEqual(complaint.state, "forwarded")
        self.assertEqual(complaint.responsible_department_id, self.department)
        self.assertEqual(complaint.responsible_user_id, self.clerk, "the department's manager by default")
        self.assertEqual(complaint.user_id, self.service)
        self.assertTrue(complaint.acknowledged_date and complaint.forwarded_date and complaint.sla_deadline)


@tagged(*TOUR_TAGS)
class TestTourAdminSettings(TelesalesTourCase):
    """The telesales administrator, who is no Odoo administrator, changes a rule in
    Settings: the daily minimum's connected calls (R-CALL-5)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls._user("tour_ts_admin", "Tour Telesales Admin", "telesales_mgmt.group_telesales_admin")
        cls.company.telesales_min_connected = 40

    def test_admin_changes_the_daily_minimum(self):
        self.assertFalse(self.admin.has_group("base.group_system"))
        self.start_tour("/odoo", "telesales_admin_settings_tour", login="tour_ts_admin")
        self.company.invalidate_recordset(["telesales_min_connected"])
        self.assertEqual(self.company.telesales_min_connected, 45)


@tagged("post_install", "-at_install")
class TestTelesalesAdminSettingsView(TransactionCase):
    """What the tour above found: the web client drops every context key but lang and
    *_view_ref when it loads views, so the telesales administrator got every app's
    settings and the form failed on CRM's scoring fields (ir.model.fields)."""

    def test_admin_gets_the_telesales_app_alone_without_context(self):
        admin = new_test_user(self.env, login="tv_ts_admin", groups="telesales_mgmt.group_telesales_admin")
        Settings = self.env["res.config.settings"].with_user(admin)
        views = Settings.get_views([(False, "form")])
        arch, names = views["views"]["form"]["arch"], views["models"]["res.config.settings"]["fields"]
        self.assertIn('name="telesales_mgmt"', arch)
        self.assertFalse('name="crm"' in arch, "CRM's settings are for Odoo administrators")
        self.assertNotIn("predictive_lead_scoring_field_labels", names)
        # What the web client asks for: every field of the view, the name, many2one names.
        spec = {name: {"fields": {"display_name": {}}} if Settings._fields[name].type == "many2one" else {}
                for name in names if Settings._fields[name].type not in ("one2many", "many2many")}
        values = Settings.onchange({}, [], {**spec, "display_name": {}})
        self.assertEqual(values["value"]["telesales_min_connected"], self.env.company.telesales_min_connected)


@tagged(*TOUR_TAGS)
class TestTourAgentPoolClaim(TelesalesTourCase):
    """A live agent on a phone claims a lead from the pool: the number shows masked
    until the lead is theirs (R-LEAD-6, R-DATA-2)."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls.env.ref("telesales_mgmt.user_ts_agent3")
        employee = cls.env["hr.employee"].search([("user_id", "=", cls.agent.id)])
        if employee.telesales_status != "live":  # superuser: what Go Live would do
            employee.write({"telesales_status": "live",
                            "telesales_live_date": employee.telesales_hire_date or fields.Date.today()})
        cls.company.write({"telesales_claim_daily_limit": 1000, "telesales_claim_open_cap": 0})
        Lead = cls.env["crm.lead"]
        # The pool holds this one lead only, so the phone screen shows it first.
        Lead.search([("telesales_in_pool", "=", True)]).telesales_in_pool = False
        cls.lead = Lead.create({
            "name": "Tour Pool Lead", "type": "lead", "partner_name": "Tour Pool Trading",
            "phone": "13812345678", "telesales_grade": "a", "team_id": False, "user_id": False,
            "telesales_in_pool": True, "company_id": cls.company.id})

    def test_agent_claims_from_the_pool_on_a_phone(self):
        self.start_tour("/odoo/action-telesales_mgmt.telesales_pool_lead_action",
                        "telesales_agent_pool_claim_tour", login="ts_agent3")
        self.lead.invalidate_recordset()
        self.assertEqual(self.lead.user_id, self.agent)
        self.assertFalse(self.lead.telesales_in_pool)


@tagged(*TOUR_TAGS)
class TestTourDashboard(TelesalesTourCase):
    """The department manager opens the Telesales dashboard in the Dashboards app; an
    agent is not offered it (issue 17)."""

    def test_manager_opens_the_dashboard_an_agent_does_not_see_it(self):
        dashboard = self.env.ref("telesales_mgmt.spreadsheet_dashboard_telesales")
        self.assertTrue(dashboard.is_published)
        for login, tour in (("ts_manager", "telesales_dashboard_manager_tour"),
                            ("ts_agent3", "telesales_dashboard_agent_tour")):
            user = self.env["res.users"].search([("login", "=", login)])
            # Its name in the user's language: the tour finds it by that name.
            name = dashboard.with_context(lang=user.lang).name
            self.start_tour("/odoo", tour, login=login, cookies={"telesales_tour_dashboard": quote(name)})
