from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import TelesalesCase


@tagged("post_install", "-at_install")
class TestTeamProfile(TelesalesCase):

    def _memberships(self, user):
        return self.env["crm.team.member"].search([("user_id", "=", user.id)])

    def test_profile_team_is_the_crm_membership(self):
        self.assertEqual(self._memberships(self.user_agent).crm_team_id, self.team)
        self.assertIn(self.user_agent, self.team.member_ids)
        self.assertEqual(self.team.telesales_agent_count, 2)

    def test_moving_an_agent_moves_the_membership(self):
        self.emp_agent.telesales_team_id = self.team_2
        self.assertEqual(self._memberships(self.user_agent).crm_team_id, self.team_2)
        archived = self.env["crm.team.member"].with_context(active_test=False).search(
            [("user_id", "=", self.user_agent.id), ("active", "=", False)])
        self.assertEqual(archived.crm_team_id, self.team, "the old membership is archived, not lost")
        self.assertEqual(self.team.telesales_agent_count, 1)
        self.assertEqual(self.team_2.telesales_agent_count, 2)

        self.emp_agent.telesales_team_id = False
        self.assertFalse(self._memberships(self.user_agent))

    def test_adding_a_member_in_crm_sets_the_profile(self):
        user = self.user_outsider
        self.team_2.member_ids = [(4, user.id)]
        self.assertEqual(self.emp_outsider.telesales_team_id, self.team_2)
        self.team_2.member_ids = [(3, user.id)]
        self.assertFalse(self.emp_outsider.telesales_team_id)

    def test_non_telesales_team_is_not_a_telesales_team(self):
        self.team_plain.member_ids = [(4, self.user_outsider.id)]
        self.assertFalse(self.emp_outsider.telesales_team_id)

    def test_one_telesales_team_per_agent(self):
        self.env["ir.config_parameter"].sudo().set_param("sales_team.membership_multi", True)
        with self.assertRaisesText(ValidationError, "cannot be in several telesales teams"):
            self.env["crm.team.member"].create(
                {"crm_team_id": self.team_2.id, "user_id": self.user_agent.id})
        # a second, non-telesales team is fine in multi-team mode
        self.env["crm.team.member"].create(
            {"crm_team_id": self.team_plain.id, "user_id": self.user_agent.id})
        self.assertEqual(self.emp_agent.telesales_team_id, self.team)

    def test_leader_must_be_a_member_of_the_team(self):
        with self.assertRaisesText(ValidationError, "must be a member of team T-Team 2"):
            self.team_2.user_id = self.user_leader
        with self.assertRaisesText(ValidationError, "must be a member of team T-Team 1"):
            self.emp_leader.telesales_team_id = self.team_2
        membership = self._memberships(self.user_leader)
        with self.assertRaisesText(ValidationError, "must be a member of team T-Team 1"):
            membership.unlink()
        with self.assertRaisesText(ValidationError, "must be a member of team T-Team 1"):
            membership.active = False
        self.team_plain.user_id = self.user_manager
        with self.assertRaisesText(ValidationError, "must be a member of team Field Sales"):
            self.team_plain.is_telesales = True  # checked when a team becomes a telesales team

    def test_changing_the_leader(self):
        self.emp_agent_2.telesales_role = "leader"
        self.team.user_id = self.user_agent_2
        self.assertEqual(self.team.user_id, self.user_agent_2)
        with Form(self.team) as form:
            form.user_id = self.user_leader
        self.assertEqual(self.team.user_id, self.user_leader)

    def test_other_teams_keep_crm_rules(self):
        # Odoo lets any user lead an ordinary sales team; only telesales teams are checked.
        self.team_plain.user_id = self.user_agent_other
        self.assertEqual(self.team_plain.user_id, self.user_agent_other)

    def test_agent_needs_a_user(self):
        for role in ("agent", "leader", "manager"):
            with self.subTest(role=role), self.assertRaisesText(ValidationError, "needs a linked user"):
                self.env["hr.employee"].create({"name": "No User", "telesales_role": role})
        service = self.env["hr.employee"].create({"name": "Desk", "telesales_role": "service"})
        self.assertFalse(service.user_id, "customer service may work without a user")
        with self.assertRaisesText(ValidationError, "needs a linked user"):
            self.emp_agent.user_id = False

    def test_team_needs_a_user(self):
        with self.assertRaisesText(ValidationError, "needs a linked user to join team"):
            self.env["hr.employee"].create({"name": "Temp", "telesales_team_id": self.team.id})

    @freeze_time("2026-11-25 04:00:00")  # "today" is read twice: never across a midnight
    def test_go_live(self):
        agent = self.emp_agent
        self.assertEqual(agent.telesales_status, "trainee")
        with self.assertRaisesText(ValidationError, "has no 'Go-Live Date'"):
            agent.telesales_status = "live"
        agent.telesales_hire_date = "2026-11-01"
        with self.assertRaisesText(ValidationError, "cannot be before"):
            agent.telesales_live_date = "2026-10-31"
        # Without the onboarding days and exam, Go Live refuses (the way through: test_training).
        with self.assertRaisesText(UserError, "cannot go live yet (R-TRN-2)"):
            agent.action_telesales_go_live()
        self.assertEqual(agent.telesales_status, "trainee")
        # Nor does HR set the status by hand: only the gate makes an agent live.
        with self.assertRaisesText(AccessError, "Go Live"):
            agent.with_user(self.user_hr).write({"telesales_status": "live", "telesales_live_date": "2026-11-20"})

    def test_staff_smart_button(self):
        action = self.team.action_view_telesales_staff()
        staff = self.env["hr.employee.public"].search(action["domain"])
        self.assertEqual(staff.employee_id, self.emp_leader | self.emp_agent | self.emp_agent_2)
