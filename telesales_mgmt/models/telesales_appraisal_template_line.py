from odoo import api, fields, models

from .telesales_appraisal_template import LINES_KEY
from .telesales_kpi import checked_now

TRACKED = ("kpi_id", "weight", "target")


class TelesalesAppraisalTemplateLine(models.Model):
    """One indicator of an appraisal template: its weight (the weights sum to 100) and
    its target (for linear scoring: the value that scores 100)."""

    _name = "telesales.appraisal.template.line"
    _description = "Appraisal Template Indicator"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one("telesales.appraisal.template", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    kpi_id = fields.Many2one("telesales.kpi", "Indicator", required=True, ondelete="restrict")
    source = fields.Selection(related="kpi_id.source")
    unit = fields.Char(related="kpi_id.unit")
    weight = fields.Float(required=True, help="Share of the total score (%); a template's weights sum to 100.")
    target = fields.Float(
        compute="_compute_target", store=True, readonly=False, precompute=True,
        help="The value that scores 100 on a linear indicator (target achievement: 100 %); "
        "unused for bands and ratings.")

    _weight_positive = models.Constraint("CHECK(weight >= 0)", "A weight cannot be negative (R-KPI-2).")
    _kpi_uniq = models.Constraint("UNIQUE(template_id, kpi_id)", "An indicator appears once per template.")

    @api.depends("kpi_id")
    def _compute_target(self):
        for line in self:
            if line.kpi_id.code == "target_achievement" or line.kpi_id.source != "computed":
                line.target = 100.0
            elif not line.target:
                line.target = 0.0

    @api.constrains("weight", "template_id")
    def _check_template_weights(self):
        checked_now(self.template_id, LINES_KEY)._check_weights()

    def _describe(self):
        self.ensure_one()
        return self.env._("%(kpi)s: weight %(weight)s, target %(target)s",
                          kpi=self.kpi_id.display_name, weight=f"{self.weight:g}", target=f"{self.target:g}")

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        for line in lines:
            line.template_id.message_post(body=self.env._("Indicator added: %(line)s", line=line._describe()))
        return lines

    def write(self, vals):
        before = {line.id: line._describe() for line in self} if any(name in vals for name in TRACKED) else {}
        result = super().write(vals)
        for line in self.filtered(lambda line: line.id in before):
            after = line._describe()
            if after != before[line.id]:
                line.template_id.message_post(body=self.env._(
                    "Indicator changed: %(before)s → %(after)s", before=before[line.id], after=after))
        return result

    def unlink(self):
        for line in self:
            line.template_id.message_post(body=self.env._("Indicator removed: %(line)s", line=line._describe()))
        templates = self.template_id
        result = super().unlink()
        checked_now(templates.exists(), LINES_KEY)._check_weights()
        return result
