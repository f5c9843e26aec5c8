"""Issue 12: customer numbers never leak, the figures that pay people cannot be forged by
the people they judge, and every role stays in its lane, whatever the door (R-DATA-2,
R-ORG-2, R-LEAD-2, R-LEAD-5, R-LEAD-6, R-CALL-3, R-CALL-5)."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import TelesalesCase

MONDAY_1000 = "2026-11-23 02:00:00"  # 10:00 in Shanghai
POOL_PHONE = "13812345678"


@tagged("post_install", "-at_install")
class TrustCase(TelesalesCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"telesales_tz": "Asia/Shanghai", "telesales_window_mode": "warn",
                           "telesales_no_progress_limit": 0})
        Partner, Lead = cls.env["res.partner"], cls.env["crm.lead"]
        cls.pool_customer = Partner.create({
            "name": "Pool Customer", "phone": POOL_PHONE, "email": "pool.customer@example.com",
            "street": "1 Pool Road", "city": "Shanghai"})
        cls.own_customer = Partner.create({"name": "Own Customer", "phone": "13900001111",
                                           "email": "own@example.com", "street": "2 Own Road"})
        cls.other_customer = Partner.create({"name": "Other Team Customer", "phone": "13700002222"})
        cls.pool_lead = Lead.create({"name": "Pool lead", "partner_id": cls.pool_customer.id,
                                     "team_id": False, "user_id": False, "telesales_in_pool": True})
        cls.own_lead = Lead.create({"name": "Own lead", "partner_id": cls.own_customer.id,
                                    "team_id": cls.team.id, "user_id": cls.user_agent.id})
        cls.other_lead = Lead.create({"name": "Other lead", "partner_id": cls.other_customer.id,
                                      "team_id": cls.team_2.id, "user_id": cls.user_agent_other.id})
        cls.other_unassigned = Lead.create({"name": "Other team unassigned", "team_id": cls.team_2.id,
                                            "user_id": False, "phone": "13600003333"})

    def _call(self, user, lead, **values):
        return self.env["telesales.call"].with_user(user).create({
            "lead_id": lead.id, "outcome": "no_answer", "start": MONDAY_1000,
            "plan_date": "2026-12-01 02:00:00", "plan_goal": "reach the customer", **values})


@tagged("post_install", "-at_install")
class TestContactConfidentiality(TrustCase):
    """R-DATA-2: a customer's phone, e-mail and address only for whoever works them."""

    def test_agent_sees_a_pool_customer_masked_through_every_door(self):
        self.user_agent.group_ids = [(4, self.env.ref("base.group_allow_export").id)]
        partner = self.pool_customer.with_user(self.user_agent)
        values = partner.read(["phone", "email", "street", "city"])[0]
        self.assertEqual(values["phone"], "138****5678")
        self.assertNotIn("pool.customer", values["email"])
        self.assertFalse(values["street"])
        self.assertFalse(values["city"])
        web = partner.web_read({"phone": {}, "email": {}})[0]
        self.assertEqual(web["phone"], "138****5678")
        rows = partner.export_data(["name", "phone", "email", "street"])["datas"]
        self.assertEqual(rows, [["Pool Customer", "138****5678", "p***@***", ""]])
        names = partner.with_context(show_email=True, show_address=True).read(["display_name"])[0]
        self.assertNotIn("pool.customer", names["display_name"])
        self.assertNotIn("Pool Road", names["display_name"])

    def test_agent_cannot_guess_digits_sort_or_group(self):
        Partner = self.env["res.partner"].with_user(self.user_agent)
        for domain in ([("phone", "like", "12345")], [("phone", "=", POOL_PHONE)],
                       [("email", "ilike", "pool.customer")], [("street", "ilike", "Pool Road")],
                       [("phone_mobile_search", "like", "12345678")],
                       [("phone_sanitized", "like", "12345678")]):
            with self.subTest(domain=domain):
                self.assertNotIn(self.pool_customer, Partner.search(domain))
        self.assertFalse(Partner.name_search("pool.customer@example.com"))
        groups = Partner._read_group([("id", "=", self.pool_customer.id)], ["phone"], ["__count"])
        self.assertEqual(groups, [(False, 1)], "grouped by phone, the number does not show")
        self.assertEqual(Partner._read_group([("id", "=", self.pool_customer.id)], [], ["phone:max"]),
                         [(False,)])
        # ordering by the number works and tells nothing
        Partner.search([("id", "in", (self.pool_customer | self.own_customer).ids)], order="phone")
        # the agent's own customer is found by number, and read in full
        self.assertEqual(Partner.search([("phone", "like", "00001111")]), self.own_customer)
        self.assertEqual(self.own_customer.with_user(self.user_agent).phone, "13900001111")
        self.assertEqual(self.own_customer.with_user(self.user_agent).read(["street"])[0]["street"], "2 Own Road")

    def test_each_role_sees_its_own_customers(self):
        def phone(user, partner):
            return partner.with_user(user).read(["phone"])[0]["phone"]
        self.assertEqual(phone(self.user_leader, self.own_customer), "13900001111", "the team's customer")
        self.assertEqual(phone(self.user_leader, self.other_customer), "137****2222", "another team's")
        self.assertEqual(phone(self.user_manager, self.other_customer), "13700002222", "the department")
        self.assertEqual(phone(self.user_manager, self.pool_customer), POOL_PHONE)
        self.assertEqual(phone(self.user_service, self.other_customer), "137****2222")
        self.env["telesales.complaint"].create({
            "subject": "Rude", "description": "<p>Rude</p>", "partner_id": self.other_customer.id,
            "lead_id": self.other_lead.id})
        self.assertEqual(phone(self.user_service, self.other_customer), "13700002222",
                         "customer service reads the customers who complained")
        self.assertEqual(phone(self.user_outsider, self.pool_customer), POOL_PHONE,
                         "users outside telesales keep Odoo's own rights")
        self.assertEqual(phone(self.user_hr, self.pool_customer), "138****5678", "HR has no customers")
        # colleagues are not customers: their contact data stays readable
        self.user_leader.partner_id.phone = "021-5555"
        self.assertEqual(phone(self.user_agent, self.user_leader.partner_id), "021-5555")

    def test_unassigned_orders_and_other_teams_leads_make_nobody_a_customer(self):
        self.env["sale.order"].create({"partner_id": self.pool_customer.id, "user_id": False})
        self.env["crm.lead"].create({"name": "Field lead", "partner_id": self.pool_customer.id,
                                     "team_id": self.team_plain.id, "user_id": False})
        self.assertEqual(self.pool_customer.with_user(self.user_agent).read(["phone"])[0]["phone"], "138****5678")
        self.env["sale.order"].create({"partner_id": self.pool_customer.id, "user_id": self.user_agent.id})
        self.assertEqual(self.pool_customer.with_user(self.user_agent).read(["phone"])[0]["phone"], POOL_PHONE,
                         "a customer of the agent's own order")

    def test_a_company_contact_follows_its_company(self):
        person = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.own_customer.id,
                                                 "phone": "13511112222"})
        self.assertEqual(person.with_user(self.user_agent).phone, "13511112222")
        person.parent_id = self.pool_customer
        self.assertEqual(person.with_user(self.user_agent).read(["phone"])[0]["phone"], "135****2222")

    def test_recycled_lead_hides_the_number_of_earlier_calls(self):
        call = self._call(self.user_agent, self.own_lead)
        self.assertEqual(call.with_user(self.user_agent).read(["phone"])[0]["phone"], "13900001111")
        self.own_lead._telesales_assign(False, False, "recycle", "test")
        self.assertEqual(call.with_user(self.user_agent).read(["phone"])[0]["phone"], "139****1111")
        self.assertFalse(self.env["telesales.call"].with_user(self.user_agent).search(
            [("phone", "like", "0000111")]))

    def test_complaint_contact_data_follows_the_customer(self):
        complaint = self.env["telesales.complaint"].create({
            "subject": "Late delivery", "description": "<p>Late</p>", "lead_id": self.other_lead.id,
            "agent_id": self.user_agent.id})
        values = complaint.with_user(self.user_agent).read(["phone", "email_from"])[0]
        self.assertEqual(values["phone"], "137****2222", "the agent concerned does not work this customer")
        self.assertEqual(complaint.with_user(self.user_service).read(["phone"])[0]["phone"], "13700002222")
        self.assertEqual(complaint.with_user(self.user_agent_other).read(["phone"])[0]["phone"], "13700002222")

    def test_chatter_does_not_show_a_customers_old_and_new_address(self):
        partner = self.pool_customer.with_context(tracking_disable=False)
        self.env.cr.flush()
        partner.write({"email": "new.address@example.com", "street": "3 New Road"})
        self.env.flush_all()
        self.env.cr.flush()
        trackings = partner.sudo().message_ids.tracking_value_ids
        self.assertTrue(trackings, "Odoo tracks a customer's e-mail and address")
        self.assertFalse(trackings._filter_has_field_access(self.env(user=self.user_agent)))
        self.assertEqual(trackings._filter_has_field_access(self.env(user=self.user_manager)), trackings)


