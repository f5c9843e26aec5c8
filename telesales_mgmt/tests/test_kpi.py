from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import TelesalesCase

NOVEMBER, DECEMBER = date(2026, 11, 1), date(2026, 12, 1)


@tagged("post_install", "-at_install")
class TestKpi(TelesalesCase):
    """R-KPI-2, R-CMP-4: the computed indicators of a month, each with the records behind
    it; the catalogue, the templates and their weights; who reads and who edits."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["telesales.commission.plan"].search([]).active = False
        cls.company.write({"telesales_effective_min_seconds": 60, "telesales_cti_enabled": False})
        cls.env["telesales.sales.target"].create([
            {"user_id": user.id, "month": NOVEMBER, "amount": 10_000} for user in (cls.user_agent, cls.user_agent_2)])
        Partner = cls.env["res.partner"]
        cls.p1, cls.p2, cls.p3 = Partner.create([{"name": "Zhang"}, {"name": "Li"}, {"name": "Zhao"}])
        cls.referral = cls.env.ref("telesales_mgmt.utm_source_referral")
        cls.earlier = cls._win(2_000, cls.p2, "2026-10-05", cls.user_agent_2)
        cls.deal_a = cls._win(7_000, cls.p1, "2026-11-10", first_call="2026-11-01")
        cls.deal_b = cls._win(5_000, cls.p2, "2026-11-12", first_call="2026-11-02", outcome="no_answer")
        cls.deal_c = cls._win(3_000, cls.p3, "2026-11-20", first_call="2026-11-19", outcome="intent",
                              source=cls.referral)
        cls.deal_d = cls._win(1_000, cls.p1, "2026-11-25", first_call="2026-11-20", outcome="not_interested")
        cls._win(9_999, cls.p3, "2026-12-01")  # next month
        cls.inbound = cls._call("2026-11-21", "effective", direction="inbound")
        cls._call("2026-10-30", "effective")  # last month
        cls.users = cls.user_agent | cls.user_agent_2 | cls.user_agent_other
        cls.Kpi = cls.env["telesales.kpi"]

    @classmethod
    def _call(cls, day, outcome, lead=None, user=None, direction="outbound"):
        return cls.env["telesales.call"].with_context(telesales_seed=True).create({
            "user_id": (user or cls.user_agent).id, "lead_id": lead.id if lead else False, "outcome": outcome,
            "direction": direction, "talk_seconds": 0 if outcome == "no_answer" else 300,
            "start": f"{day} 02:00:00"})

    @classmethod
    def _win(cls, amount, partner, day, user=None, first_call=None, outcome="effective", source=None):
        user = user or cls.user_agent
        lead = cls.env["crm.lead"].create({
            "name": f"Deal {amount}", "type": "opportunity", "expected_revenue": amount, "partner_id": partner.id,
            "team_id": cls.team.id, "user_id": user.id, "source_id": source.id if source else False})
        if first_call:
            cls._call(first_call, outcome, lead, user)
        with freeze_time(f"{day} 03:00:00"):
            lead.action_set_won()
        return lead

    def _values(self, users=None, date_from=NOVEMBER, date_to=DECEMBER):
        return self.Kpi._telesales_kpi_values(users or self.users, date_from, date_to, self.company)

    def _evidence(self, values, code, user):
        model, domain = values[code][user.id][1]
        return self.env[model].search(domain)

    # ------------------------------------------------------------
    # Computed indicators (R-KPI-2)
    # ------------------------------------------------------------

    def test_sales_and_achievement(self):
        values = self._values()
        deals = self.deal_a | self.deal_b | self.deal_c | self.deal_d
        self.assertEqual(values["sales_amount"][self.user_agent.id][0], 16_000)
        self.assertEqual(self._evidence(values, "sales_amount", self.user_agent), deals)
        self.assertEqual(values["target_achievement"][self.user_agent.id][0], 160)
        self.assertEqual(values["target_achievement"][self.user_agent_2.id][0], 0, "target, no sale: 0")
        self.assertEqual(values["target_achievement"][self.user_agent_other.id][0], 0, "no target: 0")
        self.assertEqual(values["sales_amount"][self.user_agent_2.id][0], 0, "October's deal is not November's")
        self.assertEqual(self.Kpi._telesales_kpi_targets(self.users, NOVEMBER, DECEMBER, self.company),
                         {self.user_agent.id: 10_000, self.user_agent_2.id: 10_000})

    def test_new_customers_and_loyalty(self):
        values = self._values()
        self.assertEqual(values["new_customers"][self.user_agent.id][0], 2, "Zhang and Zhao; Li bought in October")
        self.assertEqual(self._evidence(values, "new_customers", self.user_agent),
                         self.deal_a | self.deal_c | self.deal_d, "the month's deals with the new customers")
        self.assertEqual(values["loyalty"][self.user_agent.id][0], 75, "Li again, Zhao referred, Zhang again: 3 of 4")
        self.assertEqual(self._evidence(values, "loyalty", self.user_agent), self.deal_b | self.deal_c | self.deal_d)
        self.assertIsNone(values["loyalty"][self.user_agent_2.id][0], "no deal: no loyalty figure")

    def test_calls_and_sales_cycle(self):
        values = self._values()
        self.assertEqual(values["calls_dialled"][self.user_agent.id][0], 4, "outbound calls of November")
        self.assertEqual(self._evidence(values, "calls_dialled", self.user_agent),
                         (self.deal_a | self.deal_b | self.deal_c | self.deal_d).telesales_call_ids)
        self.assertEqual(values["effective_conversations"][self.user_agent.id][0], 3,
                         "deal A's, deal C's and the inbound call")
        effective = self._evidence(values, "effective_conversations", self.user_agent)
        self.assertEqual(effective, self.deal_a.telesales_call_ids | self.deal_c.telesales_call_ids | self.inbound)
        self.assertEqual(values["sales_cycle"][self.user_agent.id][0], 6.25, "(9 + 10 + 1 + 5) / 4 days")
        self.assertIsNone(values["sales_cycle"][self.user_agent_2.id][0], "no deal: no cycle (scores 0, not the cap)")
        self.assertEqual(values["calls_dialled"][self.user_agent_2.id][0], 0)

    def test_daily_minimum_days(self):
        self.env["telesales.daily.minimum"].create([
            {"employee_id": self.emp_agent.id, "date": day, "met": met}
            for day, met in ((date(2026, 11, 3), True), (date(2026, 11, 4), False), (date(2026, 11, 5), True),
                             (date(2026, 11, 6), True), (date(2026, 10, 30), False))])
        values = self._values()
        self.assertEqual(values["daily_minimum_days"][self.user_agent.id][0], 75)
        self.assertEqual(len(self._evidence(values, "daily_minimum_days", self.user_agent)), 4)
        self.assertIsNone(values["daily_minimum_days"][self.user_agent_2.id][0], "no judged day")

    def test_complaints_and_satisfaction(self):
        category = self.env.ref("telesales_mgmt.complaint_category_price")
        with freeze_time("2026-11-30 10:00:00"):
            complaints = self.env["telesales.complaint"].create([{
                "subject": f"Complaint {n}", "description": "<p>Unhappy.</p>", "category_id": category.id,
                "agent_id": self.user_agent.id, "received_date": f"2026-11-{10 + n} 02:00:00",
                "satisfaction": satisfaction} for n, satisfaction in enumerate((4, 2, 0))])
            self.env["telesales.complaint"].create({
                "subject": "October", "description": "<p>Old.</p>", "category_id": category.id,
                "agent_id": self.user_agent.id, "received_date": "2026-10-10 02:00:00", "satisfaction": 1})
        values = self._values()
        self.assertEqual(values["complaints"][self.user_agent.id][0], 3)
        self.assertEqual(self._evidence(values, "complaints", self.user_agent), complaints)
        self.assertEqual(values["satisfaction"][self.user_agent.id][0], 60, "average 3 of 5, the unrated one aside")
        self.assertEqual(self._evidence(values, "satisfaction", self.user_agent), complaints[:2])
        self.assertEqual(values["complaints"][self.user_agent_2.id][0], 0)
        self.assertEqual(values["satisfaction"][self.user_agent_2.id][0], 100, "no complaint: 100 (R-CMP-4)")
        complaints_kpi = self.env.ref("telesales_mgmt.telesales_kpi_complaints")
        self.assertEqual(complaints_kpi._score(3, 0), 40, "three complaints: the band of 3")

    def test_orders_basis_and_profit(self):
        """A plan paying on confirmed orders makes them the sales; profit is their margin."""
        product = self.env["product.product"].create({"name": "Course", "standard_price": 1_000, "list_price": 4_000})
        order = self.env["sale.order"].create({
            "partner_id": self.p1.id, "user_id": self.user_agent_2.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1, "price_unit": 4_000,
                                   "tax_ids": False})]})
        with freeze_time("2026-11-12 02:00:00"):
            order.action_confirm()
        values = self._values()
        self.assertEqual(values["profit"][self.user_agent_2.id][0], 3_000)
        self.assertEqual(self._evidence(values, "profit", self.user_agent_2), order)
        self.assertEqual(values["sales_amount"][self.user_agent_2.id][0], 0, "no plan: won opportunities count")
        self.env["telesales.commission.plan"].create({"name": "Orders", "team_ids": [self.team.id],
                                                       "basis": "order_untaxed"})
        values = self._values()
        self.assertEqual(values["sales_amount"][self.user_agent_2.id][0], 4_000)
        self.assertEqual(values["target_achievement"][self.user_agent_2.id][0], 40)
        self.assertEqual(self._evidence(values, "sales_amount", self.user_agent_2), order)
        self.assertEqual(values["sales_amount"][self.user_agent.id][0], 0, "their opportunities no longer count")

    def test_one_batch_for_everyone(self):
        """Every user has every computed code, in a number of queries that does not grow with the users."""
        codes = set(self.Kpi.search([("source", "=", "computed")]).mapped("code"))
        self.env.flush_all()
        with self.assertQueryCount(__system__=60):
            values = self._values()
        self.assertEqual(set(values), codes)
        for code in codes:
            self.assertEqual(set(values[code]), set(self.users.ids), code)
        only = self.Kpi._telesales_kpi_values(self.users, NOVEMBER, DECEMBER, self.company, codes=["calls_dialled"])
        self.assertEqual(set(only), {"calls_dialled"})

    # ------------------------------------------------------------
    # The catalogue and the templates (R-KPI-2)
    # ------------------------------------------------------------

    def test_bands_must_not_reward_worse(self):
        kpi = self.env.ref("telesales_mgmt.telesales_kpi_complaints")
        with self.assertRaisesText(ValidationError, "R-KPI-2"):
            kpi.band_ids[:1].score = 10  # 0 complaints would score less than 1
        with self.assertRaisesText(ValidationError, "needs at least one band"):
            kpi.band_ids.unlink()
        # Two bands changed in one save: checked once, on the whole table.
        first, second = kpi.band_ids.sorted("threshold")[:2]
        kpi.write({"band_ids": [(1, first.id, {"score": 70}), (1, second.id, {"score": 65})]})
        self.assertEqual(kpi._score(1, 0), 65)

    def test_weights_sum_to_100(self):
        template = self.env.ref("telesales_mgmt.telesales_appraisal_template_agent")
        lines = template.line_ids.filtered("weight")
        with self.assertRaisesText(ValidationError, "the weights sum to 105.0, not 100 (R-KPI-2)"):
            lines[0].weight += 5
        with self.assertRaisesText(ValidationError, "not 100"):
            lines[0].unlink()
        with self.assertRaisesText(ValidationError, "not 100"):
            self.env["telesales.appraisal.template"].create({
                "name": "Half", "line_ids": [(0, 0, {"kpi_id": lines[0].kpi_id.id, "weight": 50})]})
        # Moving weight between two lines in one save is fine, and kept in the chatter.
        template.with_context(tracking_disable=False).write({"line_ids": [
            (1, lines[0].id, {"weight": lines[0].weight + 5}), (1, lines[1].id, {"weight": lines[1].weight - 5})]})
        self.assertEqual(template.total_weight, 100)
        self.assertIn(f"weight {lines[0].weight - 5:g}", template.message_ids[1].body)
        self.assertIn(f"→ {lines[0].kpi_id.name}: weight {lines[0].weight:g}", template.message_ids[1].body)
        draft = template.copy({"active": False})
        draft.line_ids.filtered("weight")[:1].weight += 1
        self.assertEqual(draft.total_weight, 101, "an archived template may be a draft")
        with self.assertRaisesText(ValidationError, "not 100"):
            draft.active = True

    def test_template_by_role_and_rank(self):
        Template = self.env["telesales.appraisal.template"]
        agents = self.env.ref("telesales_mgmt.telesales_appraisal_template_agent")
        leaders = self.env.ref("telesales_mgmt.telesales_appraisal_template_leader")
        self.emp_agent.telesales_rank_id = self.rank_agent_1
        self.emp_agent_2.telesales_rank_id = self.rank_agent_2
        seniors = agents.copy({"name": "Agents I", "rank_ids": [(6, 0, self.rank_agent_1.ids)]})
        self.assertEqual(Template._telesales_template_for(self.emp_agent), seniors, "a template naming the rank wins")
        self.assertEqual(Template._telesales_template_for(self.emp_agent_2), agents)
        self.assertEqual(Template._telesales_template_for(self.emp_leader), leaders)
        self.assertFalse(Template._telesales_template_for(self.emp_manager), "no template for the manager")
        self.assertEqual(Template._telesales_templates_for(self.emp_agent | self.emp_leader | self.emp_service),
                         {self.emp_agent.id: seniors, self.emp_leader.id: leaders})
        seniors.active = False
        self.assertEqual(Template._telesales_template_for(self.emp_agent), agents, "archived templates are not used")

    def test_access(self):
        kpi = self.env.ref("telesales_mgmt.telesales_kpi_sales_amount")
        template = self.env.ref("telesales_mgmt.telesales_appraisal_template_agent")
        for user in (self.user_agent, self.user_leader, self.user_manager, self.user_hr):
            with self.subTest(user=user.login):
                self.assertEqual(kpi.with_user(user).name, "Sales Amount")
                self.assertTrue(template.with_user(user).line_ids.kpi_id)
                with self.assertRaises(AccessError):
                    kpi.with_user(user).cap = 200
                with self.assertRaises(AccessError):
                    template.line_ids[:1].with_user(user).target = 1
        with self.assertRaises(AccessError):
            kpi.with_user(self.user_outsider).read(["name"])
        kpi.with_user(self.user_admin).cap = 150
        template.with_user(self.user_admin).line_ids[-1:].target = 90
        other = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.Kpi.create({"name": "Other", "code": "other", "source": "rated_leader", "company_id": other.id})
        self.assertFalse(self.Kpi.with_user(self.user_admin).search([("id", "=", foreign.id)]), "multi-company rule")

    def test_codes_unique_per_company(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.Kpi.create({"name": "Again", "code": "sales_amount"})
            self.env.flush_all()
        other = self.env["res.company"].create({"name": "Other Co"})
        self.Kpi.create({"name": "Theirs", "code": "sales_amount", "company_id": other.id})

    def test_grade_settings(self):
        self.assertEqual((self.company.telesales_grade_s_min, self.company.telesales_grade_a_min,
                          self.company.telesales_grade_b_min, self.company.telesales_grade_c_min,
                          self.company.telesales_appraisal_due_day), (95, 85, 70, 60, 10))
        with self.assertRaisesText(ValidationError, "S > A > B > C > 0"):
            self.company.telesales_grade_a_min = 95
        with self.assertRaisesText(ValidationError, "S > A > B > C > 0"):
            self.company.telesales_grade_c_min = 0
        with self.assertRaisesText(ValidationError, "Appraisal Due Day"):
            self.company.telesales_appraisal_due_day = 0
        with Form(self.env["res.config.settings"]) as settings:
            settings.telesales_grade_s_min = 98
            settings.telesales_appraisal_due_day = 8
        self.assertEqual((self.company.telesales_grade_s_min, self.company.telesales_appraisal_due_day), (98, 8))
