from odoo import api, fields, models


class TelesalesProgressAlert(models.Model):
    """Whether an agent was on course for the daily minimum (R-CALL-5) at the check time
    of Settings (*Behind-the-Minimum Check At*, 16:00 by default): one record per agent
    working that day, written by the cron at the first run from that time; the team
    leader gets one activity on it for each agent behind. Judged on the calls made before
    the check time, so a cron run late or twice finds the same answer."""

    _name = "telesales.progress.alert"
    _description = "Behind the Daily Minimum"
    _inherit = ["telesales.agent.mixin", "mail.thread", "mail.activity.mixin", "telesales.computed.record"]
    _order = "date desc, employee_id"
    _telesales_system_fields = (
        "employee_id", "user_id", "team_id", "company_id", "date", "check_hour", "behind", "connected",
        "talk_hours", "expected_connected", "expected_talk_hours", "reasons")

    date = fields.Date(required=True, index=True)
    check_hour = fields.Float("Checked At", help="Local time of the check (Settings).")
    behind = fields.Boolean(
        "Behind", index=True,
        help="Below the share of the minimum due by the check time, or a first-call deadline "
        "missed (R-CALL-5).")
    connected = fields.Integer("Connected")
    talk_hours = fields.Float("Talk Hours", digits=(16, 2))
    expected_connected = fields.Float("Connected Expected", digits=(16, 1))
    expected_talk_hours = fields.Float("Talk Hours Expected", digits=(16, 2))
    reasons = fields.Text("Why Behind")

    _unique_agent_day = models.UniqueIndex(
        "(employee_id, date)", "An agent's progress is checked once a day.")

    @api.depends("employee_id", "date")
    def _compute_display_name(self):
        for alert in self:
            alert.display_name = self.env._(
                "%(agent)s at %(time)s on %(date)s", agent=alert.employee_id.name,
                time=self.env["telesales.workbench"]._hhmm(alert.check_hour), date=alert.date)

    @api.model
    def _cron_check_behind(self, batch_size=None, limit=None):
        """Every 15 minutes: from each company's check time on, each working agent not
        checked today is checked once, in batches (`telesales.cron`); the leader of each
        agent behind gets one activity. Idempotent: an agent checked has today's record,
        so a rerun (or another worker after it) adds nothing, and a run cut short resumes
        with the agents left. Before the check time: nothing."""
        Workbench = self.env["telesales.workbench"]
        todo = []
        for company in self.env["res.company"].search([]):
            now_hour, today = Workbench._local_now(company)
            if now_hour >= company.telesales_behind_check_hour:
                todo += [(company, today, agent.id) for agent in self._agents_to_check(company, today)]
        for batch in self.env["telesales.cron"]._batches(todo, batch_size, limit):
            for company, day in {item[:2] for item in batch}:
                agents = self.env["hr.employee"].browse([item[2] for item in batch if item[:2] == (company, day)])
                self._check_agents(company, day, agents)

    @api.model
    def _agents_to_check(self, company, day):
        """The company's agents working on `day` (leave and holidays first: not working,
        never behind) without a check that day yet."""
        agents = self.env["hr.employee"].sudo().search([
            ("company_id", "=", company.id), ("telesales_role", "=", "agent"), ("user_id", "!=", False)])
        checked = self.sudo().search([("company_id", "=", company.id), ("date", "=", day)]).employee_id
        return self.env["telesales.workday"]._working_employees(agents - checked, day)

    @api.model
    def _check_agents(self, company, day, agents):
        """Check `agents` (working that day, not checked yet) as at the check time."""
        if not agents:
            return self.browse()
        Workbench = self.env["telesales.workbench"]
        hour = company.telesales_behind_check_hour
        verdicts = Workbench._behind_at(company, day, agents.user_id, hour)
        vals_list = []
        for agent in agents:
            verdict = verdicts[agent.user_id.id]
            vals_list.append({
                **self._agent_values(agent), "date": day, "check_hour": hour,
                "behind": bool(verdict["reasons"]), "reasons": "\n".join(verdict["reasons"]),
                "connected": verdict["connected"], "talk_hours": verdict["talk_hours"],
                "expected_connected": verdict["expected_connected"],
                "expected_talk_hours": verdict["expected_talk_hours"],
            })
        alerts = self.sudo().with_context(tracking_disable=True, mail_create_nolog=True).create(vals_list)
        alerts.filtered("behind")._notify_leaders()
        return alerts

    def _notify_leaders(self):
        for alert in self:
            leader = alert.team_id.user_id
            if leader and leader != alert.user_id:
                alert.activity_schedule(
                    "mail.mail_activity_data_todo", date_deadline=alert.date, user_id=leader.id,
                    summary=self.env._("%(agent)s is behind the daily minimum (R-CALL-5)",
                                       agent=alert.employee_id.name),
                    note=alert.reasons)
