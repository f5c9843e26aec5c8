from odoo import fields, models
from odoo.exceptions import UserError


class TelesalesClockingFraud(models.TransientModel):
    """HR records a proven case of clocking in for someone else (R-ATT-6): both the
    employee and their team leader are penalised (连带责任), each with their own record."""

    _name = "telesales.clocking.fraud"
    _description = "Clocking for Someone Else"

    employee_id = fields.Many2one("hr.employee", "Employee", required=True,
                                  default=lambda self: self.env.context.get("active_id")
                                  if self.env.context.get("active_model") == "hr.employee" else False)
    date = fields.Date(required=True, default=fields.Date.context_today)
    kind = fields.Selection([("warning", "Warning (警告)"), ("demerit", "Demerit (记过)")],
                            default="demerit", required=True)
    reason = fields.Text(required=True, help="The proof: who clocked for whom, when, how it was found.")

    def action_record(self):
        self.ensure_one()
        if not self.env.user.has_group("hr.group_hr_user"):
            raise UserError(self.env._("Only HR records clocking for someone else."))
        leader = self.employee_id.telesales_team_id.user_id.employee_ids[:1]
        if not leader:
            raise UserError(self.env._(
                "%(employee)s has no team leader: set the team and its leader first, the leader "
                "shares the responsibility (R-ATT-6).", employee=self.employee_id.name))
        records = self.env["telesales.discipline"].create([
            {"employee_id": self.employee_id.id, "date": self.date, "kind": self.kind,
             "reason": self.env._("Clocking for someone else: %(reason)s", reason=self.reason)},
            {"employee_id": leader.id, "date": self.date, "kind": self.kind,
             "reason": self.env._("Joint responsibility (连带责任) for %(employee)s clocking for someone "
                                  "else: %(reason)s", employee=self.employee_id.name, reason=self.reason)},
        ])
        return {"type": "ir.actions.act_window", "res_model": "telesales.discipline",
                "name": self.env._("Discipline"), "view_mode": "list,form",
                "domain": [("id", "in", records.ids)]}
