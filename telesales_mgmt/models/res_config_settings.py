from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    telesales_department_id = fields.Many2one(
        related="company_id.telesales_department_id", readonly=False)
    telesales_default_rank_id = fields.Many2one(
        related="company_id.telesales_default_rank_id", readonly=False)
