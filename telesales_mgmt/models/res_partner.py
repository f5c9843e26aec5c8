from odoo import fields, models

from .crm_lead import CUSTOMER_GRADES


class ResPartner(models.Model):
    _inherit = "res.partner"

    telesales_grade = fields.Selection(
        CUSTOMER_GRADES, "Customer Grade (客户分类)", tracking=True, index=True,
        help="A: key attention and best service; B: strengthen contact; C: periodic "
        "revisit to find needs (R-LEAD-3).")
    telesales_do_not_call = fields.Boolean(
        "Do Not Call (勿扰)", tracking=True, index=True,
        help="The customer refused further calls: nobody may call them (R-CALL-4). Their "
        "numbers are on Odoo's phone blacklist, so other leads and contacts with the same "
        "number are blocked too.")
    telesales_do_not_call_date = fields.Datetime("Do Not Call Since", readonly=True)
    telesales_do_not_call_reason = fields.Char("Do Not Call Reason")

    def _telesales_set_do_not_call(self, reason):
        self.write({
            "telesales_do_not_call": True,
            "telesales_do_not_call_date": fields.Datetime.now(),
            "telesales_do_not_call_reason": reason,
        })
        numbers = [number for number in self.mapped("phone_sanitized") if number]
        if numbers:
            self.env["phone.blacklist"].sudo()._add(numbers, message=reason)

    def action_telesales_do_not_call(self):
        self._telesales_set_do_not_call(self.env._("Marked by hand by %(user)s", user=self.env.user.name))
