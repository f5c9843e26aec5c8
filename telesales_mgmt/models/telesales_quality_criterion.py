from odoo import fields, models


class TelesalesQualityCriterion(models.Model):
    """One criterion of a quality scorecard (R-CALL-7): its weight in points and whether
    failing it fails the whole inspection (fatal, e.g. a false promise, R-DATA-3)."""

    _name = "telesales.quality.criterion"
    _description = "Call Quality Criterion"
    _order = "sequence, id"

    scorecard_id = fields.Many2one(
        "telesales.quality.scorecard", "Scorecard", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    weight = fields.Float(required=True, default=10.0, help="Points the criterion is worth.")
    fatal = fields.Boolean(help="Failing this criterion fails the inspection, whatever the score.")
    rule = fields.Char(help="The department rule the criterion checks (R-CALL-4, R-DATA-3 …).")
    description = fields.Text(translate=True, help="What the inspector listens for.")

    _weight_positive = models.Constraint(
        "CHECK(weight > 0)", "A criterion's weight must be above 0 (Weight, R-CALL-7).")
