from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmTeam(models.Model):
    """A sales team of the telesales department (销售小组, R-ORG-1). Members stay Odoo's
    own `crm.team.member` records; the employees' telesales profile follows them."""

    _inherit = "crm.team"

    is_telesales = fields.Boolean(
        "Telesales Team", tracking=True,
        help="Team of the telesales department: its members are telesales agents and "
        "the department's rules (allocation, attendance, commission) apply to it.")
    telesales_leader_id = fields.Many2one(
        "hr.employee", "Telesales Team Leader (组长)", tracking=True, check_company=True,
        help="Team leader (销售组长): must be a member of this team. Their user becomes "
        "the CRM team leader.")
    telesales_manager_id = fields.Many2one(
        "hr.employee", "Department Manager (部门经理)", tracking=True, check_company=True,
        help="Department manager the team reports to.")
    telesales_employee_ids = fields.One2many(
        "hr.employee", "telesales_team_id", "Telesales Staff")
    telesales_agent_count = fields.Integer(
        "Agents", compute="_compute_telesales_agent_count")

    @api.depends("telesales_employee_ids.telesales_role")
    def _compute_telesales_agent_count(self):
        counts = dict(self.env["hr.employee"]._read_group(
            [("telesales_team_id", "in", self.ids), ("telesales_role", "=", "agent")],
            ["telesales_team_id"], ["__count"]))
        for team in self:
            team.telesales_agent_count = counts.get(team, 0)

    @api.onchange("telesales_leader_id")
    def _onchange_telesales_leader_id(self):
        if self.telesales_leader_id.user_id:
            self.user_id = self.telesales_leader_id.user_id

    @api.model_create_multi
    def create(self, vals_list):
        self._leader_user_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._leader_user_vals([vals])
        return super().write(vals)

    @api.model
    def _leader_user_vals(self, vals_list):
        # The CRM "Team Leader" user is the telesales leader's user: one truth, two views.
        for vals in vals_list:
            if vals.get("telesales_leader_id"):
                leader = self.env["hr.employee"].browse(vals["telesales_leader_id"])
                if leader.sudo().user_id:
                    vals["user_id"] = leader.sudo().user_id.id

    @api.constrains("telesales_leader_id", "is_telesales")
    def _check_telesales_leader_is_member(self):
        for team in self.filtered("telesales_leader_id"):
            leader = team.telesales_leader_id.sudo()
            if not team.is_telesales:
                raise ValidationError(self.env._(
                    "Team %(team)s has a telesales leader but is not a telesales team: "
                    "tick 'Telesales Team' or remove the leader.", team=team.name))
            if leader.telesales_team_id != team:
                raise ValidationError(self.env._(
                    "Team leader %(leader)s must be a member of team %(team)s "
                    "(R-ORG-1: each team's leader belongs to the team).",
                    leader=leader.name, team=team.name))

    def action_view_telesales_staff(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "telesales_mgmt.hr_employee_public_action_telesales")
        action["domain"] = [("telesales_team_id", "=", self.id)]
        action["context"] = {"default_telesales_team_id": self.id}
        return action
