from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    telesales_department_id = fields.Many2one(
        "hr.department", "Telesales Department",
        help="The department (电销部) whose employees the telesales rules apply to.")
    telesales_default_rank_id = fields.Many2one(
        "telesales.rank", "Rank of New Agents",
        help="Rank given to a new agent who has none yet (usually the trainee rank).")
