from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..engines.commission import band_reached


class TelesalesCommissionStatement(models.Model):
    """An agent's commission for a month (R-INC-1): the deals counted, each as a line
    linked to its opportunity, the achievement, the tier reached and the commission.
    Draft statements are computed again at will; a confirmed one never changes: a deal
    lost after it was confirmed comes back as a negative line on the next statement."""

    _name = "telesales.commission.statement"
    _description = "Commission Statement"
    _inherit = ["mail.thread"]
    _order = "month desc, user_id"

    user_id = fields.Many2one("res.users", "Agent", required=True, index=True)
    team_id = fields.Many2one("crm.team", "Team")
    month = fields.Date(required=True, index=True)
    plan_id = fields.Many2one("telesales.commission.plan", "Plan", required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed"), ("paid", "Paid")],
        default="draft", required=True, tracking=True, index=True)
    line_ids = fields.One2many("telesales.commission.line", "statement_id", "Deals")
    sales_total = fields.Monetary("Sales", help="Deals won this month, less clawbacks.")
    target = fields.Monetary()
    achievement = fields.Float("Achievement (%)", digits=(16, 1))
    tier = fields.Char("Tier Reached")
    commission = fields.Monetary(tracking=True)

    _user_month_uniq = models.Constraint("UNIQUE(user_id, month)", "An agent has one statement a month.")

    def action_confirm(self):
        if not self.env.user.has_group("telesales_mgmt.group_telesales_manager"):
            raise UserError(self.env._("Only the department manager confirms commission statements."))
        self.filtered(lambda s: s.state == "draft").write({"state": "confirmed"})

    def action_paid(self):
        self.action_confirm()
        self.write({"state": "paid"})

    def action_recompute(self):
        for month in set(self.mapped("month")):
            self._compute_month(month, self.filtered(lambda s: s.month == month).user_id)

    @api.model
    def _cron_compute(self):
        """Last month's and this month's statements, drafts only."""
        today = fields.Date.context_today(self).replace(day=1)
        for month in (today - relativedelta(months=1), today):
            self._compute_month(month)

    @api.model
    def _compute_month(self, month, users=None):
        """Compute the month's draft statements of every agent with a plan (or `users`):
        one aggregation for the totals, one insert for the lines."""
        month = fields.Date.to_date(month).replace(day=1)
        end = month + relativedelta(months=1)
        Statement = self.sudo().with_context(tracking_disable=True)
        plans = self.env["telesales.commission.plan"].sudo().search([])
        plan_of = {user.id: plan for plan in plans for user in plan._agents()}
        if users is not None:
            plan_of = {user: plan for user, plan in plan_of.items() if user in users.ids}
        existing = {s.user_id.id: s for s in Statement.search([("month", "=", month), ("user_id", "in", list(plan_of))])}
        todo = [user for user in plan_of if existing.get(user, Statement).state in (False, "draft")]
        if not todo:
            return Statement
        drafts = Statement.browse([existing[user].id for user in todo if user in existing])
        drafts.line_ids.unlink()
        drafts |= Statement.create([{"user_id": user, "month": month, "plan_id": plan_of[user].id,
                                     "company_id": plan_of[user].company_id.id}
                                    for user in todo if user not in existing])
        by_user = {statement.user_id.id: statement for statement in drafts}
        self.env.flush_all()
        # Deals won this month by the agent who owned them then; each counted once per plan.
        self.env.cr.execute(SQL("""
            INSERT INTO telesales_commission_line (statement_id, plan_id, lead_id, date, amount)
            SELECT v.statement_id, v.plan_id, l.id, l.telesales_won_date, COALESCE(l.expected_revenue, 0)
              FROM unnest(%(users)s::int[], %(statements)s::int[], %(plans)s::int[]) AS v(user_id, statement_id, plan_id)
              JOIN crm_lead l ON l.telesales_won_user_id = v.user_id
             WHERE l.won_status = 'won' AND l.telesales_won_date >= %(start)s AND l.telesales_won_date < %(end)s
               AND NOT EXISTS (SELECT 1 FROM telesales_commission_line c
                                WHERE c.lead_id = l.id AND c.plan_id = v.plan_id AND c.amount > 0)
        """, users=todo, statements=[by_user[u].id for u in todo], plans=[plan_of[u].id for u in todo],
            start=month, end=end))
        # Deals of confirmed statements lost since: clawed back once, on this statement.
        self.env.cr.execute(SQL("""
            INSERT INTO telesales_commission_line (statement_id, plan_id, lead_id, date, amount, clawback_of_id)
            SELECT v.statement_id, c.plan_id, c.lead_id, %(start)s, -c.amount, c.id
              FROM unnest(%(users)s::int[], %(statements)s::int[]) AS v(user_id, statement_id)
              JOIN telesales_commission_statement s ON s.user_id = v.user_id AND s.month < %(start)s
                                                   AND s.state IN ('confirmed', 'paid')
              JOIN telesales_commission_line c ON c.statement_id = s.id AND c.amount > 0
              JOIN crm_lead l ON l.id = c.lead_id
             WHERE l.won_status != 'won'
               AND NOT EXISTS (SELECT 1 FROM telesales_commission_line k WHERE k.clawback_of_id = c.id)
        """, users=todo, statements=[by_user[u].id for u in todo], start=month))
        self.env.invalidate_all()
        totals = dict(self.env["telesales.commission.line"].sudo()._read_group(
            [("statement_id", "in", drafts.ids)], ["statement_id"], ["amount:sum"]))
        targets = {t.user_id.id: t.amount for t in self.env["telesales.sales.target"].sudo().search(
            [("month", "=", month), ("user_id", "in", todo)])}
        teams = {e.user_id.id: e.telesales_team_id.id for e in self.env["hr.employee"].sudo().search(
            [("user_id", "in", todo)])}
        for statement in drafts:
            user, plan = statement.user_id.id, statement.plan_id
            total, target = totals.get(statement, 0.0), targets.get(user, 0.0)
            reached = band_reached(total, target, plan._bands(), plan.measure)
            statement.write({
                "team_id": teams.get(user, False), "sales_total": total, "target": target,
                "achievement": total * 100.0 / target if target else 0.0,
                "tier": plan.tier_ids.sorted("lower")[reached].display_name if reached is not None else False,
                "commission": plan._commission(total, target),
            })
        return drafts
