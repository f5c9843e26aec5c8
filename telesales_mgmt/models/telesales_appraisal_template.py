from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.float_utils import float_compare

from .telesales_kpi import checks_after_write

LINES_KEY = "telesales_appraisal_template_lines"


class TelesalesAppraisalTemplate(models.Model):
    """Which indicators appraise a role and rank, with their weights and targets
    (R-KPI-2). An active template's weights sum to 100. Every change of a line is kept
    in the chatter; appraisals copy weight and target onto their own lines, so a closed
    appraisal keeps the template as it was."""

    _name = "telesales.appraisal.template"
    _description = "Appraisal Template"
    _inherit = ["mail.thread"]
    _order = "role, sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", index=True, tracking=True, help="Empty: every company.")
    role = fields.Selection(
        [("agent", "Agent"), ("leader", "Team Leader")], required=True, default="agent", tracking=True,
        help="Appraises the employees of this telesales role.")
    rank_ids = fields.Many2many(
        "telesales.rank", string="Ranks", tracking=True,
        help="Appraises the employees of these ranks; empty: every rank. A template naming "
        "the employee's rank wins over one without ranks.")
    line_ids = fields.One2many("telesales.appraisal.template.line", "template_id", "Indicators", copy=True)
    total_weight = fields.Float("Total Weight", compute="_compute_total_weight",
                                help="The weights of an active template sum to 100 (R-KPI-2).")

    @api.depends("line_ids.weight")
    def _compute_total_weight(self):
        for template in self:
            template.total_weight = sum(template.line_ids.mapped("weight"))

    def write(self, vals):
        with checks_after_write(self, LINES_KEY):
            return super().write(vals)

    @api.constrains("line_ids", "active")
    def _check_weights(self):
        for template in self.filtered("active"):
            total = sum(template.line_ids.mapped("weight"))
            if float_compare(total, 100.0, precision_digits=2):
                raise ValidationError(self.env._(
                    "Appraisal template %(template)s: the weights sum to %(total)s, not 100 (R-KPI-2).",
                    template=template.name, total=round(total, 2)))

    @api.model
    def _telesales_templates_for(self, employees):
        """{employee id: template} for the employees' role (agent or leader) and rank:
        a template naming their rank first, else one without ranks; their company's
        before one for every company. Employees without one are left out."""
        templates = self.sudo().search([("role", "in", ["agent", "leader"]),
                                        ("company_id", "in", [False, *employees.company_id.ids])])
        result = {}
        for employee in employees:
            rank = employee.telesales_rank_id
            candidates = templates.filtered(lambda t: (
                t.role == employee.telesales_role and (not t.company_id or t.company_id == employee.company_id)
                and (not t.rank_ids or rank in t.rank_ids)))
            if candidates:
                result[employee.id] = max(candidates, key=lambda t: (
                    bool(t.rank_ids), bool(t.company_id), -t.sequence, -t.id)).with_env(self.env)
        return result

    @api.model
    def _telesales_template_for(self, employee):
        """The template appraising `employee`, or an empty recordset."""
        return self._telesales_templates_for(employee).get(employee.id, self.browse())
