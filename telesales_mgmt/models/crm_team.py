from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmTeam(models.Model):
    """A sales team of the telesales department (销售小组, R-ORG-1). Its leader is Odoo's
    own team leader (`user_id`) and its members Odoo's own memberships; the employees'
    telesales profile follows them."""

    _inherit = "crm.team"

    is_telesales = fields.Boolean(
        "Telesales Team", tracking=True,
        help="Team of the telesales department: its members are telesales agents and "
        "the department's rules (allocation, attendance, commission) apply to it. Its "
        "Team Leader (销售组长) must be one of its members.")
    telesales_manager_id = fields.Many2one(
        "res.users", "Department Manager", tracking=True,
        domain=lambda self: [("share", "=", False), (
            "all_group_ids", "in", self.env.ref("telesales_mgmt.group_telesales_manager").ids)],
        help="Department manager the team reports to: approves further calls and sees "
        "the team's figures.")
    telesales_weight = fields.Integer(
        "Allocation Weight", default=1,
        help="Share of the department's leads this team receives against the others (R-LEAD-2).")
    telesales_employee_ids = fields.One2many(
        "hr.employee", "telesales_team_id", "Telesales Staff")
    telesales_agent_count = fields.Integer(
        "Agents", compute="_compute_telesales_agent_count")

    _check_weight = models.Constraint(
        "CHECK(telesales_weight >= 0)", "A team's allocation weight cannot be negative.")

    @api.depends("telesales_employee_ids.telesales_role")
    def _compute_telesales_agent_count(self):
        counts = dict(self.env["hr.employee"].sudo()._read_group(
            [("telesales_team_id", "in", self.ids), ("telesales_role", "=", "agent")],
            ["telesales_team_id"], ["__count"]))
        for team in self:
            team.telesales_agent_count = counts.get(team, 0)

    @api.constrains("user_id", "is_telesales")
    def _check_telesales_leader_is_member(self):
        for team in self.filtered(lambda t: t.is_telesales and t.user_id):
            if team.user_id not in team.sudo().crm_team_member_ids.user_id:
                raise ValidationError(self.env._(
                    "Team leader %(leader)s must be a member of team %(team)s "
                    "(R-ORG-1: each team's leader belongs to the team).",
                    leader=team.user_id.name, team=team.name))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("is_telesales"):
                vals["assignment_optout"] = True
        return super().create(vals_list)

    def write(self, vals):
        # Odoo's own lead assignment would fight ours: telesales teams opt out of it.
        if vals.get("is_telesales"):
            vals["assignment_optout"] = True
        return super().write(vals)

    def action_view_telesales_staff(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "telesales_mgmt.hr_employee_public_action_telesales")
        action["domain"] = [("telesales_team_id", "=", self.id)]
        return action
