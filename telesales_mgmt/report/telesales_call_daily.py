from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.crm_lead import won_deal_sql
from ..models.telesales_call import NOON

# R-CALL-6: a new agent's target is one deal a day.
TRAINEE_DAILY_DEALS = 1


class TelesalesCallDaily(models.Model):
    """Daily figures per agent (每日销售数据, R-CALL-3): dialled, connected, effective,
    intent, deals, talk time, and the first call of the morning and after lunch; for a
    trainee, whether the new agent's target of one deal a day was met (R-CALL-6).

    The deal target lives here rather than on the daily minimum result: it is a figure
    of the day's calls, live during the day, for trainees only, while the minimum is a
    judgement the cron records at the cut-off with the overtime it costs."""

    _name = "telesales.call.daily"
    _description = "Daily Call Figures"
    _auto = False
    _rec_name = "date"
    _order = "date desc, connected desc"
    _depends = {
        "telesales.call": ["call_date", "user_id", "employee_id", "team_id", "company_id", "direction",
                           "is_connected", "is_effective", "outcome", "talk_seconds", "corrected", "local_hour"],
        "crm.lead": ["won_status", "telesales_won_user_id", "telesales_won_date", "company_id"],
        "hr.employee": ["telesales_role", "telesales_live_date", "telesales_team_id", "user_id", "company_id"],
    }

    date = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", "Agent", readonly=True)
    employee_id = fields.Many2one("hr.employee", "Employee", readonly=True)
    team_id = fields.Many2one("crm.team", "Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    dialled = fields.Integer("Dialled", readonly=True)
    connected = fields.Integer("Connected", readonly=True)
    effective = fields.Integer("Effective", readonly=True)
    intent = fields.Integer("Intent", readonly=True)
    deals = fields.Integer(
        "Deals", readonly=True,
        help="Opportunities won that day, counted for the agent who owned them (R-CALL-3): the same "
        "deals as the leaderboard and the commission statement. A call logged as Deal wins its "
        "opportunity.")
    talk_seconds = fields.Integer("Talk Time (s)", readonly=True)
    corrected = fields.Integer(
        "Corrected", readonly=True,
        help="Calls whose times or outcome were corrected after they were logged (R-CALL-3).")
    talk_hours = fields.Float("Talk Time (h)", readonly=True, digits=(16, 2))
    first_call_morning = fields.Float("First Call (Morning)", readonly=True, aggregator="min")
    first_call_afternoon = fields.Float("First Call (Afternoon)", readonly=True, aggregator="min")
    is_trainee = fields.Boolean(
        "Trainee", readonly=True,
        help="A new agent that day: not live yet, or going live after it (R-CALL-6).")
    deal_target_met = fields.Boolean(
        "Deal Target Met", readonly=True,
        help="A trainee's target is one deal a day (R-CALL-6); empty for live agents.")

    # Grouped by day, agent and company only: grouping by team and employee too would
    # double the cost on a million calls. An agent who changes team during a day shows
    # under one of the two for that day. Deals are won opportunities (crm_lead.
    # WON_DEAL_DOMAIN) on the day they were won, for whoever won them, added to the calls
    # before grouping (UNION ALL, so that a filter on agent and day reaches both tables'
    # indexes); a day with a deal and no call has its row too (id: minus its first
    # lead's). The employee is joined after grouping (one row per agent and day), for the
    # trainee's deal target.
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL(
            """
            CREATE OR REPLACE VIEW %(view)s AS (
              SELECT d.*,
                     COALESCE(e.telesales_role = 'agent'
                              AND (e.telesales_live_date IS NULL OR e.telesales_live_date > d.date), FALSE)
                         AS is_trainee,
                     COALESCE(e.telesales_role = 'agent'
                              AND (e.telesales_live_date IS NULL OR e.telesales_live_date > d.date)
                              AND d.deals >= %(deal_target)s, FALSE) AS deal_target_met
                FROM (
                SELECT COALESCE(MIN(x.call_id), -MIN(x.lead_id)) AS id,
                       x.date,
                       x.user_id,
                       MIN(x.employee_id) AS employee_id,
                       MIN(x.team_id) AS team_id,
                       x.company_id,
                       COUNT(*) FILTER (WHERE x.direction = 'outbound') AS dialled,
                       COUNT(*) FILTER (WHERE x.is_connected) AS connected,
                       COUNT(*) FILTER (WHERE x.is_effective) AS effective,
                       COUNT(*) FILTER (WHERE x.outcome = 'intent') AS intent,
                       COUNT(x.lead_id) AS deals,
                       COALESCE(SUM(x.talk_seconds), 0) AS talk_seconds,
                       COUNT(*) FILTER (WHERE x.corrected) AS corrected,
                       COALESCE(SUM(x.talk_seconds), 0) / 3600.0 AS talk_hours,
                       MIN(x.local_hour) FILTER (WHERE x.local_hour < %(noon)s) AS first_call_morning,
                       MIN(x.local_hour) FILTER (WHERE x.local_hour >= %(noon)s) AS first_call_afternoon
                  FROM (
                    SELECT c.id AS call_id, NULL::integer AS lead_id, c.call_date AS date, c.user_id,
                           c.employee_id, c.team_id, c.company_id, c.direction, c.is_connected,
                           c.is_effective, c.outcome, c.talk_seconds, c.corrected, c.local_hour
                      FROM telesales_call c
                 UNION ALL
                    SELECT NULL, l.id, l.telesales_won_date, l.telesales_won_user_id,
                           w.id, w.telesales_team_id, COALESCE(l.company_id, u.company_id), NULL, NULL,
                           NULL, NULL, NULL, NULL, NULL
                      FROM crm_lead l
                      JOIN res_users u ON u.id = l.telesales_won_user_id
                 LEFT JOIN LATERAL (
                              SELECT id, telesales_team_id FROM hr_employee
                               WHERE user_id = l.telesales_won_user_id
                                 AND company_id = COALESCE(l.company_id, u.company_id)
                            ORDER BY active DESC, id LIMIT 1) w ON TRUE
                     WHERE %(won)s
                  ) x
              GROUP BY x.date, x.user_id, x.company_id
                ) d
                LEFT JOIN hr_employee e ON e.id = d.employee_id
            )
            """,
            view=SQL.identifier(self._table), noon=NOON, deal_target=TRAINEE_DAILY_DEALS,
            won=won_deal_sql("l")))
