import ast

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TelesalesCase

# Department time Asia/Shanghai (UTC+8): instants in UTC, local time beside them.
MONDAY_1000 = "2026-11-23 02:00:00"      # Monday 10:00 local
MONDAY_1100 = "2026-11-23 03:00:00"      # Monday 11:00 local
TUESDAY_1500 = "2026-11-24 07:00:00"     # Tuesday 15:00 local
THURSDAY_1000 = "2026-11-26 02:00:00"    # Thursday 10:00 local

# What an agent needs for the next call, on the lead cards and the lead list (issue 17).
LEAD_CARD_FIELDS = {"telesales_furthest_stage", "telesales_grade", "telesales_intent_level",
                    "telesales_next_followup", "telesales_idle_attempts", "phone", "telesales_do_not_call"}


@tagged("post_install", "-at_install")
class TestLeadCards(TelesalesCase):
    """The screens agents use on a phone open as cards and keep the list on a desk; the
    lead cards and list carry what matters for the next call."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({
            "telesales_tz": "Asia/Shanghai",
            "telesales_window_mode": "warn",
            "telesales_connected_min_seconds": 1,
            "telesales_no_progress_limit": 0,
        })
        cls.lead = cls.env["crm.lead"].create({
            "name": "Zhou lead", "contact_name": "周先生", "phone": "13800138000", "type": "lead",
            "telesales_grade": "a", "user_id": cls.user_agent.id, "team_id": cls.team.id})

    def _views(self, action_xmlid, user=None):
        """The action's views as the web client gets them for `user`: {type: arch tree}."""
        action = self.env.ref(action_xmlid)
        Model = self.env[action.res_model].with_user(user or self.user_agent)
        result = Model.get_views(action.views + [(action.search_view_id.id, "search")], {"action_id": action.id})
        return {view_type: etree.fromstring(view["arch"]) for view_type, view in result["views"].items()}

    def _call(self, when, **values):
        with freeze_time(when):
            return self.env["telesales.call"].with_user(self.user_agent).create({
                "lead_id": self.lead.id, "outcome": "no_answer", **values})

    # Phones open cards, desks the list (issue 17: lists at 390 px) ---------------------

    def test_actions_open_the_list_on_desks_and_cards_on_phones(self):
        """The web client opens an action's first view, and on a small screen its
        `mobile_view_mode` (kanban) when the action has one."""
        for xmlid in ("telesales_mgmt.crm_lead_action_telesales",
                      "telesales_mgmt.telesales_attendance_incident_action",
                      "telesales_mgmt.telesales_monthly_summary_action",
                      "telesales_mgmt.telesales_call_daily_action_leaderboard"):
            with self.subTest(action=xmlid):
                action = self.env.ref(xmlid)
                view_types = [view_type for _view_id, view_type in action.views]
                self.assertEqual(view_types[0], "list")
                self.assertIn("kanban", view_types)
                self.assertEqual(action.mobile_view_mode, "kanban")
                kanban = self._views(xmlid)["kanban"]
                self.assertIn("o_kanban_mobile", kanban.get("class"))

    def test_cards_show_the_key_figures(self):
        expected = {
            "telesales_mgmt.telesales_attendance_incident_action":
                {"employee_id", "date", "kind", "minutes", "bonus_deduction", "wage_deduction", "state"},
            "telesales_mgmt.telesales_monthly_summary_action":
                {"employee_id", "month", "connected", "deals", "talk_hours", "days_minimum_short", "state"},
            "telesales_mgmt.telesales_call_daily_action_leaderboard":
                {"user_id", "team_id", "connected", "talk_hours", "effective", "deals", "dialled"},
        }
        for xmlid, names in expected.items():
            with self.subTest(action=xmlid):
                kanban = self._views(xmlid)["kanban"]
                self.assertLessEqual(names, {node.get("name") for node in kanban.iter("field")})

    def test_leaderboard_groups_by_team_on_desks_only(self):
        """Grouped cards on a phone are columns side by side: the list groups by team, the
        cards are one column ranked by connected calls."""
        action = self.env.ref("telesales_mgmt.telesales_call_daily_action_leaderboard")
        self.assertNotIn("search_default_group_team", action.context)
        views = self._views("telesales_mgmt.telesales_call_daily_action_leaderboard", self.user_leader)
        self.assertEqual(views["list"].get("default_group_by"), "team_id")
        self.assertIsNone(views["kanban"].get("default_group_by"))
        self.assertEqual(views["kanban"].get("default_order"), "date desc, connected desc")

    def test_calls_in_the_lead_form_have_cards(self):
        """A one2many with a list and a kanban inside shows the kanban on a phone."""
        form = self._views("telesales_mgmt.crm_lead_action_telesales")["form"]
        [calls] = form.xpath("//field[@name='telesales_call_ids']")
        self.assertEqual({child.tag for child in calls.iterchildren("list", "kanban")}, {"list", "kanban"})
        kanban = calls.find("kanban")
        self.assertIn("o_kanban_mobile", kanban.get("class"))
        self.assertLessEqual({"start", "outcome", "stage", "talk_seconds", "plan_date", "user_id"},
                             {node.get("name") for node in kanban.iter("field")})

    # The lead cards and list (issue 17: what matters for the next call) ------------------

    def test_lead_cards_and_list_for_the_next_call(self):
        views = self._views("telesales_mgmt.crm_lead_action_telesales")
        for view_type in ("kanban", "list"):
            with self.subTest(view=view_type):
                names = {node.get("name") for node in views[view_type].iter("field")}
                self.assertLessEqual(LEAD_CARD_FIELDS, names, "the agent reads every one of them")
                self.assertTrue(views[view_type].get("default_order").startswith("telesales_next_followup"),
                                "the next follow-up first")
        kanban = views["kanban"]
        self.assertLessEqual({"telesales_needs_approval", "telesales_approval_state"},
                             {node.get("name") for node in kanban.iter("field")})
        self.assertTrue(kanban.xpath("//button[@name='action_telesales_log_call']"))
        self.assertTrue(kanban.xpath("//*[contains(@t-att-class, 'o_telesales_overdue')]"), "overdue in red")
        search = views["search"]
        filters = {node.get("name") for node in search.iter("filter")}
        self.assertLessEqual({"telesales_followup_due", "telesales_followup_overdue", "telesales_not_called_today",
                              "telesales_grade_a", "group_telesales_grade", "group_telesales_furthest_stage"}, filters)

    def test_agent_reads_the_card_of_their_lead(self):
        values = {"stage": "needs", "intent_level": "medium", "plan_date": "2026-11-24 07:00:00",
                  "plan_goal": "send the price list"}
        self._call(MONDAY_1000, outcome="effective", talk_seconds=120, **values)
        fnames = sorted(LEAD_CARD_FIELDS | {"telesales_needs_approval", "telesales_approval_state"})
        [card] = self.lead.with_user(self.user_agent).read(fnames)
        self.assertEqual(card["telesales_furthest_stage"], "needs")
        self.assertEqual(card["telesales_intent_level"], "medium")
        self.assertEqual(str(card["telesales_next_followup"]), TUESDAY_1500)
        self.assertEqual(card["phone"], "13800138000", "the agent's own lead: the whole number")

    def test_next_followup_is_the_latest_calls_plan(self):
        first = self._call(MONDAY_1000, plan_date=THURSDAY_1000, plan_goal="reach the customer")
        self.assertEqual(str(self.lead.telesales_next_followup), THURSDAY_1000)
        first_plan = first.plan_activity_id
        self.assertTrue(first_plan)
        second = self._call(MONDAY_1100, plan_date=TUESDAY_1500, plan_goal="reach the customer")
        self.assertEqual(str(self.lead.telesales_next_followup), TUESDAY_1500, "the new plan replaces the old")
        # The earlier plan is done, so the activities (and My Day's queue) agree with the card.
        self.assertFalse(first_plan.exists() and first_plan.active, "done (kept archived when its type says so)")
        self.assertEqual(self.lead.activity_ids, second.plan_activity_id)
        self._call(TUESDAY_1500, outcome="invalid")
        self.assertFalse(self.lead.telesales_next_followup, "an invalid number plans nothing")

    def test_next_followup_is_kept_by_the_system(self):
        for user in (self.user_agent, self.user_leader):
            with self.subTest(user=user.login), self.assertRaisesText(AccessError, "are kept by the system"):
                self.lead.with_user(user).write({"telesales_next_followup": THURSDAY_1000})


@tagged("post_install", "-at_install")
class TestTelesalesLeadsMenu(TelesalesCase):
    """The Telesales › Leads menu lists what agents work, whatever Odoo's lead type."""

    def test_agent_sees_own_opportunities_and_the_pool(self):
        action = self.env.ref("telesales_mgmt.crm_lead_action_telesales")
        domain = ast.literal_eval(action.domain)
        Lead = self.env["crm.lead"]
        opportunity = Lead.create({"name": "已转商机", "type": "opportunity", "team_id": self.team.id,
                                   "user_id": self.user_agent.id})
        pooled = Lead.create({"name": "公海线索", "type": "lead", "team_id": False, "user_id": False})
        pooled_opportunity = Lead.create({"name": "他人商机", "type": "opportunity", "team_id": False,
                                          "user_id": False})
        found = Lead.search(domain + [("id", "in", (opportunity | pooled | pooled_opportunity).ids)])
        self.assertEqual(found, opportunity | pooled)
