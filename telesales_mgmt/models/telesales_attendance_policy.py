from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .hr_employee import TELESALES_ROLES


class TelesalesAttendancePolicy(models.Model):
    """What lateness, early leave and absence cost (R-ATT-2 … R-ATT-5), one per
    company, edited from Settings. Every number of the rules is here."""

    _name = "telesales.attendance.policy"
    _description = "Attendance Policy"
    _inherit = ["mail.thread"]

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade",
                                 default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    # Who is judged, by telesales role (R-ATT-1): the manager and customer service often
    # have no check-ins to judge.
    judge_agent = fields.Boolean("Judge Agents", default=True, tracking=True)
    judge_leader = fields.Boolean("Judge Team Leaders", default=True, tracking=True)
    judge_manager = fields.Boolean("Judge the Department Manager", default=False, tracking=True)
    judge_service = fields.Boolean("Judge Customer Service", default=False, tracking=True)
    grace_minutes = fields.Integer(
        "Grace (min)", default=0, tracking=True,
        help="Minutes after the scheduled start (before the end) that are not counted at all.")
    threshold_minutes = fields.Integer(
        "Late/Early Threshold (min)", default=15, tracking=True,
        help="Up to this many minutes late or early: a deduction per occurrence (R-ATT-2); "
        "more: a half-day absence (R-ATT-3).")
    late_deduction = fields.Monetary(
        "Per Late/Early Occurrence", default=50, tracking=True,
        help="Taken from the month's performance bonus (R-ATT-2).")
    half_day_deduction = fields.Monetary(
        "Half-day Absence", default=100, tracking=True,
        help="Taken from the bonus, besides half a day's wage (R-ATT-4).")
    full_day_deduction = fields.Monetary(
        "Full-day Absence", default=200, tracking=True,
        help="Taken from the bonus, besides a day's wage, with a warning (R-ATT-4).")
    overtime_deduction = fields.Monetary(
        "Overtime Not Worked", default=0, tracking=True,
        help="Taken from the bonus when an agent who owed an hour of overtime (R-CALL-5) left "
        "before it was done.")
    review_consecutive_days = fields.Integer(
        "Review After Consecutive Days", default=3, tracking=True,
        help="Working days absent in a row (weekends and holidays do not break a run) that "
        "open a dismissal review for HR (R-ATT-5).")
    review_yearly_days = fields.Integer(
        "Review After Days in a Year", default=5, tracking=True,
        help="Working days absent in the calendar year (a half day counts half) that open a "
        "dismissal review for HR (R-ATT-5).")
    wage_source = fields.Selection(
        [("version", "Employee's Wage"), ("rank", "Rank's Base Pay")], "Day's Wage From",
        default="version", required=True, tracking=True,
        help="A day's wage is the monthly wage (the employee's version in force that day, or "
        "their rank's base pay) divided by that month's working days in their schedule.")
    excess_deduction = fields.Selection(
        [("wage", "Carried to the Wage"), ("drop", "Dropped")], "Deductions Beyond the Bonus",
        default="wage", required=True, tracking=True,
        help="Bonus deductions come off the month's performance bonus first, line by line "
        "(R-ATT-2/4, R-INC-1); what the bonus cannot cover is taken from the wage or dropped.")

    _company_uniq = models.Constraint("UNIQUE(company_id)", "A company has one attendance policy.")

    @api.depends("company_id")
    def _compute_display_name(self):
        for policy in self:
            policy.display_name = self.env._("Attendance Policy · %(company)s", company=policy.company_id.name)

    @api.constrains("grace_minutes", "threshold_minutes", "late_deduction", "half_day_deduction",
                    "full_day_deduction", "overtime_deduction", "review_consecutive_days",
                    "review_yearly_days")
    def _check_numbers(self):
        for policy in self:
            negative = [policy._fields[name].get_description(self.env)["string"] for name in (
                "grace_minutes", "late_deduction", "half_day_deduction", "full_day_deduction",
                "overtime_deduction") if policy[name] < 0]
            if negative:
                raise ValidationError(self.env._(
                    "Attendance policy: %(fields)s cannot be negative.", fields=", ".join(negative)))
            if policy.threshold_minutes < policy.grace_minutes:
                raise ValidationError(self.env._(
                    "Attendance policy: the late/early threshold (%(threshold)s min) cannot be below "
                    "the grace (%(grace)s min) (R-ATT-2).",
                    threshold=policy.threshold_minutes, grace=policy.grace_minutes))
            if policy.review_consecutive_days < 1 or policy.review_yearly_days < 1:
                raise ValidationError(self.env._(
                    "Attendance policy: the dismissal review thresholds must be at least 1 day (R-ATT-5)."))

    def _judged_roles(self):
        """The telesales roles whose attendance this policy judges."""
        self.ensure_one()
        return {role for role, _label in TELESALES_ROLES if self[f"judge_{role}"]}

    @api.model
    def _for(self, company):
        """The company's policy, made with the rules' defaults the first time."""
        policy = self.sudo().search([("company_id", "=", company.id)], limit=1)
        return policy or self.sudo().create({"company_id": company.id})
