from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class TelesalesMonthlySummary(models.Model):
    """An agent's monthly work summary (月度工作总结, R-CALL-3): last month's figures
    prefilled, the agent's own account of problems and improvements, the leader's
    acknowledgement."""

    _name = "telesales.monthly.summary"
    _description = "Monthly Work Summary"
    _inherit = ["telesales.agent.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "month desc, employee_id"

    leader_id = fields.Many2one("res.users", "Leader", index=True)
    month = fields.Date(required=True, help="First day of the month summarised.")
    state = fields.Selection(
        [("draft", "To Write"), ("submitted", "Submitted"), ("acknowledged", "Acknowledged")],
        default="draft", required=True, tracking=True)
    dialled = fields.Integer(readonly=True)
    connected = fields.Integer(readonly=True)
    effective = fields.Integer(readonly=True)
    intent = fields.Integer(readonly=True)
    deals = fields.Integer(readonly=True)
    talk_hours = fields.Float(readonly=True, digits=(16, 1))
    days_minimum_met = fields.Integer("Days Minimum Met", readonly=True)
    days_minimum_short = fields.Integer("Days Short", readonly=True)
    problems = fields.Html(help="What held you back this month.")
    improvements = fields.Html(help="What you will do better next month.")

    _unique_agent_month = models.UniqueIndex(
        "(employee_id, month)", "One work summary per agent and month.")

    @api.depends("employee_id", "month")
    def _compute_display_name(self):
        for summary in self:
            summary.display_name = f"{summary.employee_id.name} {summary.month:%Y-%m}" if summary.month else summary.employee_id.name

    @api.model
    def _cron_prepare_summaries(self):
        """Prefill last month's summary for every agent who has none yet (runs daily, so a
        missed 1st is caught up; reruns add nothing)."""
        month = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        agents = self.env["hr.employee"].search([("telesales_role", "=", "agent"), ("user_id", "!=", False)])
        agents -= self.search([("month", "=", month), ("employee_id", "in", agents.ids)]).employee_id
        if not agents:
            return self.browse()
        end = month + relativedelta(months=1)
        self.env["telesales.call"].flush_model()  # the report is a view over the calls
        figures = {user: values for user, *values in self.env["telesales.call.daily"].sudo()._read_group(
            [("user_id", "in", agents.user_id.ids), ("date", ">=", month), ("date", "<", end)],
            ["user_id"], ["dialled:sum", "connected:sum", "effective:sum", "intent:sum",
                          "deals:sum", "talk_hours:sum"])}
        minimum = {(user, met): count for user, met, count in self.env["telesales.daily.minimum"].sudo()._read_group(
            [("user_id", "in", agents.user_id.ids), ("date", ">=", month), ("date", "<", end)],
            ["user_id", "met"], ["__count"])}
        summaries = self.create([{
            **self._agent_values(agent),
            "leader_id": agent.telesales_team_id.user_id.id,
            "month": month,
            **dict(zip(("dialled", "connected", "effective", "intent", "deals", "talk_hours"),
                       figures.get(agent.user_id, (0, 0, 0, 0, 0, 0.0)))),
            "days_minimum_met": minimum.get((agent.user_id, True), 0),
            "days_minimum_short": minimum.get((agent.user_id, False), 0),
        } for agent in agents])
        for summary in summaries:
            summary.activity_schedule(
                "mail.mail_activity_data_todo", user_id=summary.user_id.id,
                summary=self.env._("Write your work summary for %(month)s", month=f"{month:%Y-%m}"))
        return summaries

    def write(self, vals):
        # The state moves only through the buttons, which check who may move it.
        if "state" in vals and not (self.env.su or self.env.context.get("telesales_summary_flow")):
            raise UserError(self.env._("Use the Submit and Acknowledge buttons to change a summary's state."))
        return super().write(vals)

    def action_submit(self):
        for summary in self:
            if summary.user_id != self.env.user and not self.env.user.has_group("telesales_mgmt.group_telesales_leader"):
                raise UserError(self.env._("Only %(agent)s submits their own summary.", agent=summary.user_id.name))
            if not (summary.problems and summary.improvements):
                raise UserError(self.env._(
                    "Write the 'Problems' and 'Improvements' of %(summary)s before submitting it.",
                    summary=summary.display_name))
            summary.with_context(telesales_summary_flow=True).state = "submitted"
            summary.activity_feedback(["mail.mail_activity_data_todo"])
            if summary.leader_id:
                summary.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=summary.leader_id.id,
                    summary=self.env._("Read %(summary)s", summary=summary.display_name))

    def action_acknowledge(self):
        if not self.env.user.has_group("telesales_mgmt.group_telesales_leader"):
            raise UserError(self.env._("The team leader acknowledges work summaries."))
        if any(summary.state != "submitted" for summary in self):
            raise UserError(self.env._("Only submitted summaries can be acknowledged."))
        self.with_context(telesales_summary_flow=True).write({"state": "acknowledged"})
        self.activity_feedback(["mail.mail_activity_data_todo"])
