from odoo import fields, models
from odoo.exceptions import UserError


class TelesalesAttendanceRejudge(models.TransientModel):
    """HR judges a range of days again for chosen employees, e.g. after correcting
    attendances or approving a late leave request."""

    _name = "telesales.attendance.rejudge"
    _description = "Judge Attendance Again"

    employee_ids = fields.Many2many(
        "hr.employee", string="Employees", required=True,
        default=lambda self: self.env["hr.employee"].browse(self.env.context.get("active_ids", []))
        if self.env.context.get("active_model") == "hr.employee" else False)
    date_from = fields.Date("From", required=True)
    date_to = fields.Date("To", required=True, default=fields.Date.context_today)

    def action_judge(self):
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(self.env._("From (%(start)s) must not be after To (%(stop)s).",
                                       start=self.date_from, stop=self.date_to))
        if (self.date_to - self.date_from).days > 366:
            raise UserError(self.env._("Judge at most one year at a time."))
        incidents = self.env["telesales.attendance.judge"]._judge(self.employee_ids, self.date_from, self.date_to)
        action = self.env["ir.actions.act_window"]._for_xml_id("telesales_mgmt.telesales_attendance_incident_action")
        action["domain"] = [("employee_id", "in", self.employee_ids.ids),
                            ("date", ">=", self.date_from), ("date", "<=", self.date_to)]
        action["context"] = {}
        return action if incidents else {"type": "ir.actions.act_window_close"}
