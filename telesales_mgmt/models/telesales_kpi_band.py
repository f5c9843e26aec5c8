from odoo import api, fields, models

from .telesales_kpi import checked_now


class TelesalesKpiBand(models.Model):
    """One band of an indicator scored by bands (R-KPI-2): reaching the threshold earns
    the score (at or above it when higher is better, at or below it when lower is)."""

    _name = "telesales.kpi.band"
    _description = "Appraisal Indicator Band"
    _order = "kpi_id, threshold, id"

    kpi_id = fields.Many2one("telesales.kpi", "Indicator", required=True, ondelete="cascade", index=True)
    threshold = fields.Float(required=True, help="The value to reach, in the indicator's unit.")
    score = fields.Float(required=True, help="The score earned (0-100; the indicator's cap at most).")

    def _compute_display_name(self):
        for band in self:
            sign = "≤" if band.kpi_id.direction == "lower" else "≥"
            band.display_name = f"{sign} {band.threshold:g}: {band.score:g}"

    @api.constrains("threshold", "score", "kpi_id")
    def _check_kpi_bands(self):
        checked_now(self.kpi_id, "telesales_kpi_bands")._check_bands()

    def unlink(self):
        kpis = self.kpi_id
        result = super().unlink()
        checked_now(kpis.exists(), "telesales_kpi_bands")._check_bands()
        return result
