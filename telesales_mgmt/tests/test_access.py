from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TelesalesCase


@tagged("post_install", "-at_install")
class TestAccess(TelesalesCase):
    """Each role against each model: what it may read and change, and what it may not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emp_agent.telesales_rank_id = cls.rank_agent_1
        cls.emp_agent_other.telesales_rank_id = cls.rank_agent_1
        History = cls.env["telesales.rank.history"]
        cls.hist_agent = History.search([("employee_id", "=", cls.emp_agent.id)])
        cls.hist_agent_2 = History.search([("employee_id", "=", cls.emp_agent_2.id)])
        cls.hist_other = History.search([("employee_id", "=", cls.emp_agent_other.id)])
        cls.hist_outsider = History.create({"employee_id": cls.emp_outsider.id,
                                            "new_rank_id": cls.rank_agent_1.id})
        cls.all_history = cls.hist_agent | cls.hist_agent_2 | cls.hist_other | cls.hist_outsider

    def _visible_history(self, user):
        return self.env["telesales.rank.history"].with_user(user).search(
            [("id", "in", self.all_history.ids)])

    def test_rank_ladder_read_by_all_edited_by_admin_and_hr_manager(self):
        for user in (self.user_agent, self.user_leader, self.user_manager, self.user_service,
                     self.user_outsider):
            with self.subTest(user=user.login):
                self.assertEqual(self.rank_agent_1.with_user(user).base_pay, 1580)
                with self.assertRaises(AccessError):
                    self.rank_agent_1.with_user(user).base_pay = 9999
                with self.assertRaises(AccessError):
                    self.env["telesales.rank"].with_user(user).create({"name": "X", "base_pay": 1})
        self.rank_agent_1.with_user(self.user_admin).base_pay = 1600
        self.assertEqual(self.rank_agent_1.base_pay, 1600)
        hr_manager = self.user_hr
        hr_manager.group_ids = [(4, self.env.ref("hr.group_hr_manager").id)]
        self.rank_agent_1.with_user(hr_manager).base_pay = 1650
        self.assertEqual(self.rank_agent_1.base_pay, 1650)

    def test_rank_history_agent_sees_own(self):
        self.assertEqual(self._visible_history(self.user_agent), self.hist_agent)
        with self.assertRaises(AccessError):
            self.hist_agent.with_user(self.user_agent).reason = "self-promotion"
        with self.assertRaises(AccessError):
            self.env["telesales.rank.history"].with_user(self.user_agent).create(
                {"employee_id": self.emp_agent.id, "new_rank_id": self.rank_senior_2.id})
        with self.assertRaises(AccessError):
            self.hist_agent_2.with_user(self.user_agent).read(["reason"])

    def test_rank_history_leader_sees_team(self):
        self.assertEqual(self._visible_history(self.user_leader), self.hist_agent | self.hist_agent_2)
        self.assertEqual(self._visible_history(self.user_leader_2), self.hist_other)

    def test_rank_history_manager_sees_department(self):
        self.assertEqual(self._visible_history(self.user_manager),
                         self.hist_agent | self.hist_agent_2 | self.hist_other,
                         "the manager sees the telesales staff, not other employees")

    def test_rank_history_hr_sees_and_writes_all(self):
        self.assertEqual(self._visible_history(self.user_hr), self.all_history)
        self.hist_agent.with_user(self.user_hr).reason = "corrected by HR"
        with self.assertRaises(AccessError):
            self.hist_agent.with_user(self.user_hr).unlink()

    def test_rank_history_denied_to_others(self):
        for user in (self.user_service, self.user_outsider):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._visible_history(user)

    def test_profile_public_to_colleagues_ability_to_leaders(self):
        public = self.env["hr.employee.public"]
        for user in (self.user_agent, self.user_outsider):
            with self.subTest(user=user.login):
                mate = public.with_user(user).browse(self.emp_agent_2.id)
                self.assertEqual(mate.telesales_team_id, self.team)
                self.assertEqual(mate.telesales_rank_id, self.rank_trainee)
                with self.assertRaises(AccessError):
                    mate.telesales_ability  # noqa: B018  # pylint: disable=pointless-statement
        self.assertEqual(public.with_user(self.user_leader).browse(self.emp_agent_2.id).telesales_ability, "b")
        # the private model answers non-HR users from the public view, so search works too
        found = self.env["hr.employee"].with_user(self.user_agent).search(
            [("telesales_team_id", "=", self.team.id)])
        self.assertEqual(found, self.emp_leader | self.emp_agent | self.emp_agent_2)

    def test_only_hr_edits_the_profile(self):
        for user in (self.user_agent, self.user_leader, self.user_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.emp_agent_2.with_user(user).telesales_rank_id = self.rank_senior_2
        self.emp_agent_2.with_user(self.user_hr).telesales_rank_id = self.rank_agent_2
        self.assertEqual(self.emp_agent_2.telesales_rank_id, self.rank_agent_2)
        # HR moves an agent between teams though it has no Sales rights
        self.emp_agent_2.with_user(self.user_hr).telesales_team_id = self.team_2
        self.assertEqual(self.emp_agent_2.telesales_team_id, self.team_2)

    def test_team_fields_edited_by_sales_managers_only(self):
        with self.assertRaises(AccessError):
            self.team.with_user(self.user_agent).telesales_manager_id = False
        self.team.with_user(self.user_admin).telesales_manager_id = False
        self.assertFalse(self.team.telesales_manager_id)

    def test_multi_company_rule(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        rank = self.env["telesales.rank"].create({"name": "Other rank", "base_pay": 1, "company_id": other.id})
        visible = self.env["telesales.rank"].with_user(self.user_admin).search([("id", "=", rank.id)])
        self.assertFalse(visible, "a rank of another company is invisible")
        shared = self.env["telesales.rank"].with_user(self.user_admin).search([("id", "=", self.rank_agent_1.id)])
        self.assertEqual(shared, self.rank_agent_1, "a rank without company is shared")
