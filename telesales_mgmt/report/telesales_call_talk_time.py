from odoo import fields, models, tools
from odoo.tools import SQL

# (key, label, lower bound in seconds): a call falls in the last bucket whose bound its
# talk time reaches. The keys carry their order, as grouped figures come back by key.
TALK_BUCKETS = [
    ("0_none", "No Talk", None),
    ("1_under_1", "Under 1 min", 1),
    ("2_1_3", "1–3 min", 60),
    ("3_3_5", "3–5 min", 180),
    ("4_5_10", "5–10 min", 300),
    ("5_over_10", "Over 10 min", 600),
]


class TelesalesCallTalkTime(models.Model):
    """How long calls last: per day, agent and talk-time bucket (none, under a minute,
    1–3, 3–5, 5–10, over 10 minutes), the number of calls and their talk time. Short
    calls in bulk are the usual sign of dialling to reach a count (R-CALL-3, R-CALL-5)."""

    _name = "telesales.call.talk.time"
    _description = "Talk Time Distribution"
    _auto = False
    _rec_name = "bucket"
    _order = "date desc, bucket"
    _depends = {
        "telesales.call": ["call_date", "user_id", "team_id", "company_id", "talk_seconds"],
    }

    date = fields.Date("Day", readonly=True)
    user_id = fields.Many2one("res.users", "Agent", readonly=True)
    team_id = fields.Many2one("crm.team", "Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    bucket = fields.Selection([(key, label) for key, label, _bound in TALK_BUCKETS], "Talk Time",
                              readonly=True)
    calls = fields.Integer("Calls", readonly=True)
    talk_hours = fields.Float("Talk Time (h)", readonly=True, digits=(16, 2))

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        talk = SQL("COALESCE(c.talk_seconds, 0)")
        bucket = SQL("CASE %s ELSE %s END", SQL(" ").join(
            SQL("WHEN %s >= %s THEN %s", talk, bound, key)
            for key, _label, bound in reversed(TALK_BUCKETS) if bound is not None), TALK_BUCKETS[0][0])
        # A call is in one bucket: the group's first call is a unique id.
        self.env.cr.execute(SQL(
            """
            CREATE OR REPLACE VIEW %(view)s AS (
              SELECT MIN(c.id) AS id, c.call_date AS date, c.user_id, c.team_id, c.company_id,
                     %(bucket)s AS bucket, COUNT(*)::int AS calls,
                     SUM(%(talk)s) / 3600.0 AS talk_hours
                FROM telesales_call c
            GROUP BY c.call_date, c.user_id, c.team_id, c.company_id, %(bucket)s
            )
            """,
            view=SQL.identifier(self._table), bucket=bucket, talk=talk))
