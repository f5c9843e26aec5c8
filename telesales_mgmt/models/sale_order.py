from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    telesales_won_user_id = fields.Many2one(
        "res.users", "Commission Agent", readonly=True, copy=False, index="btree_not_null",
        help="The salesperson when the order was confirmed: plans counting sale orders credit "
        "the order to them, whatever happens to it afterwards.")
    telesales_won_date = fields.Date("Confirmed On", readonly=True, copy=False)
    telesales_complaint_ids = fields.One2many("telesales.complaint", "sale_order_id", "Complaints")

    def _action_confirm(self):
        # Recorded once: an order cancelled and confirmed again stays with its first agent.
        for order in self.filtered(lambda o: o.user_id and not o.telesales_won_user_id):
            order.sudo().write({"telesales_won_user_id": order.user_id.id,
                                "telesales_won_date": order.date_order.date()})
        return super()._action_confirm()
