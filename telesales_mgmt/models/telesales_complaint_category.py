from odoo import fields, models


class TelesalesComplaintCategory(models.Model):
    """What a complaint is about: product, price, service attitude, delivery, harassment
    call, other. Categories marked for analysis need a root cause and a corrective
    action before their tickets close (R-CMP-3)."""

    _name = "telesales.complaint.category"
    _description = "Complaint Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    needs_analysis = fields.Boolean(
        "Needs Root-cause Analysis",
        help="Tickets of this category close only with a root cause and a corrective action.")
    department_id = fields.Many2one("hr.department", "Usually Forwarded To",
                                    help="Proposed when a ticket of this category is forwarded.")

    _name_uniq = models.Constraint("UNIQUE(name)", "A complaint category with this name already exists.")
