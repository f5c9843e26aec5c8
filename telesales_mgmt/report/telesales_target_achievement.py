from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.telesales_commission_plan import DEAL_SOURCES


class TelesalesTargetAchievement(models.Model):
    """Each agent's monthly target against what they sold (R-KPI-1), live: one row per
    `telesales.sales.target`, its sales on the commission basis of its plan (or the
    company's first commission plan) summed in SQL, for pivot and graph by team, agent
    and month. An SQL view rather than computed fields, because pivot and graph group
    and sum stored columns; the forms show the same figures as non-stored fields."""

    _name = "telesales.target.achievement"
    _description = "Sales Target Achievement"
    _auto = False
    _order = "month desc, user_id"
    _depends = {
        "telesales.sales.target": ["user_id", "team_id", "month", "amount", "company_id", "plan_id"],
        "telesales.target.plan": ["basis"],
        "telesales.commission.plan": ["basis", "company_id", "active", "sequence"],
        "crm.lead": ["telesales_won_user_id", "telesales_won_date", "won_status", "expected_revenue", "company_id"],
        "sale.order": ["telesales_won_user_id", "telesales_won_date", "state", "amount_untaxed", "margin",
                       "currency_rate", "company_id"],
    }

    target_id = fields.Many2one("telesales.sales.target", "Sales Target", readonly=True)
    plan_id = fields.Many2one("telesales.target.plan", "Annual Plan", readonly=True)
    month = fields.Date(readonly=True, help="First day of the month.")
    user_id = fields.Many2one("res.users", "Agent", readonly=True)
    team_id = fields.Many2one("crm.team", "Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    basis = fields.Selection(selection=lambda self: self.env["telesales.commission.plan"]._fields["basis"]
                             ._description_selection(self.env), string="Sales Counted", readonly=True)
    target_amount = fields.Monetary("Target", readonly=True)
    achieved_amount = fields.Monetary("Achieved", readonly=True)
    difference = fields.Monetary(readonly=True, help="Achieved minus target.")
    achievement = fields.Float("Achievement (%)", readonly=True, aggregator="avg", digits=(16, 1),
                               help="Of each target; grouped, the average of the agents' percentages.")

    def _deals(self):
        """Each basis' deals of the target row t, as UNION ALL branches (DEAL_SOURCES)."""
        return SQL(" UNION ALL ").join(SQL("""
            SELECT %(amount)s AS amount FROM %(table)s d
             WHERE t.basis = %(basis)s AND %(counted)s AND d.telesales_won_user_id = t.user_id
               AND d.telesales_won_date >= t.month AND d.telesales_won_date < (t.month + INTERVAL '1 month')::date
               AND (d.company_id = t.company_id OR d.company_id IS NULL)
        """, amount=SQL(source.amount), table=SQL.identifier(source.table), basis=basis,
            counted=SQL(source.counted)) for basis, source in DEAL_SOURCES.items())

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("""
            CREATE OR REPLACE VIEW %(view)s AS (
                WITH t AS (
                    SELECT t.id, t.month, t.user_id, t.team_id, t.company_id, t.plan_id, t.amount,
                           COALESCE(p.basis, (SELECT cp.basis FROM telesales_commission_plan cp
                                               WHERE cp.company_id = t.company_id AND cp.active
                                               ORDER BY cp.sequence, cp.id LIMIT 1), 'won_revenue') AS basis
                      FROM telesales_sales_target t
                      LEFT JOIN telesales_target_plan p ON p.id = t.plan_id
                )
                SELECT t.id, t.id AS target_id, t.plan_id, t.month, t.user_id, t.team_id, t.company_id, t.basis,
                       t.amount AS target_amount, COALESCE(a.achieved, 0) AS achieved_amount,
                       COALESCE(a.achieved, 0) - t.amount AS difference,
                       CASE WHEN t.amount > 0 THEN 100.0 * COALESCE(a.achieved, 0) / t.amount ELSE 0 END
                           AS achievement
                  FROM t
                  LEFT JOIN LATERAL (SELECT SUM(x.amount) AS achieved FROM (%(deals)s) x) a ON TRUE
            )
        """, view=SQL.identifier(self._table), deals=self._deals()))
