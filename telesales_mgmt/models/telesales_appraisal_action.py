from odoo import api, fields, models
from odoo.exceptions import AccessError


class TelesalesAppraisalAction(models.Model):
    """One action of the improvement plan agreed at the feedback interview (绩效面谈,
    R-KPI-4): when the interview is done it becomes an activity of whoever carries it."""

    _name = "telesales.appraisal.action"
    _description = "Telesales Improvement Action"
    _order = "deadline, id"

    appraisal_id = fields.Many2one("telesales.appraisal", required=True, index=True, ondelete="cascade")
    name = fields.Char("Action", required=True)
    deadline = fields.Date(required=True)
    user_id = fields.Many2one("res.users", "Responsible", help="Empty: the appraised employee.")
    activity_id = fields.Many2one("mail.activity", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        if not self.env.su:
            for appraisal in actions.appraisal_id:
                appraisal._telesales_check_step_write_for("interview", self._description)
        return actions

    def write(self, vals):
        if not self.env.su:
            if "activity_id" in vals:
                raise AccessError(self.env._("The action's activity is the system's."))
            for appraisal in self.appraisal_id:
                appraisal._telesales_check_step_write_for("interview", self._description)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_in_the_interview(self):
        if not self.env.su:
            for appraisal in self.appraisal_id:
                appraisal._telesales_check_step_write_for("interview", self._description)

    def _telesales_schedule(self):
        for action in self.filtered(lambda a: not a.activity_id).sudo():
            appraisal = action.appraisal_id
            action.activity_id = appraisal.activity_schedule(
                "mail.mail_activity_data_todo", date_deadline=action.deadline,
                user_id=(action.user_id or appraisal.user_id).id, summary=action.name)
