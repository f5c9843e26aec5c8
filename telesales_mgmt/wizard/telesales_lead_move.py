from odoo import api, fields, models
from odoo.exceptions import UserError


class TelesalesLeadMove(models.TransientModel):
    """A leader moves leads to another agent of their team, or back to the pool; the
    manager anywhere (R-LEAD-6). Through the one door, so the cool-down, the
    do-not-call list and the allocation log hold here too."""

    _name = "telesales.lead.move"
    _description = "Move Telesales Leads"

    @api.model
    def _default_reason(self):
        if self.env.context.get("default_to_pool"):
            return self.env._("Pulled back to the pool by %(user)s", user=self.env.user.name)
        return self.env._("Moved by %(user)s", user=self.env.user.name)

    lead_ids = fields.Many2many("crm.lead", string="Leads", required=True)
    to_pool = fields.Boolean(
        "Back to the Pool", help="The leads lose their team and agent and go back to the shared pool.")
    team_id = fields.Many2one("crm.team", "To Team", domain=[("is_telesales", "=", True)])
    user_id = fields.Many2one(
        "res.users", "To Agent", domain="[('crm_team_ids', 'in', team_id)]",
        help="Empty: the team's leads without an agent, for the next allocation.")
    reason = fields.Char(required=True, default=lambda self: self._default_reason())

    @api.onchange("team_id")
    def _onchange_team_id(self):
        if self.user_id and self.user_id not in self.team_id.crm_team_member_ids.user_id:
            self.user_id = False

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        leads = self.env["crm.lead"].browse(self.env.context.get("active_ids", []))
        values.setdefault("lead_ids", [fields.Command.set(leads.ids)])
        if len(leads.team_id) == 1:
            values.setdefault("team_id", leads.team_id.id)
        return values

    def action_move(self):
        self.ensure_one()
        self._check_rights()
        if not self.to_pool and not self.team_id:
            raise UserError(self.env._("Choose the team the leads go to, or send them back to the pool."))
        if self.user_id and self.user_id not in self.team_id.crm_team_member_ids.user_id:
            raise UserError(self.env._("%(user)s is not a member of team %(team)s.",
                                       user=self.user_id.name, team=self.team_id.name))
        team, user = (False, False) if self.to_pool else (self.team_id.id, self.user_id.id)
        self.lead_ids._telesales_assign(team_id=team, user_id=user, level="manual", reason=self.reason)
        return {"type": "ir.actions.act_window_close"}

    def _check_rights(self):
        if self.env.user.has_group("telesales_mgmt.group_telesales_manager"):
            return
        if not self.env.user.has_group("telesales_mgmt.group_telesales_leader"):
            raise UserError(self.env._("Only team leaders and the department manager move leads."))
        teams = self.lead_ids.team_id | self.team_id
        foreign = teams.filtered(lambda team: team.user_id != self.env.user)
        if foreign:
            raise UserError(self.env._(
                "A team leader moves leads within their own team only; %(teams)s is not yours.",
                teams=", ".join(foreign.mapped("name"))))
