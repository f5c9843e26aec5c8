from odoo import fields, models
from odoo.exceptions import UserError

INCIDENT_KINDS = [
    ("late", "Late"),
    ("early", "Early Leave"),
    ("half_day", "Half-day Absence"),
    ("full_day", "Full-day Absence"),
    ("missing_checkout", "Missing Check-out"),
    ("overtime", "Overtime Not Worked"),
]


class TelesalesAttendanceIncident(models.Model):
    """One finding of the attendance judge for an employee on a day (R-ATT-2 … R-ATT-4):
    what happened, how many minutes, and what it costs. Re-judging a day replaces its
    incidents still to confirm; confirmed and waived ones stay as they are."""

    _name = "telesales.attendance.incident"
    _description = "Attendance Incident"
    _inherit = ["telesales.agent.mixin", "mail.thread", "telesales.computed.record"]
    _order = "date desc, employee_id, id"
    # What the judge found and what it costs; HR confirms or waives with the buttons.
    _telesales_system_fields = ("employee_id", "user_id", "team_id", "company_id", "date", "kind",
                                "minutes", "bonus_deduction", "wage_deduction", "detail", "state")

    # Who and where, as when the record was written (telesales.agent.mixin): a later
    # team change leaves it under the leader it was written for.
    employee_id = fields.Many2one(string="Employee")
    user_id = fields.Many2one(required=False, readonly=True)
    team_id = fields.Many2one(readonly=True)
    company_id = fields.Many2one(readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, index=True)
    kind = fields.Selection(INCIDENT_KINDS, required=True)
    minutes = fields.Integer(help="Minutes late or early.")
    bonus_deduction = fields.Monetary("Bonus Deduction", tracking=True)
    wage_deduction = fields.Monetary("Wage Deduction", tracking=True)
    detail = fields.Char(help="What the judge saw: schedule and check-ins.")
    state = fields.Selection(
        [("draft", "To Confirm"), ("confirmed", "Confirmed"), ("waived", "Waived")],
        default="draft", required=True, tracking=True, index=True)
    waive_reason = fields.Char("Waiver Reason", tracking=True)

    _day_kind_uniq = models.Constraint(
        "UNIQUE(employee_id, date, kind)", "An employee has one incident of each kind per day.")

    def action_confirm(self):
        self._check_hr()
        self.filtered(lambda i: i.state == "draft").sudo().write({"state": "confirmed"})

    def action_waive(self):
        """HR waives an incident (a forgotten badge, a proven mistake): nothing is
        deducted, the reason stays in the chatter."""
        self._check_hr()
        for incident in self:
            if not (incident.waive_reason or "").strip():
                raise UserError(self.env._(
                    "Waiver Reason: say why the %(kind)s of %(employee)s on %(date)s is waived.",
                    kind=incident._fields["kind"].convert_to_export(incident.kind, incident),
                    employee=incident.employee_id.name, date=incident.date))
        self.sudo().write({"state": "waived", "bonus_deduction": 0, "wage_deduction": 0})
        self.env["telesales.discipline"].sudo().search(
            [("incident_id", "in", self.ids), ("state", "=", "open")]).write({"state": "cancelled"})

    def _check_hr(self):
        user = self.env.user
        if not (user.has_group("hr_attendance.group_hr_attendance_officer") or user.has_group("hr.group_hr_user")):
            raise UserError(self.env._("Only HR confirms or waives attendance incidents."))
