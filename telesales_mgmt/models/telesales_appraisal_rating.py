from odoo import api, fields, models
from odoo.exceptions import AccessError


class TelesalesAppraisalRating(models.Model):
    """A team-mate's rating of a colleague's teamwork, information sharing and help
    (R-KPI-2, 同事互评), given during the self-assessment. The appraised agent sees only
    the average on their appraisal, never who rated what (record rules)."""

    _name = "telesales.appraisal.rating"
    _description = "Telesales Peer Rating"
    _order = "appraisal_id, id"

    appraisal_id = fields.Many2one("telesales.appraisal", required=True, index=True, ondelete="cascade")
    appraised_id = fields.Many2one(related="appraisal_id.employee_id", string="Colleague")
    date_from = fields.Date(related="appraisal_id.date_from")
    state = fields.Selection(related="appraisal_id.state")
    rater_id = fields.Many2one("res.users", "Rated By", required=True, index=True, readonly=True)
    score = fields.Float(default=False, help="0-100: teamwork, information sharing, helping colleagues.")
    comment = fields.Text()
    rated = fields.Boolean(readonly=True, help="The colleague gave a score: it counts in the average.")

    _rater_unique = models.Constraint("UNIQUE(appraisal_id, rater_id)", "A colleague rates an appraisal once.")
    _score_range = models.Constraint("CHECK(score IS NULL OR (score >= 0 AND score <= 100))",
                                     "A peer rating is between 0 and 100 (Score, R-KPI-2).")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Peer rating sheets are opened with the appraisals (R-KPI-2)."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if set(vals) - {"score", "comment"}:
                raise AccessError(self.env._("Only the score and the comment of a peer rating are written."))
            for rating in self:
                if rating.rater_id != self.env.user:
                    raise AccessError(self.env._("Only the colleague who rates writes the rating (R-KPI-2)."))
                if rating.state != "self":  # related, read as the system: the rater cannot read the appraisal
                    raise AccessError(self.env._(
                        "Peer ratings are given during the self-assessment; %(name)s's is past it (R-KPI-4).",
                        name=rating.appraised_id.name))
        res = super().write(vals)
        if "score" in vals and not self.env.su:
            self.sudo().write({"rated": True})  # the system's mark, after the rater's check
        return res
