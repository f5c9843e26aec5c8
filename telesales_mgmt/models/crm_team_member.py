from odoo import api, models
from odoo.exceptions import ValidationError


class CrmTeamMember(models.Model):
    _inherit = "crm.team.member"

    @api.constrains("crm_team_id", "user_id", "active")
    def _check_one_telesales_team(self):
        # Odoo allows several memberships per user when multi-team is enabled; the
        # department does not: an agent's leads, quotas and targets belong to one team.
        telesales = self.filtered(lambda m: m.active and m.crm_team_id.is_telesales)
        if not telesales:
            return
        groups = self.sudo()._read_group(
            [("user_id", "in", telesales.user_id.ids), ("active", "=", True),
             ("crm_team_id.is_telesales", "=", True)],
            ["user_id"], ["crm_team_id:array_agg"])
        for user, team_ids in groups:
            if len(team_ids) > 1:
                teams = self.env["crm.team"].sudo().browse(team_ids)
                raise ValidationError(self.env._(
                    "%(user)s cannot be in several telesales teams (%(teams)s): an agent "
                    "belongs to exactly one telesales team.",
                    user=user.name, teams=", ".join(teams.mapped("name"))))

    def write(self, vals):
        res = super().write(vals)
        if "active" in vals or "crm_team_id" in vals or "user_id" in vals:
            self.crm_team_id._check_telesales_leader_is_member()
        return res

    def unlink(self):
        teams = self.crm_team_id
        res = super().unlink()
        teams._check_telesales_leader_is_member()
        return res

