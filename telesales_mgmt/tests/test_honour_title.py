from datetime import date

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import TelesalesCase

# A month the demo data (last month and this month) never reaches.
OCTOBER = date(2025, 10, 1)


@tagged("post_install", "-at_install")
class TestHonourTitles(TelesalesCase):
    """R-INC-2: Sales Star (department and teams) and Customer Service Model, ties decided."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only this test's deals in October.
        cls.env["crm.lead"].search([("telesales_won_date", ">=", OCTOBER)]).telesales_won_user_id = False
        cls.company.telesales_service_model_min_deals = 3
        cls.Title = cls.env["telesales.honour.title"]

    def _won(self, user, amounts, when="2025-10-10 03:00:00"):
        for amount in amounts:
            lead = self.env["crm.lead"].create({"name": "Deal", "type": "opportunity", "expected_revenue": amount,
                                                "user_id": user.id, "team_id": user.employee_ids.telesales_team_id.id})
            with freeze_time(when):
                lead.action_set_won()

    def _titles(self):
        self.Title._award(OCTOBER)
        return {(t.kind, t.team_id.name or "department"): t.user_id
                for t in self.Title.search([("month", "=", OCTOBER)])}

    def test_stars_and_service_model(self):
        self._won(self.user_agent, [30_000])
        self._won(self.user_agent_2, [5_000, 5_000, 5_000])
        self._won(self.user_agent_other, [20_000])
        titles = self._titles()
        self.assertEqual(titles[("sales_star", "department")], self.user_agent)
        self.assertEqual(titles[("sales_star", "T-Team 1")], self.user_agent)
        self.assertEqual(titles[("sales_star", "T-Team 2")], self.user_agent_other)
        self.assertEqual(titles[("service_model", "department")], self.user_agent_2,
                         "the only one with the minimum of 3 deals")
        self.assertIn("Sales Star", self.emp_agent.message_ids[0].body)

    def test_service_model_goes_to_fewest_complaints_then_best_satisfaction(self):
        self._won(self.user_agent, [9_000] * 3)
        self._won(self.user_agent_2, [1_000] * 3)
        self._won(self.user_agent_other, [2_000] * 3)
        category = self.env.ref("telesales_mgmt.complaint_category_price")

        def complaint(user, satisfaction):
            self.env["telesales.complaint"].create({
                "subject": "Rude", "description": "Rude on the phone", "category_id": category.id,
                "agent_id": user.id,
                "received_date": "2025-10-15 03:00:00", "satisfaction": satisfaction})

        complaint(self.user_agent, 5)
        complaint(self.user_agent_2, 2)
        complaint(self.user_agent_other, 4)
        self.assertEqual(self._titles()[("service_model", "department")], self.user_agent,
                         "one complaint each: best satisfaction, despite the sales")
        title = self.Title.search([("month", "=", OCTOBER), ("kind", "=", "service_model")])
        self.assertEqual(title.complaint_count, 1)

    def test_service_model_fewest_complaints_first(self):
        self._won(self.user_agent, [9_000] * 3)
        self._won(self.user_agent_2, [1_000] * 3)
        self.env["telesales.complaint"].create({
            "subject": "Rude", "description": "Rude on the phone",
            "category_id": self.env.ref("telesales_mgmt.complaint_category_price").id,
            "agent_id": self.user_agent.id, "received_date": "2025-10-15 03:00:00"})
        self.assertEqual(self._titles()[("service_model", "department")], self.user_agent_2)

    def test_ties_go_to_more_deals_then_to_the_first(self):
        self._won(self.user_agent, [10_000])
        self._won(self.user_agent_2, [6_000, 4_000])
        self.assertEqual(self._titles()[("sales_star", "department")], self.user_agent_2, "same sales, more deals")

    def test_tie_on_deals_goes_to_who_got_there_first(self):
        self._won(self.user_agent, [10_000], when="2025-10-20 03:00:00")
        self._won(self.user_agent_2, [10_000], when="2025-10-05 03:00:00")
        self.assertEqual(self._titles()[("sales_star", "department")], self.user_agent_2)

    def test_awarded_once(self):
        self._won(self.user_agent, [1_000])
        first = self.Title.search_count([])
        self._titles()
        self._titles()
        self.assertEqual(self.Title.search_count([]) - first, 2, "department and team, once")

    def test_leaderboard_places_follow_the_tie_rule(self):
        """The live board ranks like the titles: first place is the Sales Star; agents see it."""
        self._won(self.user_agent, [10_000], when="2025-10-20 03:00:00")
        self._won(self.user_agent_2, [10_000], when="2025-10-05 03:00:00")
        self._won(self.user_agent_other, [4_000, 3_000])
        self.env.flush_all()
        board = self.env["telesales.sales.leaderboard"].with_user(self.user_agent).search([("month", "=", OCTOBER)])
        places = {row.user_id: (row.department_place, row.team_place, row.deal_count, row.sales_total) for row in board}
        self.assertEqual(places[self.user_agent_2], (1, 1, 1, 10_000), "same sales and deals: got there first")
        self.assertEqual(places[self.user_agent], (2, 2, 1, 10_000))
        self.assertEqual(places[self.user_agent_other], (3, 1, 2, 7_000), "first of the other team")
        self.assertEqual(self._titles()[("sales_star", "department")],
                         board.filtered(lambda r: r.department_place == 1).user_id)

    def test_leaderboard_counts_what_titles_and_reviews_count(self):
        """The board is an SQL view (it cannot call the ORM): it must count the same deals as
        `crm.lead._telesales_won_totals`, which titles and rank reviews use."""
        self._won(self.user_agent, [10_000, 2_500], when="2025-10-20 03:00:00")
        self._won(self.user_agent_other, [4_000])
        lost = self.env["crm.lead"].create({"name": "Lost", "type": "opportunity", "expected_revenue": 9_000,
                                            "user_id": self.user_agent_2.id})
        lost.action_set_lost()
        self.env.flush_all()
        users = self.user_agent | self.user_agent_2 | self.user_agent_other
        totals = self.env["crm.lead"]._telesales_won_totals(users, OCTOBER, date(2025, 11, 1), self.company)
        board = self.env["telesales.sales.leaderboard"].search([("month", "=", OCTOBER), ("user_id", "in", users.ids)])
        self.assertEqual({row.user_id.id: (row.sales_total, row.deal_count, row.last_deal_date) for row in board},
                         totals)
        self.assertEqual(set(totals), {self.user_agent.id, self.user_agent_other.id})


@tagged("post_install", "-at_install")
class TestHonourTitlesPerCompany(TelesalesCase):
    """R-INC-2 per company: each company's agents, deals and titles, and the cron awards
    every company with telesales staff, not only its own user's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lead"].search([("telesales_won_date", ">=", OCTOBER)]).telesales_won_user_id = False
        cls.Title = cls.env["telesales.honour.title"]
        cls.company_2 = cls.env["res.company"].create({"name": "T-Branch"})
        cls.user_branch = new_test_user(cls.env, login="t_branch_agent", groups="telesales_mgmt.group_telesales_agent",
                                        company_id=cls.company_2.id, company_ids=[cls.company_2.id])
        cls.team_branch = cls.env["crm.team"].create(
            {"name": "T-Branch Team", "is_telesales": True, "company_id": cls.company_2.id})
        cls.env["hr.employee"].with_company(cls.company_2).create({
            "name": "Branch Agent", "user_id": cls.user_branch.id, "telesales_role": "agent",
            "company_id": cls.company_2.id, "telesales_team_id": cls.team_branch.id})

    def _won(self, user, amount, company):
        lead = self.env["crm.lead"].with_company(company).create({
            "name": "Deal", "type": "opportunity", "expected_revenue": amount, "company_id": company.id,
            "user_id": user.id, "team_id": user.employee_ids.telesales_team_id.id})
        with freeze_time("2025-10-10 03:00:00"):
            lead.action_set_won()

    def _winners(self, company):
        return {(t.kind, t.team_id.name or "department"): t.user_id for t in self.Title.search(
            [("month", "=", OCTOBER), ("company_id", "=", company.id)])}

    def test_each_company_its_own_titles(self):
        self._won(self.user_agent, 1_000, self.company)
        self._won(self.user_branch, 50_000, self.company_2)
        self.Title._award(OCTOBER)
        self.assertEqual(self._winners(self.company)[("sales_star", "department")], self.user_agent,
                         "the other company's agent is not in this company's race")
        self.Title.with_company(self.company_2)._award(OCTOBER, self.company_2)
        self.assertEqual(self._winners(self.company_2)[("sales_star", "department")], self.user_branch,
                         "the first company's titles do not count as the second's")

    def test_cron_awards_every_company(self):
        self._won(self.user_agent, 1_000, self.company)
        self._won(self.user_branch, 50_000, self.company_2)
        with freeze_time("2025-11-02 03:00:00"):
            self.Title._cron_award()
        self.assertEqual(self._winners(self.company)[("sales_star", "department")], self.user_agent)
        self.assertEqual(self._winners(self.company_2)[("sales_star", "department")], self.user_branch)
        self.assertEqual(self.Title.search([("company_id", "=", self.company_2.id)]).company_id, self.company_2)
