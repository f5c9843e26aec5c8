from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.telesales_call import CALL_STAGES, STAGE_RANK

# The stage keys carry their rank: grouped figures (pivots, charts, the dashboard) come
# back ordered by key, and a funnel must read Preparation → Wrap-up, not alphabetically.
FUNNEL_STAGES = [(f"{STAGE_RANK[key]}_{key}", label) for key, label in CALL_STAGES]


class TelesalesCallFunnel(models.Model):
    """The call funnel (R-CALL-1): per day, agent and stage, how many calls reached at
    least that stage of the seven. A call's `stage` is the furthest it got, so a call
    closed at Objection Handling counts for Preparation, Opening, Needs Discovery,
    Product Presentation and Objection Handling: each stage's figure is never above the
    one before it."""

    _name = "telesales.call.funnel"
    _description = "Call Funnel"
    _auto = False
    _rec_name = "stage"
    _order = "date desc, stage"
    _depends = {
        "telesales.call": ["call_date", "user_id", "team_id", "company_id", "stage"],
    }

    date = fields.Date("Day", readonly=True)
    user_id = fields.Many2one("res.users", "Agent", readonly=True)
    team_id = fields.Many2one("crm.team", "Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    stage = fields.Selection(FUNNEL_STAGES, "Stage Reached", readonly=True)
    calls = fields.Integer(
        "Calls", readonly=True,
        help="Calls that reached at least this stage (their furthest stage is this one or a later one).")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        stages = SQL(", ").join(SQL("(%s, %s, %s)", key, STAGE_RANK[key], value)
                                for key, (value, _label) in zip(STAGE_RANK, FUNNEL_STAGES, strict=True))
        # Calls are counted per day, agent, team and furthest stage first, then spread
        # over the stages they passed: seven rows per group, not per call. The id is the
        # group's first call times 8 plus the stage's rank: unique, since a call falls in
        # one group per stage.
        self.env.cr.execute(SQL(
            """
            CREATE OR REPLACE VIEW %(view)s AS (
              WITH stages(key, rank, stage) AS (VALUES %(stages)s),
              reached AS (
                SELECT MIN(c.id) AS first_id, c.call_date, c.user_id, c.team_id, c.company_id,
                       COALESCE(s.rank, 1) AS rank, COUNT(*) AS calls
                  FROM telesales_call c
                  LEFT JOIN stages s ON s.key = c.stage
              GROUP BY c.call_date, c.user_id, c.team_id, c.company_id, COALESCE(s.rank, 1)
              )
              SELECT MIN(r.first_id) * 8 + s.rank AS id,
                     r.call_date AS date, r.user_id, r.team_id, r.company_id,
                     s.stage, SUM(r.calls)::int AS calls
                FROM reached r
                JOIN stages s ON s.rank <= r.rank
            GROUP BY r.call_date, r.user_id, r.team_id, r.company_id, s.rank, s.stage
            )
            """,
            view=SQL.identifier(self._table), stages=stages))
