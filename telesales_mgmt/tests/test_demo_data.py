import re
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from ..models.telesales_contact_guard import mask_phone
from .common import TelesalesCase

# Holidays and make-up days of 2026: 国办发明电〔2025〕7号 (data/telesales_holiday_2026_data.xml).
MAKE_UP_DAYS_2026 = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
CHINESE_MOBILE = re.compile(r"^\+86 1[3-9]\d \d{4} \d{4}$")


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

    def test_demo_company_is_chinese(self):
        """A demo that looks like its users: yuan, Shanghai time, China, zh_CN installed
        with the translations of the installed modules, the department's users in
        Chinese and the administrator in English."""
        company = self.env.ref("base.main_company")
        self.assertEqual(company.currency_id, self.env.ref("base.CNY"))
        self.assertEqual(company.currency_id.symbol, "¥")
        self.assertEqual(company.country_id, self.env.ref("base.cn"))
        self.assertEqual(company.name, "华信教育科技（上海）有限公司")
        self.assertEqual(company.state_id, self.env.ref("base.state_cn_SH"))
        self.assertEqual((company.telesales_tz, company.partner_id.tz), ("Asia/Shanghai", "Asia/Shanghai"))
        self.assertEqual(company.resource_calendar_id.tz, "Asia/Shanghai")
        statements = self.env["telesales.commission.statement"].search([("company_id", "=", company.id)])
        self.assertEqual(statements.currency_id, company.currency_id, "commission in yuan")
        pricelists = self.env["product.pricelist"].search([("company_id", "=", company.id)])
        self.assertEqual(pricelists.currency_id, company.currency_id, "quotations in yuan")
        self.assertTrue(self.env["res.lang"]._lang_get("zh_CN").active)
        self.assertEqual(self.env.ref("base.menu_administration").with_context(lang="zh_CN").name, "设置",
                         "the installed modules' translations are loaded")
        self.assertEqual(self.env.ref("telesales_mgmt.menu_telesales_root").with_context(lang="zh_CN").name, "电销",
                         "and the addon's own")
        users = self.env["res.users"].search([("login", "=like", "ts\\_%")])
        self.assertGreaterEqual(len(users), 25)
        self.assertEqual(set(users.mapped("lang")), {"zh_CN"})
        self.assertEqual(set(users.mapped("tz")), {"Asia/Shanghai"})
        self.assertEqual(self.env.ref("base.user_admin").lang, "en_US", "the administrator stays in English")

    def test_demo_holidays_2026(self):
        """The State Council's 2026 schedule in the company's holidays table: the Spring
        Festival week is off, the Saturdays before and after it are worked."""
        days = self.env["telesales.day.exception"].search(
            [("company_id", "=", self.company.id), ("date", ">=", "2026-01-01"), ("date", "<=", "2026-12-31")])
        holidays = days.filtered(lambda day: day.kind == "holiday")
        self.assertEqual(len(holidays), 33, "3 + 9 + 3 + 5 + 3 + 3 + 7 days off")
        self.assertEqual(sorted(str(day) for day in (days - holidays).mapped("date")), MAKE_UP_DAYS_2026)
        self.assertIn("春节", holidays.filtered(lambda day: day.date == date(2026, 2, 17)).name)
        Workday = self.env["telesales.workday"]
        self.assertTrue(Workday._is_company_working_day(self.company, date(2026, 2, 14)), "make-up Saturday")
        self.assertFalse(Workday._is_company_working_day(self.company, date(2026, 2, 23)), "Spring Festival Monday")
        self.assertFalse(Workday._is_company_working_day(self.company, date(2026, 10, 7)), "National Day Wednesday")

    def test_demo_customers_have_chinese_mobiles_and_addresses(self):
        leads = self.env["crm.lead"].search([("source_id", "in", [
            self.env.ref(f"telesales_mgmt.utm_source_{x}").id
            for x in ("marketing", "website", "social", "other_department", "referral")])])
        self.assertEqual(len(leads), 300)
        china = self.env.ref("base.cn")
        for lead in leads:
            with self.subTest(lead=lead.name):
                self.assertRegex(lead.phone, CHINESE_MOBILE)
                digits = lead.phone.replace(" ", "")[3:]
                self.assertEqual(lead.phone_sanitized, f"+86{digits}", "valid: Odoo normalises it")
                self.assertEqual(mask_phone(lead.phone), f"{digits[:3]}****{digits[-4:]}", "the pool's mask")
                self.assertEqual((lead.country_id, lead.state_id.country_id), (china, china))
                self.assertTrue(lead.city.endswith("市") and lead.street.endswith("号") and lead.zip)
        customers = self.env["telesales.complaint"].search([]).partner_id
        self.assertTrue(customers)
        self.assertEqual(customers.country_id, china, "customers take their lead's address")
        self.assertTrue(all(customers.mapped("state_id")))

    def test_demo_follow_ups(self):
        """Each open lead's latest call planned its follow-up: the queue and the cards
        have overdue, due and later follow-ups, each with its activity for the agent."""
        agent = self.env.ref("telesales_mgmt.user_ts_agent3")
        leads = self.env["crm.lead"].search([("user_id", "=", agent.id), ("won_status", "=", "pending"),
                                             ("telesales_next_followup", "!=", False)])
        now = self.env.cr.now()
        self.assertTrue(leads.filtered(lambda lead: lead.telesales_next_followup < now), "overdue or due")
        self.assertTrue(leads.filtered(lambda lead: lead.telesales_next_followup > now), "planned later")
        planned = self.env["telesales.call"].search([("lead_id", "in", leads.ids), ("plan_activity_id", "!=", False)])
        self.assertEqual(planned.lead_id, leads)
        self.assertEqual(set(planned.plan_activity_id.mapped("user_id")), {agent})
        queue = self.env["telesales.workbench"].with_user(agent).get_my_day()["queue"]
        self.assertTrue({"overdue", "due"} & {row["group"] for row in queue}, "follow-ups head the queue")

    def test_demo_rank_review(self):
        """Last quarter's rank reviews judge what the demo's data supports (R-ORG-3): the
        agents present for the whole quarter won deals in each of its months and are
        promoted, kept or demoted; the trainees who joined since are not judged and the
        review says so; last month's Sales Stars are not demoted."""
        today = fields.Date.context_today(self.env.user)
        quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1) - relativedelta(months=3)
        teams = self.env.ref("telesales_mgmt.team_a") | self.env.ref("telesales_mgmt.team_b") | self.env.ref(
            "telesales_mgmt.team_c")
        agents = teams.telesales_employee_ids.filtered(lambda e: e.telesales_role == "agent")
        reviews = self.env["telesales.rank.review"].search(
            [("quarter", "=", quarter), ("employee_id", "in", agents.ids)])
        self.assertEqual(reviews.employee_id, agents, "every agent reviewed")
        self.assertEqual(reviews[:1].quarter_label, f"{quarter.year} Q{(quarter.month - 1) // 3 + 1}")
        decisions = {review.employee_id: review.decision for review in reviews}
        self.assertLessEqual({"promote", "keep", "demote", "not_judged"}, set(decisions.values()))
        trainees = agents.filtered(lambda e: e.telesales_rank_id.is_trainee)
        for review in reviews:
            with self.subTest(agent=review.employee_id.name):
                if review.employee_id in trainees:
                    self.assertEqual(review.decision, "not_judged")
                    self.assertRegex(review.judgement_note, r"^Joined on ")
                else:
                    self.assertNotEqual(review.decision, "not_judged", review.judgement_note)
                    self.assertFalse(review.judgement_note)
                    self.assertTrue(review.sales_total)
        months = {day.replace(day=1) for day in self.env["crm.lead"].search(self.env["crm.lead"]._telesales_deal_domain(
            reviews.user_id, quarter, quarter + relativedelta(months=3))).mapped("telesales_won_date")}
        self.assertEqual(len(months), 3, "deals won in every month of the quarter")
        last_month = today.replace(day=1) - relativedelta(months=1)
        stars = self.env["telesales.honour.title"].search([("kind", "=", "sales_star"), ("month", "=", last_month)])
        self.assertTrue(stars)
        for star in stars.user_id:
            self.assertNotEqual(decisions[star.employee_ids[:1]], "demote", f"{star.name}, a Sales Star, demoted")
