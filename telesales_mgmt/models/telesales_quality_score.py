from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TelesalesQualityScore(models.Model):
    """The score of one criterion in an inspection (R-CALL-7): points out of the
    criterion's weight, failed or not, and a comment at a time in the recording."""

    _name = "telesales.quality.score"
    _description = "Call Quality Score Line"
    _order = "sequence, id"

    inspection_id = fields.Many2one(
        "telesales.quality.inspection", "Inspection", required=True, index=True, ondelete="cascade")
    criterion_id = fields.Many2one("telesales.quality.criterion", "Criterion", required=True, ondelete="restrict")
    sequence = fields.Integer(related="criterion_id.sequence", store=True)
    weight = fields.Float(related="criterion_id.weight")
    fatal = fields.Boolean(related="criterion_id.fatal")
    points = fields.Float(help="Points earned, from 0 to the criterion's weight.")
    failed = fields.Boolean(help="The criterion was not met; a fatal one fails the inspection.")
    at_second = fields.Integer("At (s)", help="Where in the recording the comment applies, in seconds.")
    comment = fields.Char()

    _at_second_positive = models.Constraint(
        "CHECK(at_second >= 0)", "A time in the recording cannot be negative (At, R-CALL-7).")

    @api.onchange("failed")
    def _onchange_failed(self):
        if self.failed:
            self.points = 0.0

    @api.constrains("points")
    def _check_points(self):
        for line in self:
            if not 0 <= line.points <= line.criterion_id.weight:
                raise ValidationError(self.env._(
                    "%(criterion)s: the points must be between 0 and %(weight)s (Points, R-CALL-7).",
                    criterion=line.criterion_id.name, weight=line.criterion_id.weight))

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.inspection_id._check_editable()
        return lines

    def write(self, vals):
        self.check_access("write")
        self.inspection_id._check_editable()
        return super().write(vals)

    def unlink(self):
        self.check_access("unlink")
        self.inspection_id._check_editable()
        return super().unlink()
