from odoo import api, fields, models

LEVELS = [("quarter", "Quarter"), ("month", "Month"), ("team", "Team × Month")]


class TelesalesTargetPlanLine(models.Model):
    """One amount of a year's plan (R-KPI-1) on one level: a quarter, a month, or a team's
    month. The agents' months are `telesales.sales.target` records of the plan, the level
    below the team's. Each line shows what the level below adds up to and the difference."""

    _name = "telesales.target.plan.line"
    _description = "Sales Target Plan Line"
    _order = "plan_id, level, month, quarter, team_id"

    plan_id = fields.Many2one("telesales.target.plan", "Plan", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    level = fields.Selection(LEVELS, required=True, readonly=True)
    quarter = fields.Integer(readonly=True, help="1 to 4; on months and team months, the month's quarter.")
    month = fields.Date(readonly=True, help="First day of the month (months and team months).")
    team_id = fields.Many2one("crm.team", "Team", readonly=True, index=True)
    amount = fields.Monetary("Target", required=True)
    # What the level below adds up to, and the achievement: live, never stored.
    breakdown_amount = fields.Monetary(
        "Level Below", compute="_compute_breakdown",
        help="Months of a quarter, teams of a month, agents of a team's month.")
    difference = fields.Monetary(compute="_compute_breakdown",
                                 help="Level below minus this target: must be zero to confirm (R-KPI-1).")
    achieved_amount = fields.Monetary("Achieved", compute="_compute_achievement")
    achievement = fields.Float("Achievement (%)", compute="_compute_achievement", digits=(16, 1))

    _amount_positive = models.Constraint("CHECK(amount >= 0)", "A target cannot be negative.")
    _quarter_range = models.Constraint("CHECK(quarter BETWEEN 1 AND 4)", "A quarter is 1 to 4.")

    @api.depends("amount", "plan_id.line_ids.amount", "plan_id.target_ids.amount")
    def _compute_breakdown(self):
        for plan in self.plan_id:
            sums = plan._telesales_level_sums()
            for line in self.filtered(lambda line, plan=plan: line.plan_id == plan):
                line.breakdown_amount = sums.get(line._telesales_key(), 0.0)
                line.difference = line.currency_id.round(line.breakdown_amount - line.amount)
        (self - self.filtered("plan_id")).update({"breakdown_amount": 0.0, "difference": 0.0})

    @api.depends("amount", "plan_id.basis")
    def _compute_achievement(self):
        for plan in self.plan_id:
            achieved = plan._telesales_achieved_by_key()
            for line in self.filtered(lambda line, plan=plan: line.plan_id == plan):
                line.achieved_amount = achieved.get(line._telesales_key(), 0.0)
                line.achievement = 100.0 * line.achieved_amount / line.amount if line.amount else 0.0
        (self - self.filtered("plan_id")).update({"achieved_amount": 0.0, "achievement": 0.0})

    @api.depends("level", "quarter", "month", "team_id")
    def _compute_display_name(self):
        for line in self:
            if line.level == "quarter":
                line.display_name = f"Q{line.quarter}"
            elif line.level == "month":
                line.display_name = line.month and line.month.strftime("%Y-%m")
            else:
                line.display_name = f"{line.team_id.name} {line.month and line.month.strftime('%Y-%m')}"

    def _telesales_key(self):
        self.ensure_one()
        if self.level == "quarter":
            return ("quarter", self.quarter)
        if self.level == "month":
            return ("month", self.month)
        return ("team", self.team_id.id, self.month)

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.plan_id._telesales_check_draft()
        return lines

    def write(self, vals):
        self.check_access("write")
        self.plan_id._telesales_check_draft()
        return super().write(vals)

    def unlink(self):
        self.check_access("unlink")
        self.plan_id._telesales_check_draft()
        return super().unlink()

