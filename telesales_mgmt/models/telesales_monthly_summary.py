from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# What the agent writes: their own account of the month, while it is a draft (R-CALL-3).
AGENT_FIELDS = {"problems", "improvements"}


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
    is_author = fields.Boolean(compute="_compute_is_author", help="The current user is the agent summarised.")

    _unique_agent_month = models.UniqueIndex(
        "(employee_id, month)", "One work summary per agent and month.")

    @api.depends("employee_id", "month")
    def _compute_display_name(self):
        for summary in self:
            summary.display_name = (f"{summary.employee_id.name} {summary.month:%Y-%m}" if summary.month
                                    else summary.employee_id.name)

    @api.depends_context("uid")
    @api.depends("user_id")
    def _compute_is_author(self):
        for summary in self:
            summary.is_author = summary.user_id == self.env.user

    # ------------------------------------------------------------
    # Who writes what: the system the figures and the state, the agent their account
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._(
                "Work summaries are prepared by the system with last month's figures: they cannot be created "
                "by hand (R-CALL-3)."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_author_write(vals)
        return super().write(vals)

    def action_submit(self):
        self.check_access("write")
        is_leader = self.env.user.has_group("telesales_mgmt.group_telesales_leader")
        for summary in self:
            if summary.user_id != self.env.user and not is_leader:
                raise AccessError(self.env._("Only %(agent)s submits their own summary.", agent=summary.user_id.name))
            if summary.state != "draft":
                raise UserError(self.env._("%(summary)s is already submitted (R-CALL-3).",
                                           summary=summary.display_name))
            if not (summary.problems and summary.improvements):
                raise UserError(self.env._(
                    "Write the 'Problems' and 'Improvements' of %(summary)s before submitting it.",
                    summary=summary.display_name))
            summary._set_state("submitted")
            summary.activity_feedback(["mail.mail_activity_data_todo"])
            if summary.leader_id:
                summary.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=summary.leader_id.id,
                    summary=self.env._("Read %(summary)s", summary=summary.display_name))

    def action_acknowledge(self):
        user = self.env.user
        if not user.has_group("telesales_mgmt.group_telesales_leader"):
            raise AccessError(self.env._("The team leader acknowledges work summaries."))
        self.check_access("write")
        is_manager = user.has_group("telesales_mgmt.group_telesales_manager")
        for summary in self:
            if summary.user_id == user or not (is_manager or user in summary.leader_id | summary.team_id.user_id):
                raise AccessError(self.env._(
                    "%(summary)s is acknowledged by its team leader or the manager.", summary=summary.display_name))
        if any(summary.state != "submitted" for summary in self):
            raise UserError(self.env._("Only submitted summaries can be acknowledged."))
        self._set_state("acknowledged")
        self.activity_feedback(["mail.mail_activity_data_todo"])

    # ------------------------------------------------------------
    # Preparing last month's summaries (the cron)
    # ------------------------------------------------------------

    @api.model
    def _cron_prepare_summaries(self, batch_size=None, limit=None):
        """Prefill last month's summary for every agent who has none yet, in batches
        (`telesales.cron`; runs daily, so a missed 1st is caught up; reruns add nothing,
        and a run cut short resumes with the agents still without one)."""
        month = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        agents = self.env["hr.employee"].search([("telesales_role", "=", "agent"), ("user_id", "!=", False)])
        agents -= self.search([("month", "=", month), ("employee_id", "in", agents.ids)]).employee_id
        summaries = self.sudo().browse()
        for batch in self.env["telesales.cron"]._batches(agents, batch_size, limit):
            summaries |= self._prepare(batch, month)
        return summaries

    @api.model
    def _prepare(self, agents, month):
        """The summaries of `agents` for `month`, with the month's figures."""
        end = month + relativedelta(months=1)
        self.env["telesales.call"].flush_model()  # the report is a view over the calls
        figures = {user: values for user, *values in self.env["telesales.call.daily"].sudo()._read_group(
            [("user_id", "in", agents.user_id.ids), ("date", ">=", month), ("date", "<", end)],
            ["user_id"], ["dialled:sum", "connected:sum", "effective:sum", "intent:sum",
                          "deals:sum", "talk_hours:sum"])}
        minimum = {(user, met): count for user, met, count in self.env["telesales.daily.minimum"].sudo()._read_group(
            [("user_id", "in", agents.user_id.ids), ("date", ">=", month), ("date", "<", end)],
            ["user_id", "met"], ["__count"])}
        # sudo: the figures, the month, the agent and the leader are the system's (R-CALL-3).
        summaries = self.sudo().create([{
            **self._agent_values(agent),
            "leader_id": agent.telesales_team_id.user_id.id,
            "month": month,
            # The report's sums come as floats: counts are whole numbers.
            **dict(zip(("dialled", "connected", "effective", "intent", "deals", "talk_hours"),
                       (cast(value or 0) for cast, value in zip(
                           (int, int, int, int, int, float), figures.get(agent.user_id, (0, 0, 0, 0, 0, 0.0)))))),
            "days_minimum_met": minimum.get((agent.user_id, True), 0),
            "days_minimum_short": minimum.get((agent.user_id, False), 0),
        } for agent in agents])
        for summary in summaries:
            summary.activity_schedule(
                "mail.mail_activity_data_todo", user_id=summary.user_id.id,
                summary=self.env._("Write your work summary for %(month)s", month=f"{month:%Y-%m}"))
        return summaries

    # ------------------------------------------------------------
    # Who writes what: the checks behind create, write and the buttons
    # ------------------------------------------------------------

    def _mail_fields(self):
        """Fields the chatter (followers, activities, messages) writes through."""
        return set(self.env["mail.thread"]._fields) | set(self.env["mail.activity.mixin"]._fields)

    def _check_author_write(self, vals):
        """Only the agent writes, only their problems and improvements, only while a draft."""
        protected = set(vals) - AGENT_FIELDS - self._mail_fields()
        if protected:
            field = self._fields.get(sorted(protected)[0])
            if "state" in protected:
                raise AccessError(self.env._(
                    "Use the Submit and Acknowledge buttons to change a summary's state (R-CALL-3)."))
            raise AccessError(self.env._(
                "%(field)s of a work summary is written by the system only: the figures, the month, the agent "
                "and the leader come from the records of the month (R-CALL-3).",
                field=field.string if field else sorted(protected)[0]))
        if not AGENT_FIELDS & set(vals):
            return
        for summary in self:
            if summary.user_id != self.env.user:
                raise AccessError(self.env._(
                    "Only %(agent)s writes the problems and improvements of %(summary)s (R-CALL-3).",
                    agent=summary.employee_id.name, summary=summary.display_name))
            if summary.state != "draft":
                raise UserError(self.env._(
                    "%(summary)s is submitted: its problems and improvements are read-only (R-CALL-3).",
                    summary=summary.display_name))

    def _set_state(self, state):
        # sudo: the caller's right was checked by the button (action_submit, action_acknowledge).
        self.sudo().write({"state": state})
