from odoo import fields, models


class TelesalesCommissionLine(models.Model):
    """One deal (a won opportunity or a confirmed sale order) counted on a commission
    statement, or the clawback of one counted before (a negative line linked to the
    original)."""

    _name = "telesales.commission.line"
    _description = "Commission Statement Line"
    _order = "date, id"
    _log_access = False  # written in bulk, one statement insert per month

    statement_id = fields.Many2one("telesales.commission.statement", required=True, ondelete="cascade", index=True)
    plan_id = fields.Many2one("telesales.commission.plan", required=True)
    lead_id = fields.Many2one("crm.lead", "Opportunity", index="btree_not_null")
    order_id = fields.Many2one("sale.order", "Sale Order", index="btree_not_null")
    date = fields.Date("Won On")
    amount = fields.Float()
    clawback_of_id = fields.Many2one("telesales.commission.line", "Clawback Of", index="btree_not_null",
                                     help="The line of an earlier, confirmed statement whose deal was lost since.")

    # A deal counts once per plan, whatever the month it is computed in.
    _deal_plan_uniq = models.UniqueIndex("(lead_id, plan_id) WHERE amount > 0 AND clawback_of_id IS NULL",
                                         "A deal is counted once per plan.")
    _order_plan_uniq = models.UniqueIndex("(order_id, plan_id) WHERE amount > 0 AND clawback_of_id IS NULL",
                                          "An order is counted once per plan.")
    _one_deal = models.Constraint("CHECK((lead_id IS NULL) != (order_id IS NULL))",
                                  "A commission line counts one opportunity or one sale order.")
