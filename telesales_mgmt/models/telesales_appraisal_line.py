from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.safe_eval import safe_eval

from ..engines import kpi as kpi_engine

# The score each step's owner gives a rated indicator, in that step (R-KPI-4).
SCORE_STEPS = {"self_score": "self", "leader_score": "leader", "manager_score": "manager"}


class TelesalesAppraisalLine(models.Model):
    """One indicator of an appraisal: weight and target as the template had them when the
    appraisal opened, the value frozen then (computed indicators) with the records behind
    it, and the scores the rating steps give (rated indicators)."""

    _name = "telesales.appraisal.line"
    _description = "Telesales Appraisal Indicator"
    _order = "appraisal_id, sequence, id"

    appraisal_id = fields.Many2one("telesales.appraisal", required=True, index=True, ondelete="cascade")
    state = fields.Selection(related="appraisal_id.state")
    sequence = fields.Integer(default=10)
    kpi_id = fields.Many2one("telesales.kpi", "Indicator", required=True, readonly=True)
    label = fields.Char("For", readonly=True, help="What the line is about beyond its indicator: the month of an "
                        "annual appraisal's monthly result.")
    source = fields.Selection(related="kpi_id.source")
    weight = fields.Float(readonly=True)
    target = fields.Float(readonly=True)
    value = fields.Float(readonly=True, help="What the module's data gave when the appraisal opened (frozen).")
    has_value = fields.Boolean(
        "Data", readonly=True, help="Off: the data gave no value (no won deal for the sales cycle, no judged "
        "day): the indicator scores 0, never its best.")
    evidence_model = fields.Char(readonly=True)
    evidence_domain = fields.Char(readonly=True)
    self_score = fields.Float("Self Score", default=False, help="The employee's own score, 0-100.")
    leader_score = fields.Float("Leader's Score", default=False)
    manager_score = fields.Float("Manager's Score", default=False)
    score = fields.Float(compute="_compute_score", store=True, help="The indicator's score (0-100, capped).")
    weighted_score = fields.Float(compute="_compute_score", store=True)

    @api.depends("value", "has_value", "target", "weight", "leader_score", "manager_score", "kpi_id")
    def _compute_score(self):
        for line in self:
            kpi = line.kpi_id
            if kpi.source == "computed" or kpi.source == "rated_peer":
                value = line.value
            else:  # rated by the leader (the manager's score, when given, has the last word)
                value = line.manager_score or line.leader_score or 0.0
            if kpi.source == "computed":
                line.score = kpi_engine.score(value if line.has_value else None, line.target, kpi.direction,
                                              kpi.scoring, kpi.cap,
                                              [(band.threshold, band.score) for band in kpi.band_ids])
            else:  # a rating is its score (0-100), capped like the others
                line.score = kpi_engine.rated_score(value, kpi.cap)
            line.weighted_score = line.score * line.weight / 100

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Appraisal indicators come from the template, not by hand (R-KPI-2)."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            others = set(vals) - set(SCORE_STEPS)
            if others:
                raise AccessError(self.env._(
                    "%(fields)s of an appraisal's indicators are the system's (R-KPI-2).",
                    fields=", ".join(self._fields[name].string for name in sorted(others))))
            for line in self:
                for fname in set(vals) & set(SCORE_STEPS):
                    appraisal = line.appraisal_id
                    appraisal._telesales_check_step_write_for(SCORE_STEPS[fname], self._fields[fname].string)
                    if line.kpi_id.source == "computed" and fname != "self_score":
                        raise AccessError(self.env._(
                            "%(kpi)s is computed from the module's data: it is not scored by hand (R-KPI-2).",
                            kpi=line.kpi_id.name))
        return super().write(vals)

    def action_open_evidence(self):
        """The records behind the value: deals, calls, complaints, daily results."""
        self.ensure_one()
        if not self.evidence_model:
            return False
        return {
            "type": "ir.actions.act_window",
            "name": self.kpi_id.name,
            "res_model": self.evidence_model,
            "views": [(False, "list"), (False, "form")],
            "domain": safe_eval(self.evidence_domain or "[]"),
        }
