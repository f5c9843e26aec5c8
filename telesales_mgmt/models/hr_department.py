from odoo import fields, models


class HrDepartment(models.Model):
    _inherit = "hr.department"

    telesales_calendar_id = fields.Many2one(
        "resource.calendar", "Working Hours",
        help="The department's working days, for the deadlines of complaints forwarded to it "
        "(R-CMP-2). Empty: the company's.")
