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

    def write(self, vals):
        # Marked by hand or by a refusal, the flag also blacklists the numbers, so the
        # same number on another lead or contact is blocked too.
        if "telesales_do_not_call" in vals:
            if vals["telesales_do_not_call"]:
                vals.setdefault("telesales_do_not_call_date", fields.Datetime.now())
                vals.setdefault("telesales_do_not_call_reason",
                                self.env._("Marked by %(user)s", user=self.env.user.name))
            else:
                vals.update(telesales_do_not_call_date=False, telesales_do_not_call_reason=False)
        res = super().write(vals)
        if "telesales_do_not_call" in vals:
            numbers = [number for number in self.mapped("phone_sanitized") if number]
            if numbers:
                Blacklist = self.env["phone.blacklist"].sudo()
                if vals["telesales_do_not_call"]:
                    Blacklist._add(numbers, message=vals["telesales_do_not_call_reason"])
                else:
                    Blacklist._remove(numbers, message=self.env._("Do-not-call lifted"))
        return res

    def _telesales_set_do_not_call(self, reason):
        self.write({"telesales_do_not_call": True, "telesales_do_not_call_reason": reason})
