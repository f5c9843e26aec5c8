from odoo import api, fields, models
from odoo.exceptions import ValidationError

SEVERITIES = [("general", "General"), ("complex", "Complex"), ("critical", "Critical")]


class TelesalesComplaintSla(models.Model):
    """Working days to answer and solve a complaint (R-CMP-2), by category and/or
    severity. The most specific row wins: category and severity, then category, then
    severity; without a row, the company's default (2 working days)."""

    _name = "telesales.complaint.sla"
    _description = "Complaint Deadline Rule"
    _order = "category_id, severity, id"

    category_id = fields.Many2one("telesales.complaint.category", "Category", help="Empty: any category.")
    severity = fields.Selection(SEVERITIES, help="Empty: any severity.")
    days = fields.Integer("Working Days", required=True, default=2)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    _rule_uniq = models.UniqueIndex("(company_id, COALESCE(category_id, 0), COALESCE(severity, ''))",
                                    "There is already a deadline for this category and severity.")

    @api.constrains("days", "category_id", "severity")
    def _check_days(self):
        for rule in self:
            if rule.days < 1:
                raise ValidationError(self.env._(
                    "Complaint deadlines: %(days)s working days is not a deadline: at least 1 (R-CMP-2).",
                    days=rule.days))
            if not rule.category_id and not rule.severity:
                raise ValidationError(self.env._(
                    "Complaint deadlines: give a category, a severity or both; the default for all is in Settings."))

    @api.model
    def _days_for(self, company, category, severity):
        rules = self.sudo().search([("company_id", "=", company.id),
                                    ("category_id", "in", [category.id, False]),
                                    ("severity", "in", [severity, False])])
        best = max(rules, key=lambda r: (bool(r.category_id) and bool(r.severity), bool(r.category_id)), default=None)
        return best.days if best else company.telesales_complaint_sla_days
