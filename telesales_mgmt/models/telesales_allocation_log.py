from odoo import fields, models

ALLOCATION_LEVELS = [
    ("department", "Department → Team"),
    ("team", "Team → Agent"),
    ("manual", "By Hand"),
    ("claim", "Claimed from the Pool"),
    ("recycle", "Back to the Pool"),
]


class TelesalesAllocationLog(models.Model):
    """One line per change of a lead's owner (team or agent), written by the one door
    every assignment goes through (`crm.lead._telesales_assign`)."""

    _name = "telesales.allocation.log"
    _description = "Lead Allocation Log"
    _order = "date desc, id desc"
    _log_access = False  # date and user_id say when and who, in one narrow row

    lead_id = fields.Many2one("crm.lead", required=True, index=True, ondelete="cascade")
    # The lead's company, not a column: a run writes a line per lead, and every foreign
    # key costs a check per line.
    company_id = fields.Many2one(related="lead_id.company_id")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users", "By", default=lambda self: self.env.user,
        help="Who changed the owner; empty when an allocation run did (see the run).")
    level = fields.Selection(ALLOCATION_LEVELS, required=True)
    from_team_id = fields.Many2one("crm.team", "From Team")
    to_team_id = fields.Many2one("crm.team", "To Team")
    from_user_id = fields.Many2one("res.users", "From Agent")
    to_user_id = fields.Many2one("res.users", "To Agent")
    rule_id = fields.Many2one("telesales.allocation.rule", "Rule", ondelete="set null")
    run_id = fields.Many2one("telesales.allocation.run", "Run", ondelete="set null", index="btree_not_null")
    reason = fields.Char()
    cooldown_until = fields.Datetime(
        "Not Back Before", help="Recycled: the lead is not given back to the agent it was "
        "taken from before this time (R-LEAD-6).")

    # Fairness over the day reads what each team and agent received since the morning;
    # a run writes a line per lead, so the table keeps few indexes.
    _to_user_date_idx = models.Index("(to_user_id, date) WHERE to_user_id IS NOT NULL")
    _to_team_date_idx = models.Index("(to_team_id, date) WHERE to_team_id IS NOT NULL")
    _cooldown_idx = models.Index("(cooldown_until) WHERE cooldown_until IS NOT NULL")