@tagged("post_install", "-at_install")
class TestCallTrust(TrustCase):
    """Calls go on leads one may work, in one's own name; their figures are corrected in
    the open (R-CALL-3, R-CALL-5, R-LEAD-6)."""

    def test_no_call_on_a_pool_lead(self):
        with self.assertRaises(AccessError):
            self._call(self.user_agent, self.pool_lead, direction="inbound")
        call = self._call(self.user_agent, self.own_lead)
        with self.assertRaises(AccessError):
            call.with_user(self.user_agent).lead_id = self.pool_lead
        with self.assertRaisesText(ValidationError, "Lead 987654321 does not exist"):
            self.env["telesales.call"].with_user(self.user_agent).create({
                "lead_id": 987654321, "outcome": "no_answer", "plan_date": "2026-12-01 02:00:00",
                "plan_goal": "x"})

    def test_no_call_naming_a_customer_one_does_not_work(self):
        bare = self.env["crm.lead"].create({"name": "No phone", "team_id": self.team.id,
                                            "user_id": self.user_agent.id})
        call = self._call(self.user_agent, bare)
        with self.assertRaises(AccessError):
            call.with_user(self.user_agent).partner_id = self.pool_customer
        with self.assertRaises(AccessError):
            self._call(self.user_agent, bare, partner_id=self.pool_customer.id)
        with self.assertRaises(AccessError):
            self.pool_customer.with_user(self.user_agent).phone = "10086"
        self.own_customer.with_user(self.user_agent).phone = "13900001112"  # their own customer

    def test_agent_cannot_move_a_call_to_a_colleague_or_set_system_flags(self):
        call = self._call(self.user_agent, self.own_lead)
        for values in ({"user_id": self.user_agent_2.id}, {"is_connected": True},
                       {"corrected": False}, {"outside_window": False}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                call.with_user(self.user_agent).write(values)
        with self.assertRaises(AccessError):
            call.with_user(self.user_leader_2).write({"user_id": self.user_agent_other.id})
        call.with_user(self.user_leader).write({"user_id": self.user_agent_2.id})
        self.assertEqual(call.user_id, self.user_agent_2)

    def test_times_beyond_a_day_are_refused(self):
        with self.assertRaisesText(ValidationError, "24 hours"):
            self._call(self.user_agent, self.own_lead, end="2026-11-24 02:00:01")
        with self.assertRaisesText(ValidationError, "24 hours"):
            self._call(self.user_agent, self.own_lead, talk_seconds=86401)
        self._call(self.user_agent, self.own_lead, end="2026-11-24 02:00:00", talk_seconds=86400)

    def test_corrections_until_the_day_is_judged(self):
        call = self._call(self.user_agent, self.own_lead, outcome="effective", talk_seconds=60,
                          end="2026-11-23 02:05:00", plan_goal="quote")
        self.env.cr.flush()  # a new record's own values are not tracked until then
        call = call.with_context(tracking_disable=False)
        call.with_user(self.user_agent).write({"talk_seconds": 240})
        self.assertTrue(call.corrected)
        self.env.flush_all()
        self.env.cr.flush()  # tracking values are written when the transaction flushes
        tracked = call.sudo().message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "talk_seconds")
        self.assertEqual((tracked.old_value_integer, tracked.new_value_integer), (60, 240))
        self.env["telesales.call"].flush_model()
        daily = self.env["telesales.call.daily"].search([("user_id", "=", self.user_agent.id),
                                                         ("date", "=", "2026-11-23")])
        self.assertEqual(daily.corrected, 1)
        self.assertEqual(daily.talk_seconds, 240)
        with self.assertRaises(AccessError):
            call.with_user(self.user_agent_2).write({"talk_seconds": 300})
        self.env["telesales.daily.minimum"].create({
            **self.env["telesales.daily.minimum"]._agent_values(self.emp_agent), "date": "2026-11-23"})
        with self.assertRaisesText(AccessError, "already judged"):
            call.with_user(self.user_agent).write({"talk_seconds": 3000})
        with self.assertRaisesText(UserError, "reason"):
            call.with_user(self.user_leader).write({"talk_seconds": 3000})
        call.with_user(self.user_leader).write({"talk_seconds": 200, "correction_reason": "typo"})
        self.assertEqual(call.talk_seconds, 200)
        # plain notes stay the agent's to edit
        call.with_user(self.user_agent).notes = "called back later"

    def test_new_owner_sees_earlier_calls_and_all_calls_count(self):
        self.company.telesales_no_progress_limit = 3
        lead = self.env["crm.lead"].create({"name": "Claimed", "team_id": self.team.id,
                                            "user_id": self.user_agent_2.id, "phone": "13311112222"})
        Call = self.env["telesales.call"].with_context(telesales_seed=True).sudo()
        Call.create([{"lead_id": lead.id, "user_id": self.user_agent_2.id, "outcome": "no_answer",
                      "start": f"2026-11-2{day} 02:00:00"} for day in (0, 1, 2)])
        lead._telesales_assign(self.team.id, self.user_agent.id, "manual", "test")
        agent_lead = lead.with_user(self.user_agent)
        self.assertEqual(len(agent_lead.telesales_call_ids), 3, "the history of the lead (R-DATA-1)")
        with self.assertRaisesText(UserError, "3 contacts with Claimed made no progress"):
            self._call(self.user_agent, lead)
        self.assertEqual(lead.with_user(self.user_manager).telesales_call_count, 3)
        with self.assertRaises(AccessError):
            agent_lead.telesales_call_ids[0].write({"notes": "rewritten by the new owner"})


