from odoo import fields, models

ALLOCATION_LEVELS = [
    ("department", "Department → Team"),
    ("team", "Team → Agent"),
    ("manual", "By Hand"),
    ("claim", "Claimed from the Pool"),
]


class TelesalesAllocationLog(models.Model):
    """One line per change of a lead's owner (team or agent), written by the one door
    every assignment goes through (`crm.lead._telesales_assign`)."""

    _name = "telesales.allocation.log"
    _description = "Lead Allocation Log"
    _order = "date desc, id desc"
    _log_access = False  # date and user_id say when and who, in one narrow row

    lead_id = fields.Many2one("crm.lead", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    user_id = fields.Many2one("res.users", "By", default=lambda self: self.env.user)
    level = fields.Selection(ALLOCATION_LEVELS, required=True)
    from_team_id = fields.Many2one("crm.team", "From Team")
    to_team_id = fields.Many2one("crm.team", "To Team", index="btree_not_null")
    from_user_id = fields.Many2one("res.users", "From Agent")
    to_user_id = fields.Many2one("res.users", "To Agent", index="btree_not_null")
    rule_id = fields.Many2one("telesales.allocation.rule", "Rule", ondelete="set null")
    run_id = fields.Many2one("telesales.allocation.run", "Run", ondelete="set null", index="btree_not_null")
    reason = fields.Char()
