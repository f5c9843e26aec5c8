from datetime import timedelta

from odoo import api, fields, models

# How far back to look for the trainee's working days.
LOOKBACK_DAYS = 21


class TelesalesCoaching(models.Model):
    """A coaching session (辅导, R-CALL-6): a trainee without a deal for N working days
    reviews failed and successful recordings with their leader."""

    _name = "telesales.coaching"
    _description = "Trainee Coaching"
    _inherit = ["telesales.agent.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    employee_id = fields.Many2one(string="Trainee")
    leader_id = fields.Many2one("res.users", "Coach", index=True)
    date = fields.Date(required=True, help="Day the coaching was called for.")
    days_without_deal = fields.Integer()
    success_call_ids = fields.Many2many(
        "telesales.call", "telesales_coaching_success_rel", string="Successful Calls",
        help="The trainee's latest recorded intent and deal calls: what worked.")
    failed_call_ids = fields.Many2many(
        "telesales.call", "telesales_coaching_failed_rel", string="Failed Calls",
        help="The trainee's latest recorded calls without interest: what to improve.")
    state = fields.Selection([("todo", "To Do"), ("done", "Done")], default="todo", tracking=True)
    notes = fields.Html(help="What was reviewed and agreed.")

    _unique_trainee_day = models.UniqueIndex("(employee_id, date)")

    # Calls failed at quality inspection (R-CALL-7) wait for the agent's next session.
    inspected_call_ids = fields.Many2many(
        "telesales.call", "telesales_coaching_inspected_rel", string="Failed Inspections",
        help="Calls that failed their quality inspection since the last coaching (R-CALL-7).")

    @api.model_create_multi
    def create(self, vals_list):
        coachings = super().create(vals_list)
        self.env["telesales.quality.inspection"]._telesales_to_coaching(coachings)
        return coachings

    @api.depends("employee_id", "date")
    def _compute_display_name(self):
        for coaching in self:
            coaching.display_name = self.env._(
                "Coaching %(trainee)s (%(date)s)", trainee=coaching.employee_id.name, date=coaching.date)

    def action_done(self):
        self.write({"state": "done"})
        self.activity_feedback(["mail.mail_activity_data_meeting"])

    @api.model
    def _cron_trainee_coaching(self, batch_size=None, limit=None):
        """Call a coaching for each trainee without a deal in their last N working days,
        in batches (`telesales.cron`). Idempotent: a trainee with an open coaching gets
        no second one, so a run cut short resumes with the trainees still to coach."""
        today = fields.Date.context_today(self)
        trainees = self.env["hr.employee"].search([
            ("telesales_role", "=", "agent"), ("telesales_status", "=", "trainee"),
            ("user_id", "!=", False)])
        open_for = self.search([("employee_id", "in", trainees.ids), ("state", "=", "todo")]).employee_id
        Workday = self.env["telesales.workday"]
        Call = self.env["telesales.call"]
        Lead = self.env["crm.lead"].sudo()
        vals_list = []
        for trainee in trainees - open_for:
            days = trainee.company_id.telesales_coaching_days
            if not days:
                continue
            worked = [day for day in (today - timedelta(days=n) for n in range(1, LOOKBACK_DAYS))
                      if Workday._is_working_day(trainee, day)][:days]
            if len(worked) < days:
                continue  # too new to judge
            # A deal is a won opportunity (crm_lead.WON_DEAL_DOMAIN), as every figure counts it.
            deals = Lead.search_count(Lead._telesales_deal_domain(
                trainee.user_id, worked[-1], worked[0] + timedelta(days=1)), limit=1)
            if deals:
                continue
            # Reviewed together by listening (R-CALL-6): only calls with a recording.
            recent = [("user_id", "=", trainee.user_id.id),
                      "|", ("recording_url", "!=", False), ("recording_file", "!=", False)]
            vals_list.append({
                **self._agent_values(trainee),
                "leader_id": trainee.telesales_team_id.user_id.id,
                "date": today, "days_without_deal": days,
                "success_call_ids": Call.search(recent + [("outcome", "in", ("intent", "deal"))], limit=3).ids,
                "failed_call_ids": Call.search(recent + [("outcome", "=", "not_interested")], limit=3).ids,
            })
        coachings = self.browse()
        for batch in self.env["telesales.cron"]._batches(vals_list, batch_size, limit):
            created = self.create(batch)
            for coaching in created.filtered("leader_id"):
                coaching.activity_schedule(
                    "mail.mail_activity_data_meeting", user_id=coaching.leader_id.id,
                    summary=self.env._("Coach %(trainee)s: no deal for %(days)s working days",
                                       trainee=coaching.employee_id.name, days=coaching.days_without_deal),
                    note=self.env._("Review their latest successful and failed recordings together (R-CALL-6)."))
            coachings |= created
        return coachings