@tagged("post_install", "-at_install")
class TestLeadLanes(TrustCase):
    """R-ORG-2, R-LEAD-2: each role reads and moves exactly its own leads."""

    def test_leader_does_not_see_other_teams_unassigned_leads(self):
        Lead = self.env["crm.lead"].with_user(self.user_leader)
        self.assertNotIn(self.other_unassigned, Lead.search([]))
        with self.assertRaises(AccessError):
            self.other_unassigned.with_user(self.user_leader).read(["phone"])
        with self.assertRaises(AccessError):
            self.other_unassigned.with_user(self.user_leader).write({"user_id": self.user_agent.id})
        self.assertIn(self.pool_lead, Lead.search([]), "the leader sees the pool")

    def test_owner_changes_go_through_the_door_with_its_rights(self):
        with self.assertRaisesText(UserError, "agents take leads from the pool"):
            self.own_lead.with_user(self.user_agent).write(
                {"user_id": self.user_agent_other.id, "team_id": self.team_2.id})
        with self.assertRaisesText(UserError, "agents take leads from the pool"):
            self.own_lead.with_user(self.user_agent).with_context(telesales_door=True).write(
                {"user_id": self.user_agent_2.id})
        with self.assertRaisesText(UserError, "within their own team"):
            self.own_lead.with_user(self.user_leader).write({"user_id": self.user_agent_other.id,
                                                             "team_id": self.team_2.id})
        self.own_lead.with_user(self.user_leader).write({"user_id": self.user_agent_2.id})
        self.assertEqual(self.own_lead.user_id, self.user_agent_2)
        self.assertEqual(self.own_lead.telesales_allocation_log_ids[:1].level, "manual")
        self.own_lead.with_user(self.user_manager).write({"user_id": self.user_agent_other.id,
                                                          "team_id": self.team_2.id})
        self.assertEqual(self.own_lead.team_id, self.team_2)

    def test_the_door_holds_the_open_lead_cap_for_moves(self):
        self.company.telesales_claim_open_cap = 1
        with self.assertRaisesText(UserError, "the cap is 1"):
            self.other_unassigned.with_user(self.user_leader_2).write({"user_id": self.user_agent_other.id})
        self.assertFalse(self.other_unassigned.user_id, "nothing half-written")

    def test_system_fields_are_not_written_by_hand(self):
        lead = self.own_lead.with_user(self.user_agent)
        for values in ({"telesales_approval_state": "approved"},
                       {"telesales_approval_date": "2026-11-23 00:00:00"},
                       {"telesales_won_user_id": self.user_agent.id}, {"telesales_in_pool": True},
                       {"telesales_call_count": 0}, {"telesales_grade": "a"}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                lead.write(values)
        lead.with_user(self.user_leader).telesales_grade = "a"
        self.assertEqual(self.own_lead.telesales_grade, "a")

    def test_context_keys_grant_nothing(self):
        self.own_customer.telesales_do_not_call = True
        with self.assertRaisesText(UserError, "do-not-call"):
            self.own_lead.with_user(self.user_manager).with_context(telesales_door=True).write(
                {"user_id": self.user_agent_2.id})
        with self.assertRaises(UserError):
            self.own_customer.with_user(self.user_agent).with_context(telesales_grade_auto=True).write(
                {"telesales_grade": "a"})

    def test_the_door_holds_allocation_caps_planned_earlier(self):
        rule = self.env["telesales.allocation.rule"].create({
            "name": "Capped", "level": "team", "strategy": "round_robin", "open_cap": 2, "daily_cap": 0})
        fresh = self.env["crm.lead"].create([{"name": f"Fresh {n}", "team_id": self.team.id, "user_id": False}
                                             for n in range(2)])
        # planned when the agent held 1 lead; meanwhile a leader gave them another
        self.other_unassigned.sudo().write({"team_id": self.team.id})
        self.other_unassigned.with_user(self.user_leader).write({"user_id": self.user_agent.id})
        done = self.env["crm.lead"]._telesales_set_owners(
            {lead.id: (self.team.id, self.user_agent.id, rule.id) for lead in fresh}, "team", "run")
        self.assertEqual(done, [], "the agent already holds the rule's 2 open leads")
        self.assertFalse(fresh.user_id)


@tagged("post_install", "-at_install")
class TestComputedFigures(TrustCase):
    """Statements and daily minimum results are the system's figures (issue 12 §3)."""

    def test_daily_minimum_results_are_not_typed(self):
        Minimum = self.env["telesales.daily.minimum"]
        result = Minimum.create({**Minimum._agent_values(self.emp_agent), "date": "2026-11-23",
                                 "met": False, "overtime_hours": 1})
        for user in (self.user_agent, self.user_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                result.with_user(user).with_context(telesales_seed=True).write({"met": True})
        with self.assertRaises(AccessError):
            Minimum.with_user(self.user_manager).create({**Minimum._agent_values(self.emp_agent_2),
                                                         "date": "2026-11-23", "met": True})
        result.with_user(self.user_manager).overtime_hours = 0  # waived, as the manager may
        self.assertFalse(result.met)

    def test_statement_amounts_are_not_typed(self):
        plan = self.env["telesales.commission.plan"].create({"name": "Plan", "user_ids": [(6, 0, self.user_agent.ids)]})
        statement = self.env["telesales.commission.statement"].create({
            "user_id": self.user_agent.id, "month": "2026-11-01", "plan_id": plan.id, "commission": 100})
        for values in ({"commission": 99999}, {"total_pay": 1}, {"state": "paid"}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                statement.with_user(self.user_manager).write(values)
        self.assertEqual(statement.commission, 100)

    def test_incidents_and_rank_reviews_keep_their_figures(self):
        Incident = self.env["telesales.attendance.incident"]
        incident = Incident.create({"employee_id": self.emp_agent.id, "date": "2026-11-23", "kind": "late",
                                    "minutes": 10, "bonus_deduction": 50})
        with self.assertRaises(AccessError):
            incident.with_user(self.user_hr).write({"bonus_deduction": 0})
        with self.assertRaises(AccessError):
            Incident.with_user(self.user_hr).create({"employee_id": self.emp_agent_2.id, "date": "2026-11-23",
                                                     "kind": "late"})
        incident.with_user(self.user_hr).write({"waive_reason": "badge reader broken"})
        incident.with_user(self.user_hr).action_waive()
        self.assertEqual((incident.state, incident.bonus_deduction), ("waived", 0))
        review = self.env["telesales.rank.review"].create({
            "employee_id": self.emp_agent.id, "quarter": "2026-07-01", "sales_total": 10_000,
            "rank_id": self.rank_trainee.id, "decision": "keep", "new_rank_id": self.rank_trainee.id})
        with self.assertRaises(AccessError):
            review.with_user(self.user_manager).write({"sales_total": 999_999})
        with self.assertRaises(UserError):
            review.with_user(self.user_leader).action_cancel()
        review.with_user(self.user_manager).write({"decision": "promote", "new_rank_id": self.rank_agent_1.id})
