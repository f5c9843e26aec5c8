from odoo import fields, models, tools
from odoo.tools import SQL

LEAD_FLOWS = [
    ("allocated", "Allocated"),
    ("claimed", "Claimed"),
    ("moved", "Moved"),
    ("recycled", "Recycled"),
    ("returned", "Back to Pool"),
]


class TelesalesPoolFlow(models.Model):
    """How leads flow (R-LEAD-2, R-LEAD-6): one row per change of owner in the
    allocation log, as allocated (department or team run), claimed from the pool, moved
    or pulled back to the pool by hand, or recycled, with whether the change put the
    lead into the shared pool (公海) or took it out. The sum of the pool changes up to a
    day is the pool's size that day."""

    _name = "telesales.pool.flow"
    _description = "Lead Flows"
    _auto = False
    _rec_name = "lead_id"
    _order = "date desc, id desc"
    _depends = {
        "telesales.allocation.log": ["lead_id", "date", "level", "from_team_id", "to_team_id",
                                     "from_user_id", "to_user_id"],
        "crm.lead": ["company_id"],
    }

    date = fields.Datetime(readonly=True)
    lead_id = fields.Many2one("crm.lead", "Lead", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one(
        "crm.team", "Team", readonly=True,
        help="The team that received the lead, else the one it was taken from.")
    user_id = fields.Many2one(
        "res.users", "Agent", readonly=True,
        help="The agent who received the lead, else the one it was taken from.")
    from_team_id = fields.Many2one("crm.team", "From Team", readonly=True)
    to_team_id = fields.Many2one("crm.team", "To Team", readonly=True)
    from_user_id = fields.Many2one("res.users", "From Agent", readonly=True)
    to_user_id = fields.Many2one("res.users", "To Agent", readonly=True)
    flow = fields.Selection(LEAD_FLOWS, readonly=True)
    leads = fields.Integer("Leads", readonly=True)
    # One measure per flow, for tables with a column per flow whatever flows a period had.
    allocated = fields.Integer(readonly=True)
    claimed = fields.Integer(readonly=True)
    moved = fields.Integer(readonly=True)
    recycled = fields.Integer(readonly=True)
    returned = fields.Integer("Back to Pool", readonly=True)
    pool_in = fields.Integer("Into the Pool", readonly=True)
    pool_out = fields.Integer("Out of the Pool", readonly=True)
    pool_change = fields.Integer(
        "Pool Change", readonly=True, help="Leads into the pool less leads out of it.")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # A lead is in the pool after a recycle or a move by hand to nobody (the one door,
        # crm.lead._telesales_set_owners); it leaves it with the next change that gives it
        # an owner. That change's previous log line is read by the lead index, and only
        # for changes from nobody.
        self.env.cr.execute(SQL(
            """
            CREATE OR REPLACE VIEW %(view)s AS (
              SELECT f.*, f.pool_in - f.pool_out AS pool_change,
                     (f.flow = 'allocated')::int AS allocated, (f.flow = 'claimed')::int AS claimed,
                     (f.flow = 'moved')::int AS moved, (f.flow = 'recycled')::int AS recycled,
                     (f.flow = 'returned')::int AS returned
                FROM (
                SELECT l.id, l.date, l.lead_id, cl.company_id,
                       COALESCE(l.to_team_id, l.from_team_id) AS team_id,
                       COALESCE(l.to_user_id, l.from_user_id) AS user_id,
                       l.from_team_id, l.to_team_id, l.from_user_id, l.to_user_id,
                       CASE
                         WHEN l.level IN ('department', 'team') THEN 'allocated'
                         WHEN l.level = 'claim' THEN 'claimed'
                         WHEN l.level = 'recycle' THEN 'recycled'
                         WHEN l.to_team_id IS NULL AND l.to_user_id IS NULL THEN 'returned'
                         ELSE 'moved'
                       END AS flow,
                       1 AS leads,
                       CASE WHEN l.level IN ('recycle', 'manual')
                                 AND l.to_team_id IS NULL AND l.to_user_id IS NULL THEN 1 ELSE 0
                       END AS pool_in,
                       CASE WHEN l.from_team_id IS NULL AND l.from_user_id IS NULL
                                 AND (l.to_team_id IS NOT NULL OR l.to_user_id IS NOT NULL)
                            THEN COALESCE((
                                SELECT CASE WHEN p.level IN ('recycle', 'manual')
                                                 AND p.to_team_id IS NULL AND p.to_user_id IS NULL
                                            THEN 1 ELSE 0 END
                                  FROM telesales_allocation_log p
                                 WHERE p.lead_id = l.lead_id AND (p.date, p.id) < (l.date, l.id)
                              ORDER BY p.date DESC, p.id DESC
                                 LIMIT 1), 0)
                            ELSE 0
                       END AS pool_out
                  FROM telesales_allocation_log l
                  JOIN crm_lead cl ON cl.id = l.lead_id
                ) f
            )
            """,
            view=SQL.identifier(self._table)))
