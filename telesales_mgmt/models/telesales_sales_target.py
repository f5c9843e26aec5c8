from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .telesales_commission_plan import DEAL_SOURCES


class TelesalesSalesTarget(models.Model):
    """An agent's sales target for a month (R-INC-1, R-KPI-1): what achievement is
    measured against. The manager breaks a year's plan down to them, leaders split their
    team's month among its agents (or enter them, or copy last month's)."""

    _name = "telesales.sales.target"
    _description = "Monthly Sales Target"
    _inherit = ["mail.thread"]
    _order = "month desc, user_id"

    user_id = fields.Many2one("res.users", "Agent", required=True, index=True)
    team_id = fields.Many2one("crm.team", "Team", compute="_compute_team_id", store=True)
    plan_id = fields.Many2one(
        "telesales.target.plan", "Annual Plan", index=True, ondelete="set null", readonly=True,
        help="The year's plan this target is part of (R-KPI-1): set for the targets of a month "
        "whose year has a plan.")
    month = fields.Date(required=True, index=True, help="Any day of the month; stored as its first day.")
    amount = fields.Monetary(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    # Live, on the commission basis: never stored, so a deal won a minute ago counts.
    achieved_amount = fields.Monetary("Achieved", compute="_compute_achievement",
                                      help="Sales of the month on the commission basis (R-KPI-1).")
    achievement = fields.Float("Achievement (%)", compute="_compute_achievement", digits=(16, 1))

    _user_month_uniq = models.Constraint("UNIQUE(user_id, month)", "An agent has one target a month.")
    _amount_positive = models.Constraint("CHECK(amount >= 0)", "A target cannot be negative.")

    @api.depends("user_id")
    def _compute_team_id(self):
        for target in self:
            target.team_id = target.user_id.sudo().employee_ids[:1].telesales_team_id

    @api.depends("user_id", "month", "amount", "plan_id.basis")
    def _compute_achievement(self):
        groups = defaultdict(lambda: self.browse())
        for target in self:
            basis = target.sudo().plan_id.basis or self._telesales_default_basis(target.company_id)
            groups[target.company_id, basis] |= target
        for (company, basis), targets in groups.items():
            months = [t.month for t in targets if t.month]
            achieved = self._telesales_achieved(
                company, basis, min(months), max(months) + relativedelta(months=1),
                targets.user_id) if months else {}
            for target in targets:
                target.achieved_amount = achieved.get((target.user_id.id, target.month), 0.0)
                target.achievement = (100.0 * target.achieved_amount / target.amount) if target.amount else 0.0

    @api.model_create_multi
    def create(self, vals_list):
        plans = {}
        for vals in vals_list:
            if vals.get("month"):
                vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)
                # A month whose year has a plan belongs to it: a leader's split is kept
                # within the team's month amount (R-KPI-1).
                if "plan_id" not in vals:
                    company = vals.get("company_id") or self.env.company.id
                    key = (company, vals["month"].year)
                    if key not in plans:
                        plans[key] = self.env["telesales.target.plan"].sudo().search(
                            [("company_id", "=", company), ("year", "=", vals["month"].year)], limit=1).id
                    vals["plan_id"] = plans[key]
        targets = super().create(vals_list)
        # A team the year's plan does not share out to keeps its targets outside the plan.
        targets.filtered(lambda t: t.plan_id and t.team_id not in t.plan_id.sudo().team_ids).sudo().write(
            {"plan_id": False})
        targets._telesales_check_team_split()
        return targets

    def write(self, vals):
        if "month" in vals and vals["month"]:
            vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)
        if not self.env.su and not self._telesales_is_planner() and self.filtered("plan_id") and \
                set(vals) - {"amount"}:
            raise UserError(self.env._(
                "Only the department manager moves a planned target to another agent, month or plan; "
                "a team leader changes its amount (R-KPI-1)."))
        result = super().write(vals)
        if {"amount", "user_id", "month", "plan_id"} & set(vals):
            self._telesales_check_team_split()
        return result

    def _telesales_is_planner(self):
        return self.env.user.has_group("telesales_mgmt.group_telesales_manager")

    def _telesales_check_team_split(self):
        """A team leader splits their team's month among its agents, never beyond the
        team's amount in the plan (R-KPI-1). The manager may leave a draft plan unbalanced
        (the plan shows it and refuses to be confirmed); a confirmed plan keeps its team
        amounts for everyone."""
        planned = self.filtered("plan_id")
        if not planned:
            return
        if self._telesales_is_planner():
            planned = planned.filtered(lambda t: t.plan_id.sudo().state == "confirmed")
        if not planned:
            return
        keys = {(t.plan_id.id, t.team_id.id, t.month) for t in planned if t.team_id}
        plans = planned.plan_id.sudo()
        allowed = {(line.plan_id.id, line.team_id.id, line.month): line.amount
                   for line in plans.team_line_ids}
        # Totals of the whole team, also of the targets this user cannot read.
        totals = {(plan.id, team.id, month): amount for plan, team, month, amount in self.sudo()._read_group(
            [("plan_id", "in", plans.ids), ("team_id", "in", list({key[1] for key in keys}))],
            ["plan_id", "team_id", "month:day"], ["amount:sum"])}
        currency = planned[:1].currency_id
        for key in sorted(keys, key=str):
            total, limit = totals.get(key, 0.0), allowed.get(key, 0.0)
            if currency.compare_amounts(total, limit) > 0:
                raise UserError(self.env._(
                    "The agents' targets of team %(team)s for %(month)s add up to %(total)s, more than the "
                    "team's %(limit)s in the plan: field Amount, rule R-KPI-1.",
                    team=self.env["crm.team"].sudo().browse(key[1]).name or "-",
                    month=key[2].strftime("%Y-%m"), total=currency.format(total), limit=currency.format(limit)))

    @api.model
    def _telesales_default_basis(self, company):
        """The sales counted where no plan says: the company's first commission plan's."""
        plan = self.env["telesales.commission.plan"].sudo().search([("company_id", "=", company.id)], limit=1)
        return plan.basis or "won_revenue"

    @api.model
    def _telesales_achieved(self, company, basis, date_from, date_to, users=None):
        """{(user id, first day of month): sales} of the deals won in [date_from, date_to)
        on the commission basis `basis` (`DEAL_SOURCES`: won opportunities or confirmed
        orders, in company currency), each for whoever won it; `users` limits the agents.
        One aggregate query, whatever the number of deals."""
        source = DEAL_SOURCES[basis]
        self.env[source.model].flush_model()
        user_filter = SQL("AND d.telesales_won_user_id = ANY(%s)", users.ids) if users is not None else SQL()
        self.env.cr.execute(SQL("""
            SELECT d.telesales_won_user_id, date_trunc('month', d.telesales_won_date)::date, SUM(%(amount)s)
              FROM %(table)s d
             WHERE %(counted)s AND d.telesales_won_user_id IS NOT NULL
               AND d.telesales_won_date >= %(start)s AND d.telesales_won_date < %(end)s
               AND (d.company_id = %(company)s OR d.company_id IS NULL) %(users)s
          GROUP BY 1, 2
        """, amount=SQL(source.amount), table=SQL.identifier(source.table), counted=SQL(source.counted),
            start=date_from, end=date_to, company=company.id, users=user_filter))
        return {(user, month): float(total or 0.0) for user, month, total in self.env.cr.fetchall()}

    @api.model
    def action_copy_last_month(self, month=None):
        """Each agent's target of last month, for this month where none is set yet."""
        month = (fields.Date.to_date(month) if month else fields.Date.context_today(self)).replace(day=1)
        previous = self.search([("month", "=", month - relativedelta(months=1))])
        have = set(self.search([("month", "=", month)]).user_id.ids)
        return self.create([{"user_id": target.user_id.id, "month": month, "amount": target.amount,
                             "company_id": target.company_id.id}
                            for target in previous if target.user_id.id not in have])
