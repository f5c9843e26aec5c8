from odoo import fields, models


class TelesalesAllocationRunLine(models.Model):
    _name = "telesales.allocation.run.line"
    _description = "Lead Allocation Preview Line"
    _order = "lead_count desc, id"

    run_id = fields.Many2one("telesales.allocation.run", required=True, ondelete="cascade", index=True)
    team_id = fields.Many2one("crm.team", "Team")
    user_id = fields.Many2one("res.users", "Agent")
    lead_count = fields.Integer(
        "Leads", help="Leads this agent (or team) gets: planned in a preview, received once applied.")
    planned_count = fields.Integer("Planned", help="Leads the preview planned; an applied run may have "
                                   "skipped some (taken meanwhile, or over a cap).")
    count_a = fields.Integer("Grade A")
    count_b = fields.Integer("Grade B")
    count_c = fields.Integer("Grade C")
