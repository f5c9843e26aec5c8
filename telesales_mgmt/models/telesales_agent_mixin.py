from odoo import fields, models


class TelesalesAgentMixin(models.AbstractModel):
    """Who a per-agent record is about: the agent (employee and user), their team and
    company. The record rules of these records read `user_id` and `team_id`."""

    _name = "telesales.agent.mixin"
    _description = "Telesales Per-Agent Record"

    employee_id = fields.Many2one(
        "hr.employee", "Agent", required=True, index=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", "User", required=True, index=True)
    team_id = fields.Many2one("crm.team", "Team", index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)

    def _agent_values(self, employee):
        """The mixin's fields for `employee`, as of now."""
        return {"employee_id": employee.id, "user_id": employee.user_id.id,
                "team_id": employee.telesales_team_id.id, "company_id": employee.company_id.id}
