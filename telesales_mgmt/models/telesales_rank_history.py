from odoo import api, fields, models


class TelesalesRankHistory(models.Model):
    """One line per rank change of an employee, written by the employee's rank field
    itself so that no path (form, import, rank review) can skip it."""

    _name = "telesales.rank.history"
    _description = "Telesales Rank Change"
    _order = "date desc, id desc"

    employee_id = fields.Many2one(
        "hr.employee", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(
        related="employee_id.company_id", store=True, index=True)
    old_rank_id = fields.Many2one("telesales.rank", "Previous Rank", ondelete="restrict")
    new_rank_id = fields.Many2one("telesales.rank", "New Rank", ondelete="restrict")
    direction = fields.Selection(
        [("initial", "First rank"), ("promote", "Promotion"),
         ("keep", "Kept"), ("demote", "Demotion")],
        compute="_compute_direction", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    user_id = fields.Many2one(
        "res.users", "Changed By", default=lambda self: self.env.user)
    reason = fields.Char()

    @api.depends("old_rank_id.sequence", "new_rank_id.sequence")
    def _compute_direction(self):
        for line in self:
            old, new = line.old_rank_id, line.new_rank_id
            if not old:
                line.direction = "initial"
            elif (new.sequence, new.id) > (old.sequence, old.id):
                line.direction = "promote"
            elif (new.sequence, new.id) < (old.sequence, old.id):
                line.direction = "demote"
            else:
                line.direction = "keep"
