from odoo import fields, models

CUSTOMER_GRADES = [
    ("a", "A - key customer"),
    ("b", "B - strengthen contact"),
    ("c", "C - periodic revisit"),
]


class CrmLead(models.Model):
    _inherit = "crm.lead"

    telesales_grade = fields.Selection(
        CUSTOMER_GRADES, "Customer Grade (客户分类)", index=True, tracking=True,
        help="A: key attention and best service; B: strengthen contact; C: periodic "
        "revisit to find needs (R-LEAD-3).")
    is_telesales = fields.Boolean(
        related="team_id.is_telesales", string="Telesales Lead",
        help="The lead belongs to a telesales team.")
