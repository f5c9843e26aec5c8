from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.crm_lead import won_deal_sql


class TelesalesSalesLeaderboard(models.Model):
    """Each month's sales ranking (R-INC-2), live: won deals of each agent (the deals every
    screen counts, crm_lead.WON_DEAL_DOMAIN; one without a company counts in its agent's),
    their place in the department and in their team. Places follow the honour titles' tie rule
    (more deals, then the earlier last deal, then the lower user id), so first place
    is the month's Sales Star. Shown to the whole department, like the board on the wall."""

    _name = "telesales.sales.leaderboard"
    _description = "Sales Leaderboard"
    _auto = False
    _order = "month desc, department_place"
    _depends = {
        "crm.lead": ["telesales_won_user_id", "telesales_won_date", "won_status", "expected_revenue", "company_id"],
        "res.users": ["company_id"],
        "hr.employee": ["user_id", "telesales_team_id", "company_id", "active"],
    }

    month = fields.Date(readonly=True, help="First day of the month.")
    user_id = fields.Many2one("res.users", "Agent", readonly=True)
    team_id = fields.Many2one("crm.team", "Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    sales_total = fields.Monetary("Sales", readonly=True)
    deal_count = fields.Integer("Deals", readonly=True)
    last_deal_date = fields.Date("Last Deal", readonly=True)
    department_place = fields.Integer("Place", readonly=True, aggregator="min")
    team_place = fields.Integer("Place in Team", readonly=True, aggregator="min")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("""
            CREATE OR REPLACE VIEW %(view)s AS (
                WITH sales AS (
                    SELECT date_trunc('month', l.telesales_won_date)::date AS month,
                           l.telesales_won_user_id AS user_id, COALESCE(l.company_id, u.company_id) AS company_id,
                           SUM(COALESCE(l.expected_revenue, 0)) AS sales_total,
                           COUNT(*) AS deal_count, MAX(l.telesales_won_date) AS last_deal_date
                      FROM crm_lead l
                      JOIN res_users u ON u.id = l.telesales_won_user_id
                     WHERE %(won)s
                  GROUP BY 1, 2, 3
                ), placed AS (
                    SELECT s.*, e.telesales_team_id AS team_id,
                           ROW_NUMBER() OVER (PARTITION BY s.month, s.company_id
                                              ORDER BY s.sales_total DESC, s.deal_count DESC,
                                                       s.last_deal_date, s.user_id) AS department_place,
                           ROW_NUMBER() OVER (PARTITION BY s.month, s.company_id, e.telesales_team_id
                                              ORDER BY s.sales_total DESC, s.deal_count DESC,
                                                       s.last_deal_date, s.user_id) AS team_place
                      FROM sales s
                      LEFT JOIN LATERAL (
                          SELECT telesales_team_id FROM hr_employee
                           WHERE user_id = s.user_id AND active AND company_id = s.company_id
                           ORDER BY id LIMIT 1) e ON TRUE
                )
                SELECT ROW_NUMBER() OVER (ORDER BY month, user_id, company_id) AS id, * FROM placed
            )
        """, view=SQL.identifier(self._table), won=won_deal_sql("l")))
