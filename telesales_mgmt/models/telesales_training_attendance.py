from odoo import fields, models


class TelesalesTrainingAttendance(models.Model):
    """An attendee of a training session and whether they attended (R-TRN-1)."""

    _name = "telesales.training.attendance"
    _description = "Training Attendance"
    _order = "session_id, employee_id"

    session_id = fields.Many2one("telesales.training.session", required=True, index=True, ondelete="cascade")
    employee_id = fields.Many2one("hr.employee", "Employee", required=True, index=True, check_company=True)
    company_id = fields.Many2one(related="session_id.company_id", store=True, index=True)
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index=True)
    team_id = fields.Many2one(related="employee_id.telesales_team_id", store=True, index=True, string="Team")
    attended = fields.Boolean(help="Ticked when attendance is taken: the employee came.")
    topic = fields.Selection(related="session_id.topic", store=True)
    date = fields.Date(related="session_id.date", store=True)
    hours = fields.Float(related="session_id.hours")

    _employee_uniq = models.UniqueIndex(
        "(session_id, employee_id)", "An employee is listed once per training session (Attendees).")
