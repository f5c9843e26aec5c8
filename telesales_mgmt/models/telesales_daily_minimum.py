from odoo import api, fields, models
from odoo.tools import SQL, groupby

from .telesales_call import NOON, local_hour_and_day


class TelesalesDailyMinimum(models.Model):
    """Whether an agent met the day's work minimum (R-CALL-5): connected calls and talk
    time by the cut-off, first calls before the morning and afternoon deadlines. Short
    of it, the agent owes overtime (加班) that day. One record per agent and day."""

    _name = "telesales.daily.minimum"
    _description = "Daily Work Minimum"
    _inherit = ["telesales.agent.mixin", "mail.thread", "mail.activity.mixin", "telesales.computed.record"]
    _order = "date desc, employee_id"
    # Judged by the cron; the manager and HR may only change the overtime owed.
    _telesales_system_fields = (
        "employee_id", "user_id", "team_id", "company_id", "date", "connected", "talk_hours",
        "first_call_morning", "first_call_afternoon", "met", "shortfall")

    date = fields.Date(required=True, index=True)
    connected = fields.Integer("Connected")
    talk_hours = fields.Float("Talk Hours", digits=(16, 2))
    first_call_morning = fields.Float("First Call (Morning)")
    first_call_afternoon = fields.Float("First Call (Afternoon)")
    met = fields.Boolean("Minimum Met", index=True)
    shortfall = fields.Text(help="What was missing.")
    overtime_hours = fields.Float("Overtime Owed (h)", tracking=True)

    _unique_agent_day = models.UniqueIndex(
        "(employee_id, date)", "The daily minimum is judged once per agent and day.")

    @api.model
    def _cron_check_daily_minimum(self, batch_size=None, limit=None):
        """Judge today for every company whose cut-off has passed, in batches of agents
        (`telesales.cron`). Idempotent: agents already judged today are skipped, so a
        rerun (or a second worker) adds nothing, and a run cut short resumes with the
        agents not judged yet."""
        todo = []
        for company in self.env["res.company"].search([]):
            hour, today = local_hour_and_day(fields.Datetime.now(), company.telesales_tz)
            if hour >= company.telesales_cutoff_hour:
                todo += [(company, today, agent.id) for agent in self._agents_to_judge(company, today)]
        for batch in self.env["telesales.cron"]._batches(todo, batch_size, limit):
            for (company, day), items in groupby(batch, key=lambda item: item[:2]):
                self._judge_agents(company, day, self.env["hr.employee"].browse([item[2] for item in items]))

    @api.model
    def _agents_to_judge(self, company, day):
        """The company's agents working on `day` (approved leave and holidays first: an
        agent on leave is not judged, R-ATT-1) who have no result for it yet."""
        agents = self.env["hr.employee"].search([
            ("company_id", "=", company.id), ("telesales_role", "=", "agent"),
            ("user_id", "!=", False)])
        judged = self.search([("company_id", "=", company.id), ("date", "=", day)]).employee_id
        return self.env["telesales.workday"]._working_employees(agents - judged, day)

    @api.model
    def _judge_day(self, company, day, notify=True):
        return self._judge_agents(company, day, self._agents_to_judge(company, day), notify)

    @api.model
    def _judge_agents(self, company, day, agents, notify=True):
        """The results of `agents` (working that day, not judged yet) for `day`."""
        if not agents:
            return self.browse()
        figures = self._figures(agents.user_id, day, company.telesales_cutoff_hour, phone_only=(
            company.telesales_cti_enabled and not company.telesales_cti_typed_counts))
        vals_list = []
        for agent in agents:
            connected, talk_seconds, morning, afternoon = figures.get(agent.user_id.id, (0, 0, None, None))
            missing = self._shortfall(company, connected, talk_seconds / 3600, morning, afternoon)
            vals_list.append({
                **self._agent_values(agent), "date": day,
                "connected": connected, "talk_hours": talk_seconds / 3600,
                "first_call_morning": morning or 0.0, "first_call_afternoon": afternoon or 0.0,
                "met": not missing, "shortfall": "\n".join(missing),
                "overtime_hours": company.telesales_overtime_hours if missing else 0.0,
            })
        results = self.create(vals_list)
        if notify:
            results.filtered(lambda r: not r.met)._notify_leaders()
        return results

    @api.model
    def _figures(self, users, day, cutoff, phone_only=False):
        """{user id: (connected, talk seconds, first morning hour, first afternoon hour)},
        counting the calls before the cut-off; with `phone_only`, those the phone system
        measured (typed calls stay in the log but do not count)."""
        self.env["telesales.call"].flush_model()
        self.env.cr.execute(SQL(
            """
            SELECT user_id,
                   COUNT(*) FILTER (WHERE is_connected),
                   COALESCE(SUM(talk_seconds), 0),
                   MIN(local_hour) FILTER (WHERE local_hour < %(noon)s),
                   MIN(local_hour) FILTER (WHERE local_hour >= %(noon)s)
              FROM telesales_call
             WHERE call_date = %(day)s AND user_id = ANY(%(users)s) AND local_hour < %(cutoff)s
               AND (source = 'phone_system' OR NOT %(phone_only)s)
          GROUP BY user_id
            """, noon=NOON, day=day, users=users.ids, cutoff=cutoff, phone_only=phone_only))
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    def _shortfall(self, company, connected, talk_hours, morning, afternoon):
        def hhmm(hours):
            return f"{int(hours):02d}:{round(hours % 1 * 60):02d}"
        missing = []
        if connected < company.telesales_min_connected:
            missing.append(self.env._("%(done)s of %(due)s connected calls",
                                      done=connected, due=company.telesales_min_connected))
        if talk_hours < company.telesales_min_talk_hours:
            missing.append(self.env._("%(done)s of %(due)s hours of talk time",
                                      done=round(talk_hours, 2), due=company.telesales_min_talk_hours))
        if morning is None or morning >= company.telesales_first_call_morning:
            missing.append(self.env._("no call before %(time)s",
                                      time=hhmm(company.telesales_first_call_morning)))
        if afternoon is None or afternoon >= company.telesales_first_call_afternoon:
            missing.append(self.env._("no call after lunch before %(time)s",
                                      time=hhmm(company.telesales_first_call_afternoon)))
        return missing

    def _notify_leaders(self):
        for result in self:
            leader = result.team_id.user_id
            if leader:
                result.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=leader.id,
                    summary=self.env._("%(agent)s owes %(hours)s h overtime",
                                       agent=result.employee_id.name, hours=result.overtime_hours),
                    note=result.shortfall)
