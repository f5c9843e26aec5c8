from odoo import api, fields, models


class TelesalesCommissionTier(models.Model):
    """One band of a commission plan's tier table."""

    _name = "telesales.commission.tier"
    _description = "Commission Tier"
    _order = "plan_id, lower, id"

    plan_id = fields.Many2one("telesales.commission.plan", required=True, ondelete="cascade", index=True)
    lower = fields.Float("From", required=True, help="Achievement in % of the target, or amount.")
    upper = fields.Float("Up To", help="Empty (0) on the last band: no upper bound.")
    rate = fields.Float("Rate (%)", required=True)

    def _compute_display_name(self):
        for tier in self:
            tier.display_name = f"{tier.lower:g}–{tier.upper:g}: {tier.rate:g}%" if tier.upper \
                else f"{tier.lower:g}+: {tier.rate:g}%"

    @api.constrains("lower", "upper", "rate")
    def _check_plan_table(self):
        self.plan_id._check_tiers()
