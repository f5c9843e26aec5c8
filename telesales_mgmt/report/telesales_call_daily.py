from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.telesales_call import NOON


class TelesalesCallDaily(models.Model):
    """Daily figures per agent (每日销售数据, R-CALL-3): dialled, connected, effective,
    intent, deals, talk time, and the first call of the morning and after lunch."""

    _name = "telesales.call.daily"
    _description = "Daily Call Figures"
    _auto = False
    _rec_name = "date"
    _order = "date desc, connected desc"

    date = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", "Agent", readonly=True)
    employee_id = fields.Many2one("hr.employee", "Employee", readonly=True)
    team_id = fields.Many2one("crm.team", "Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    dialled = fields.Integer("Dialled", readonly=True)
    connected = fields.Integer("Connected", readonly=True)
    effective = fields.Integer("Effective", readonly=True)
    intent = fields.Integer("Intent", readonly=True)
    deals = fields.Integer("Deals", readonly=True)
    talk_seconds = fields.Integer("Talk Time (s)", readonly=True)
    corrected = fields.Integer(
        "Corrected", readonly=True,
        help="Calls whose times or outcome were corrected after they were logged (R-CALL-3).")
    talk_hours = fields.Float("Talk Time (h)", readonly=True, digits=(16, 2))
    first_call_morning = fields.Float("First Call (Morning)", readonly=True, aggregator="min")
    first_call_afternoon = fields.Float("First Call (Afternoon)", readonly=True, aggregator="min")

    # Grouped by day, agent and company only: grouping by team and employee too would
    # double the cost on a million calls. An agent who changes team during a day shows
    # under one of the two for that day.
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL(
            """
            CREATE OR REPLACE VIEW %(view)s AS (
                SELECT MIN(c.id) AS id,
                       c.call_date AS date,
                       c.user_id,
                       MIN(c.employee_id) AS employee_id,
                       MIN(c.team_id) AS team_id,
                       c.company_id,
                       COUNT(*) FILTER (WHERE c.direction = 'outbound') AS dialled,
                       COUNT(*) FILTER (WHERE c.is_connected) AS connected,
                       COUNT(*) FILTER (WHERE c.is_effective) AS effective,
                       COUNT(*) FILTER (WHERE c.outcome = 'intent') AS intent,
                       COUNT(*) FILTER (WHERE c.outcome = 'deal') AS deals,
                       COALESCE(SUM(c.talk_seconds), 0) AS talk_seconds,
                       COUNT(*) FILTER (WHERE c.corrected) AS corrected,
                       COALESCE(SUM(c.talk_seconds), 0) / 3600.0 AS talk_hours,
                       MIN(c.local_hour) FILTER (WHERE c.local_hour < %(noon)s) AS first_call_morning,
                       MIN(c.local_hour) FILTER (WHERE c.local_hour >= %(noon)s) AS first_call_afternoon
                  FROM telesales_call c
              GROUP BY c.call_date, c.user_id, c.company_id
            )
            """,
            view=SQL.identifier(self._table), noon=NOON))
