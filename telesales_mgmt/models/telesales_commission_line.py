from odoo import fields, models


class TelesalesCommissionLine(models.Model):
    """One deal counted on a commission statement, or the clawback of one counted
    before (a negative line linked to the original)."""

    _name = "telesales.commission.line"
    _description = "Commission Statement Line"
    _order = "date, id"
    _log_access = False  # written in bulk, one statement insert per month

    statement_id = fields.Many2one("telesales.commission.statement", required=True, ondelete="cascade", index=True)
    plan_id = fields.Many2one("telesales.commission.plan", required=True)
    lead_id = fields.Many2one("crm.lead", "Opportunity", required=True, index=True)
    date = fields.Date("Won On")
    amount = fields.Float()
    clawback_of_id = fields.Many2one("telesales.commission.line", "Clawback Of", index="btree_not_null",
                                     help="The line of an earlier, confirmed statement whose deal was lost since.")

    # A deal counts once per plan, whatever the month it is computed in.
    _deal_plan_uniq = models.UniqueIndex("(lead_id, plan_id) WHERE amount > 0 AND clawback_of_id IS NULL",
                                         "A deal is counted once per plan.")
