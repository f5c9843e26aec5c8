from odoo import api, fields, models


class TelesalesAgentMixin(models.AbstractModel):
    """Who a per-agent record is about: the agent (employee and user), their team and
    company, as they were when the record was written: a later team change leaves the
    record under the leader it was written for. The record rules of these records read
    `user_id` and `team_id`."""

    _name = "telesales.agent.mixin"
    _description = "Telesales Per-Agent Record"

    employee_id = fields.Many2one(
        "hr.employee", "Agent", required=True, index=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", "User", required=True, index=True)
    team_id = fields.Many2one("crm.team", "Team", index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)

    @api.model_create_multi
    def create(self, vals_list):
        # A caller that names only the employee gets the snapshot of now.
        Employee = self.env["hr.employee"].sudo()
        vals_list = [{**self._agent_values(Employee.browse(vals["employee_id"])), **vals}
                     if vals.get("employee_id") else vals for vals in vals_list]
        return super().create(vals_list)

    def write(self, vals):
        # Another employee: the snapshot follows them, as of now.
        if vals.get("employee_id"):
            vals = {**self._agent_values(self.env["hr.employee"].sudo().browse(vals["employee_id"])), **vals}
        return super().write(vals)

    def _agent_values(self, employee):
        """The mixin's fields for `employee`, as of now."""
        return {"employee_id": employee.id, "user_id": employee.user_id.id,
                "team_id": employee.telesales_team_id.id, "company_id": employee.company_id.id}
