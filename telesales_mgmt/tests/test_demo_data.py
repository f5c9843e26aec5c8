from odoo.tests import tagged

from .common import TelesalesCase


@tagged("post_install", "-at_install")
class TestDemoData(TelesalesCase):
    """The demo department and its data (loaded with --with-demo, as `make run` and
    `make test` do), made by the `telesales.demo` steps. The bulk generator of the
    benchmarks and `make seed` is tested with it, in tests/test_seeding.py."""

    def test_demo_department(self):
        teams = self.env["crm.team"].browse(
            [self.env.ref(f"telesales_mgmt.team_{x}").id for x in "abc"])
        for team in teams:
            with self.subTest(team=team.name):
                staff = team.telesales_employee_ids
                agents = staff.filtered(lambda e: e.telesales_role == "agent")
                self.assertEqual(len(agents), 6)
                self.assertEqual(len(agents.filtered(lambda e: e.telesales_status == "trainee")), 2)
                self.assertGreaterEqual(len(agents.telesales_rank_id), 4, "mixed ranks")
                leader = staff.filtered(lambda e: e.telesales_role == "leader")
                self.assertEqual(team.user_id, leader.user_id, "the leader is the CRM team leader")
                self.assertEqual(team.telesales_manager_id, self.env.ref("telesales_mgmt.user_ts_manager"))
        for xmlid, group in [("user_ts_manager", "group_telesales_manager"),
                             ("user_ts_leader1", "group_telesales_leader"),
                             ("user_ts_agent1", "group_telesales_agent"),
                             ("user_ts_service", "group_telesales_service")]:
            user = self.env.ref(f"telesales_mgmt.{xmlid}")
            self.assertTrue(user.has_group(f"telesales_mgmt.{group}"), xmlid)
        self.assertTrue(self.env.ref("telesales_mgmt.user_ts_hr").has_group("hr.group_hr_user"))

    def test_demo_pool_and_attendance(self):
        self.assertEqual(self.env["telesales.pool.lead"].search_count([]), 12, "recycled leads to claim")
        staff = self.env["hr.employee"].search([("telesales_role", "in", ("agent", "leader"))])
        incidents = self.env["telesales.attendance.incident"].search([("employee_id", "in", staff.ids)])
        kinds = set(incidents.mapped("kind"))
        self.assertLessEqual({"late", "full_day"}, kinds, kinds)
        self.assertLess(len(incidents), len(staff) * 6, "a few incidents, not a month of them each")
        self.assertTrue(self.company.telesales_attendance_judged_until)

    def test_demo_commission(self):
        statements = self.env["telesales.commission.statement"].search([])
        confirmed = statements.filtered(lambda s: s.state == "confirmed")
        self.assertEqual(len(confirmed), 18, "last month, every agent")
        self.assertTrue(confirmed.line_ids)
        self.assertTrue(any(confirmed.mapped("commission")))

    def test_demo_leads(self):
        sources = self.env["utm.source"].browse([self.env.ref(f"telesales_mgmt.utm_source_{x}").id for x in (
            "marketing", "website", "social", "other_department", "referral")])
        groups = dict(self.env["crm.lead"]._read_group(
            [("source_id", "in", sources.ids)], ["telesales_grade"], ["__count"]))
        self.assertEqual(sum(groups.values()), 300)
        self.assertEqual(set(groups), {"a", "b", "c"})
        self.assertLess(groups["a"], groups["c"], "fewer A customers than C")
        pool = self.env["crm.lead"].search_count([("source_id", "in", sources.ids), ("team_id", "=", False)])
        self.assertTrue(60 < pool < 140, f"about a third unassigned, got {pool}")

    def test_demo_complaints(self):
        complaints = self.env["telesales.complaint"].search([])
        self.assertEqual(set(complaints.mapped("state")),
                         {"new", "acknowledged", "forwarded", "in_progress", "resolved", "closed", "cancelled"})
        self.assertIn("breached", complaints.mapped("sla_status"))
        forwarded = complaints.filtered(lambda c: c.state == "forwarded")
        after_sales = self.env.ref("telesales_mgmt.user_ts_after_sales")
        self.assertEqual(forwarded.responsible_user_id, after_sales)
        self.assertEqual(self.env["telesales.complaint"].with_user(after_sales).search([]),
                         complaints.filtered("responsible_department_id"), "the department sees what was forwarded")

    def test_demo_phone_system(self):
        agent = self.env.ref("telesales_mgmt.user_ts_agent3")
        calls = self.env["telesales.call"].search([("cti_call_id", "=like", "demo-10%")])
        self.assertEqual(len(calls), 5, "the unknown extension's call is not made")
        self.assertEqual(calls.user_id, agent)
        self.assertEqual(sorted(calls.mapped("talk_seconds")), [0, 61, 96, 412, 655])
        self.assertEqual(calls.filtered("is_unknown_number").cti_call_id, "demo-1004")
        self.assertTrue(all(calls.mapped("to_log")), "waiting for the agent to log them")
        self.assertEqual(self.env["telesales.cti.log"].search([]).mapped("extension"), ["8999"] * 2)
        self.assertTrue(self.env.ref("telesales_mgmt.employee_ts_agent3").telesales_extension)
        self.assertEqual(len(calls.lead_id), 4, "matched to the agent's open leads by number")

    def test_demo_targets_appraisals_training_quality_hiring(self):
        plan = self.env["telesales.target.plan"].search([("state", "=", "confirmed")])
        self.assertTrue(plan, "this year's plan, confirmed")
        appraisals = self.env["telesales.appraisal"].search([("period", "=", "month")])
        self.assertEqual(set(appraisals.mapped("state")), {"self", "leader", "manager", "interview", "done"})
        self.assertTrue(appraisals.filtered(lambda a: a.state == "done").mapped("grade"), "done ones are graded")
        self.assertTrue(self.env["telesales.appraisal.rating"].search_count([("rated", "=", True)]))
        results = self.env["telesales.training.result"].search([])
        self.assertLessEqual({"passed", "failed"}, set(results.mapped("result")), "one passed, one failed")
        inspections = self.env["telesales.quality.inspection"].search([])
        self.assertIn("appealed", inspections.mapped("state"))
        requests = self.env["telesales.hiring.request"].search([])
        self.assertLessEqual({"submitted", "refused"}, set(requests.mapped("state")), "one passing, one refused")
