from contextlib import contextmanager

from odoo.tests import TransactionCase, new_test_user


class TelesalesCase(TransactionCase):
    """A small department built once: two telesales teams, a manager, a leader and
    agents with users, an HR officer, a customer-service employee and an outsider."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.rank_trainee = cls.env.ref("telesales_mgmt.rank_trainee")
        cls.rank_agent_1 = cls.env.ref("telesales_mgmt.rank_agent_1")
        cls.rank_agent_2 = cls.env.ref("telesales_mgmt.rank_agent_2")
        cls.rank_senior_2 = cls.env.ref("telesales_mgmt.rank_senior_2")

        def user(login, groups):
            return new_test_user(cls.env, login=login, groups=groups,
                                 company_id=cls.company.id, company_ids=[cls.company.id])

        cls.user_manager = user("t_manager", "telesales_mgmt.group_telesales_manager")
        cls.user_leader = user("t_leader", "telesales_mgmt.group_telesales_leader")
        cls.user_leader_2 = user("t_leader2", "telesales_mgmt.group_telesales_leader")
        cls.user_agent = user("t_agent", "telesales_mgmt.group_telesales_agent")
        cls.user_agent_2 = user("t_agent2", "telesales_mgmt.group_telesales_agent")
        cls.user_agent_other = user("t_agent3", "telesales_mgmt.group_telesales_agent")
        cls.user_admin = user("t_admin", "telesales_mgmt.group_telesales_admin")
        cls.user_service = user("t_service", "telesales_mgmt.group_telesales_service")
        cls.user_hr = user("t_hr", "base.group_user,hr.group_hr_user")
        cls.user_outsider = user("t_outsider", "base.group_user")

        Team = cls.env["crm.team"]
        cls.team = Team.create({"name": "T-Team 1", "is_telesales": True, "company_id": cls.company.id})
        cls.team_2 = Team.create({"name": "T-Team 2", "is_telesales": True, "company_id": cls.company.id})
        cls.team_plain = Team.create({"name": "Field Sales", "company_id": cls.company.id})

        Employee = cls.env["hr.employee"]
        cls.emp_manager = Employee.create({
            "name": "Manager", "user_id": cls.user_manager.id, "telesales_role": "manager"})
        cls.emp_leader, cls.emp_leader_2, cls.emp_agent, cls.emp_agent_2, cls.emp_agent_other = Employee.create([
            {"name": "Leader", "user_id": cls.user_leader.id, "telesales_role": "leader",
             "telesales_team_id": cls.team.id},
            {"name": "Leader 2", "user_id": cls.user_leader_2.id, "telesales_role": "leader",
             "telesales_team_id": cls.team_2.id},
            {"name": "Agent", "user_id": cls.user_agent.id, "telesales_role": "agent",
             "telesales_team_id": cls.team.id},
            {"name": "Agent 2", "user_id": cls.user_agent_2.id, "telesales_role": "agent",
             "telesales_team_id": cls.team.id},
            {"name": "Agent Other", "user_id": cls.user_agent_other.id, "telesales_role": "agent",
             "telesales_team_id": cls.team_2.id},
        ])
        cls.emp_service = Employee.create({"name": "Service", "user_id": cls.user_service.id,
                                           "telesales_role": "service"})
        cls.emp_outsider = Employee.create({"name": "Outsider", "user_id": cls.user_outsider.id})
        cls.team.write({"user_id": cls.user_leader.id, "telesales_manager_id": cls.user_manager.id})
        cls.team_2.write({"user_id": cls.user_leader_2.id, "telesales_manager_id": cls.user_manager.id})

    @contextmanager
    def assertRaisesText(self, exception, text):
        """assertRaises (which rolls back to a savepoint) that also checks the message."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertIn(text, str(catcher.exception))
