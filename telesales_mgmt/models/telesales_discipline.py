from odoo import fields, models

DISCIPLINE_KINDS = [
    ("warning", "Warning (警告)"),
    ("demerit", "Demerit (记过)"),
    ("demotion", "Demotion"),
    ("dismissal_review", "Dismissal Review"),
    ("reward", "Reward"),
]


class TelesalesDiscipline(models.Model):
    """An employee's discipline record (R-ATT-6): sanctions, dismissal reviews and
    rewards, each with its reason and where it came from. A full-day absence writes a
    warning; too many absences open a dismissal review for HR to decide, never an
    automatic termination (R-ATT-5)."""

    _name = "telesales.discipline"
    _description = "Discipline Record"
    _inherit = ["telesales.agent.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    # Who and where, as when the record was written (telesales.agent.mixin): a later
    # team change leaves it under the leader it was written for.
    employee_id = fields.Many2one(string="Employee", tracking=True)
    user_id = fields.Many2one(required=False, readonly=True)
    team_id = fields.Many2one(readonly=True)
    company_id = fields.Many2one(readonly=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    kind = fields.Selection(DISCIPLINE_KINDS, required=True, tracking=True)
    reason = fields.Text(required=True)
    source = fields.Selection([("incident", "Attendance"), ("manual", "By Hand")],
                              default="manual", required=True)
    incident_id = fields.Many2one(
        "telesales.attendance.incident", "Incident", ondelete="cascade", index="btree_not_null",
        help="The absence this warning is for: re-judging the day away removes it too.")
    evidence_ids = fields.Many2many(
        "telesales.attendance.incident", string="Evidence",
        help="Dismissal review: the absences that crossed the threshold.")
    review_key = fields.Char(
        help="Dismissal review: which threshold and year opened it, so a rerun opens none again.")
    issued_by_id = fields.Many2one("res.users", "Issued By", default=lambda self: self.env.user)
    state = fields.Selection(
        [("open", "Open"), ("done", "Decided"), ("cancelled", "Cancelled")],
        default="open", required=True, tracking=True)
    decision = fields.Text(tracking=True, help="HR's decision on a dismissal review.")

    _review_uniq = models.Constraint(
        "UNIQUE(employee_id, review_key)", "This dismissal review is already open.")

    def action_done(self):
        self.write({"state": "done"})
        self.activity_feedback(["mail.mail_activity_data_todo"])

    def action_cancel(self):
        self.write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
