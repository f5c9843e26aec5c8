from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class TelesalesSalesTarget(models.Model):
    """An agent's sales target for a month (R-INC-1): what achievement is measured
    against. Leaders enter them, or copy last month's."""

    _name = "telesales.sales.target"
    _description = "Monthly Sales Target"
    _inherit = ["mail.thread"]
    _order = "month desc, user_id"

    user_id = fields.Many2one("res.users", "Agent", required=True, index=True)
    team_id = fields.Many2one("crm.team", "Team", compute="_compute_team_id", store=True)
    month = fields.Date(required=True, index=True, help="Any day of the month; stored as its first day.")
    amount = fields.Monetary(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")

    _user_month_uniq = models.Constraint("UNIQUE(user_id, month)", "An agent has one target a month.")
    _amount_positive = models.Constraint("CHECK(amount >= 0)", "A target cannot be negative.")

    @api.depends("user_id")
    def _compute_team_id(self):
        for target in self:
            target.team_id = target.user_id.sudo().employee_ids[:1].telesales_team_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("month"):
                vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)
        return super().create(vals_list)

    @api.model
    def action_copy_last_month(self, month=None):
        """Each agent's target of last month, for this month where none is set yet."""
        month = (fields.Date.to_date(month) if month else fields.Date.context_today(self)).replace(day=1)
        previous = self.search([("month", "=", month - relativedelta(months=1))])
        have = set(self.search([("month", "=", month)]).user_id.ids)
        return self.create([{"user_id": target.user_id.id, "month": month, "amount": target.amount,
                             "company_id": target.company_id.id}
                            for target in previous if target.user_id.id not in have])
