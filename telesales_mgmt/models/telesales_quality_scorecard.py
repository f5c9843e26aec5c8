from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TelesalesQualityScorecard(models.Model):
    """A quality scorecard (质检评分表, R-CALL-7): the weighted criteria a recorded call
    is inspected against, some of them fatal (an automatic fail). Data the telesales
    manager edits; the sampling cron inspects with the company's first active one."""

    _name = "telesales.quality.scorecard"
    _description = "Call Quality Scorecard"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: every company.")
    criterion_ids = fields.One2many("telesales.quality.criterion", "scorecard_id", "Criteria", copy=True)
    description = fields.Text(translate=True)
    total_weight = fields.Float(compute="_compute_total_weight")

    @api.depends("criterion_ids.weight")
    def _compute_total_weight(self):
        for scorecard in self:
            scorecard.total_weight = sum(scorecard.criterion_ids.mapped("weight"))

    @api.constrains("criterion_ids")
    def _check_criteria(self):
        for scorecard in self:
            if scorecard.active and not scorecard.criterion_ids:
                raise ValidationError(self.env._(
                    "Scorecard %(name)s: add at least one criterion (Criteria, R-CALL-7).", name=scorecard.name))

    @api.model
    def _for_company(self, company):
        """The scorecard sampled inspections use: the company's first active one."""
        return self.search([("company_id", "in", [company.id, False])], limit=1)
