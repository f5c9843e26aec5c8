from collections import Counter

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

# Figures are compared with this many decimals: 84.99 % is short of 85 %.
GATE_PRECISION = 4


class TelesalesHiringRequest(models.Model):
    """A team leader's hiring request (增员申请, R-ORG-6): how many, for which job, why.
    On submission the team's four figures of last month are computed once and kept
    (achievement, sales per head, attrition, call quality), each with how it was
    computed; a request whose team missed one is refused, unless it is for referred
    hires (内推), which are exempt. The department manager approves, which raises the
    job position's expected new employees in Recruitment."""

    _name = "telesales.hiring.request"
    _description = "Hiring Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "telesales.system.fields"]
    _order = "id desc"
    # Written by the submission and the manager's decision only (sudo, after the
    # caller's right was checked), never typed.
    _telesales_system_fields = (
        "state", "month", "achievement", "achievement_passed", "achievement_note", "sales_per_head",
        "sales_per_head_passed", "sales_per_head_note", "attrition", "attrition_passed", "attrition_note",
        "quality_rate", "quality_measured", "quality_passed", "quality_note", "gate_passed", "gate_note",
        "decided_by_id", "decision_date")
    # What the leader fills in, while the request is a draft.
    _telesales_draft_fields = ("team_id", "job_id", "headcount", "reason", "referred", "company_id")

    # Request
    team_id = fields.Many2one(
        "crm.team", "Team", required=True, index=True, tracking=True, check_company=True,
        domain=[("is_telesales", "=", True)], default=lambda self: self._default_team_id())
    leader_id = fields.Many2one(related="team_id.user_id", string="Team Leader", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    job_id = fields.Many2one(
        "hr.job", "Job Position", tracking=True, check_company=True,
        compute="_compute_job_id", store=True, readonly=False,
        help="The position in Recruitment whose expected new employees grow when the request is approved; "
        "by default the job most of the team's agents hold.")
    headcount = fields.Integer("New Hires", required=True, default=1, tracking=True)
    reason = fields.Text("Why", required=True, tracking=True)
    referred = fields.Boolean(
        "Referred Hires (内推)", tracking=True,
        help="Hires referred by employees are exempt from the gate (R-ORG-6); the referrer earns the "
        "referral bonus (R-ORG-5).")
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved"), ("refused", "Refused")],
        default="draft", required=True, readonly=True, tracking=True, copy=False, index=True)
    decided_by_id = fields.Many2one("res.users", "Decided By", readonly=True, copy=False)
    decision_date = fields.Datetime(readonly=True, copy=False)

    # The gate, frozen at submission (R-ORG-6)
    month = fields.Date("Month Judged", readonly=True, copy=False,
                        help="First day of the month the team was judged on.")
    achievement = fields.Float("Sales Achievement (%)", digits=(16, 2), readonly=True, copy=False)
    achievement_passed = fields.Boolean("Achievement Met", readonly=True, copy=False)
    achievement_note = fields.Char("Achievement: How", readonly=True, copy=False)
    sales_per_head = fields.Monetary("Sales per Head", readonly=True, copy=False)
    sales_per_head_passed = fields.Boolean("Sales per Head Met", readonly=True, copy=False)
    sales_per_head_note = fields.Char("Sales per Head: How", readonly=True, copy=False)
    attrition = fields.Float("Attrition (%)", digits=(16, 2), readonly=True, copy=False)
    attrition_passed = fields.Boolean("Attrition Met", readonly=True, copy=False)
    attrition_note = fields.Char("Attrition: How", readonly=True, copy=False)
    quality_rate = fields.Float("Call Quality Pass Rate (%)", digits=(16, 2), readonly=True, copy=False)
    quality_measured = fields.Boolean("Quality Measured", readonly=True, copy=False)
    quality_passed = fields.Boolean("Call Quality Met", readonly=True, copy=False)
    quality_note = fields.Char("Call Quality: How", readonly=True, copy=False)
    gate_passed = fields.Boolean("Team Met Last Month", readonly=True, copy=False)
    gate_note = fields.Text("Figures Missed", readonly=True, copy=False)

    _headcount_positive = models.Constraint("CHECK(headcount > 0)", "A hiring request asks for at least one hire.")

    def _default_team_id(self):
        return self.env["crm.team"].search(
            [("is_telesales", "=", True), ("user_id", "=", self.env.uid)], limit=1)

    @api.depends("team_id", "headcount")
    def _compute_display_name(self):
        for request in self:
            request.display_name = self.env._(
                "%(team)s: %(count)s new hire(s)", team=request.team_id.name or "-", count=request.headcount)

    @api.depends("team_id")
    def _compute_job_id(self):
        # sudo: the team's agents' jobs are read to suggest one; the leader sees them on
        # their people anyway.
        for request in self:
            if request.job_id or not request.team_id:
                continue
            agents = self.env["hr.employee"].sudo().search(
                [("telesales_team_id", "=", request.team_id.id), ("telesales_role", "=", "agent"),
                 ("job_id", "!=", False)])
            jobs = Counter(agents.mapped("job_id.id"))
            request.job_id = jobs.most_common(1)[0][0] if jobs else False

    # ------------------------------------------------------------------ guards
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._telesales_refuse_system_fields(vals)
        requests = super().create(vals_list)
        requests._telesales_check_leader()
        return requests

    def write(self, vals):
        if not self.env.su and set(vals) & set(self._telesales_draft_fields):
            if self.filtered(lambda request: request.state != "draft"):
                raise UserError(self.env._(
                    "A submitted hiring request cannot be changed: reset it to draft first (R-ORG-6)."))
        result = super().write(vals)
        if "team_id" in vals:
            self._telesales_check_leader()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if not self.env.su and self.filtered(lambda request: request.state != "draft"):
            raise UserError(self.env._("Only draft hiring requests can be deleted (R-ORG-6)."))

    def _telesales_system_fields_message(self, labels):
        return self.env._(
            "%(fields)s of a hiring request are set by its submission and the manager's decision: "
            "use the buttons (R-ORG-6).", fields=labels)

    def _telesales_check_leader(self):
        """Only a team's leader asks to hire for the team (R-ORG-6)."""
        if self.env.su:
            return
        for request in self:
            if request.team_id.user_id != self.env.user:
                raise AccessError(self.env._(
                    "Only the leader of team %(team)s asks to hire for it (field Team, rule R-ORG-6).",
                    team=request.team_id.name))

    def _telesales_check_manager(self):
        if not self.env.user.has_group("telesales_mgmt.group_telesales_manager"):
            raise AccessError(self.env._("Only the department manager approves or refuses hiring requests (R-ORG-6)."))
        self.check_access("write")

    # ------------------------------------------------------------------ steps
    def action_submit(self):
        """Judge the team on last month and submit, or refuse with the figures missed."""
        self.check_access("write")
        self._telesales_check_leader()
        month = (fields.Date.context_today(self).replace(day=1) - relativedelta(months=1))
        for request in self:
            if request.state != "draft":
                raise UserError(self.env._("%(request)s was submitted already (R-ORG-6).",
                                           request=request.display_name))
            if not request.job_id:
                raise UserError(self.env._(
                    "%(request)s: choose the Job Position whose new employees Recruitment will look for "
                    "(R-ORG-6).", request=request.display_name))
            request._telesales_submit(month)

    def _telesales_submit(self, month):
        self.ensure_one()
        values = self._telesales_gate_figures(self.team_id, month)
        failed = [values.pop(f"{key}_failure") for key in ("achievement", "sales_per_head", "attrition", "quality")]
        failed = [line for line in failed if line]
        values.update(month=month, gate_passed=not failed, gate_note="\n".join(failed) or False)
        allowed = not failed or self.referred
        values["state"] = "submitted" if allowed else "refused"
        self.sudo().write(values)
        if not allowed:
            self.message_post(body=Markup("<p>%s</p><ul>%s</ul>") % (self.env._(
                "Refused: team %(team)s did not meet last month's figures (R-ORG-6):", team=self.team_id.name),
                Markup().join(Markup("<li>%s</li>") % line for line in failed)))
            return
        if failed:
            self.message_post(body=Markup("<p>%s</p><ul>%s</ul>") % (self.env._(
                "Referred hires (内推) are exempt from the gate (R-ORG-6); the team missed:"),
                Markup().join(Markup("<li>%s</li>") % line for line in failed)))
        approver = self.team_id.telesales_manager_id or self.company_id.telesales_department_id.manager_id.user_id
        if approver:
            self.activity_schedule(
                "mail.mail_activity_data_todo", user_id=approver.id,
                summary=self.env._("Approve a hiring request (R-ORG-6)"),
                note=self.env._("%(leader)s asks for %(count)s new hire(s) for team %(team)s.",
                                leader=self.env.user.name, count=self.headcount, team=self.team_id.name))

    def action_approve(self):
        self._telesales_check_manager()
        for request in self:
            if request.state != "submitted":
                raise UserError(self.env._("Only a submitted hiring request can be approved (R-ORG-6)."))
            if not (request.gate_passed or request.referred):
                raise UserError(self.env._(
                    "%(request)s: the team did not meet last month's figures (R-ORG-6).",
                    request=request.display_name))
        self._telesales_decide("approved")
        self._telesales_raise_recruitment()

    def action_refuse(self):
        self._telesales_check_manager()
        if self.filtered(lambda request: request.state != "submitted"):
            raise UserError(self.env._("Only a submitted hiring request can be refused (R-ORG-6)."))
        self._telesales_decide("refused")

    def action_draft(self):
        """The leader takes a refused request back, to submit it again later."""
        self.check_access("write")
        self._telesales_check_leader()
        if self.filtered(lambda request: request.state != "refused"):
            raise UserError(self.env._("Only a refused hiring request goes back to draft (R-ORG-6)."))
        self.sudo().write({"state": "draft", "decided_by_id": False, "decision_date": False})

    def _telesales_decide(self, state):
        self.sudo().write({"state": state, "decided_by_id": self.env.uid, "decision_date": fields.Datetime.now()})
        self.activity_feedback(["mail.mail_activity_data_todo"])

    def _telesales_raise_recruitment(self):
        """The job position's expected new employees grow by the hires approved.
        sudo: the manager decides on hiring but needs no Recruitment rights for it."""
        for request in self:
            job = request.job_id.sudo()
            job.no_of_recruitment += request.headcount
            job.message_post(body=self.env._(
                "%(count)s more expected: hiring request of team %(team)s approved by %(manager)s (R-ORG-6).",
                count=request.headcount, team=request.team_id.name, manager=self.env.user.name))

    # ------------------------------------------------------------------ the gate
    @api.model
    def _telesales_team_agents(self, team, month, end):
        """The team's agents at some point of [month, end), gone ones too (as superuser:
        departure dates are HR's): hired before the end, not gone before the start. An
        employee archived without a departure date is not counted."""
        agents = self.env["hr.employee"].sudo().with_context(active_test=False).search(
            [("telesales_team_id", "=", team.id), ("telesales_role", "=", "agent")])
        return agents.filtered(lambda agent: (agent.active or agent.departure_date)
                               and (not agent.telesales_hire_date or agent.telesales_hire_date < end)
                               and (not agent.departure_date or agent.departure_date >= month))

    @api.model
    def _telesales_gate_figures(self, team, month):
        """The four figures of `team` in the month starting `month` (R-ORG-6), as values
        of a request, each with how it was computed, and `<figure>_failure`: a sentence
        when the figure misses its threshold (Settings)."""
        company = team.company_id or self.env.company
        currency = company.currency_id
        end = month + relativedelta(months=1)
        label = month.strftime("%Y-%m")
        agents = self._telesales_team_agents(team, month, end)
        users = agents.user_id

        def met(value, threshold, at_most=False):
            compared = float_compare(value, threshold, precision_digits=GATE_PRECISION)
            return compared <= 0 if at_most else compared >= 0

        # Sales on the commission basis, against the agents' targets (R-KPI-1).
        Target = self.env["telesales.sales.target"].sudo()
        plan = self.env["telesales.target.plan"].sudo().search(
            [("company_id", "=", company.id), ("year", "=", month.year)], limit=1)
        basis = plan.basis or Target._telesales_default_basis(company)
        sales = sum(Target._telesales_achieved(company, basis, month, end, users).values()) if users else 0.0
        targets = sum(Target.search([("user_id", "in", users.ids), ("month", "=", month)]).mapped("amount"))
        achievement = 100.0 * sales / targets if targets else 0.0
        values = {"achievement": achievement}
        minimum = company.telesales_gate_min_achievement
        if targets:
            values["achievement_note"] = self.env._(
                "Sales %(sales)s / targets %(targets)s = %(value).2f %% (at least %(minimum)s %%)",
                sales=currency.format(sales), targets=currency.format(targets), value=achievement, minimum=minimum)
        else:
            values["achievement_note"] = self.env._(
                "No target was set for the team's agents in %(month)s", month=label)
        values["achievement_passed"] = bool(targets) and met(achievement, minimum)

        # Headcount: agents on the 1st and on the next month's 1st.
        start_count = len(agents.filtered(lambda a: not a.telesales_hire_date or a.telesales_hire_date <= month))
        end_count = len(agents.filtered(lambda a: not a.departure_date or a.departure_date >= end))
        average = (start_count + end_count) / 2.0
        leavers = len(agents.filtered(lambda a: a.departure_date and a.departure_date < end))
        headcount = self.env._("average agents %(average).1f ((%(start)s on the 1st + %(end)s at the end) / 2)",
                               average=average, start=start_count, end=end_count)

        per_head = sales / average if average else 0.0
        minimum = company.telesales_gate_min_sales_per_head
        values.update(sales_per_head=per_head, sales_per_head_passed=bool(average) and met(per_head, minimum),
                      sales_per_head_note=self.env._(
                          "Sales %(sales)s / %(headcount)s = %(value)s (at least %(minimum)s)",
                          sales=currency.format(sales), headcount=headcount, value=currency.format(per_head),
                          minimum=currency.format(minimum)))

        attrition = 100.0 * leavers / average if average else (100.0 if leavers else 0.0)
        maximum = company.telesales_gate_max_attrition
        values.update(attrition=attrition, attrition_passed=met(attrition, maximum, at_most=True),
                      attrition_note=self.env._(
                          "Leavers %(leavers)s / %(headcount)s = %(value).2f %% (at most %(maximum)s %%)",
                          leavers=leavers, headcount=headcount, value=attrition, maximum=maximum))

        values.update(self._telesales_quality_figure(company, users, month, end, label))

        names = {"achievement": self.env._("Sales achievement"), "sales_per_head": self.env._("Sales per head"),
                 "attrition": self.env._("Attrition"), "quality": self.env._("Call quality pass rate")}
        for key, name in names.items():
            values[f"{key}_failure"] = False if values[f"{key}_passed"] else self.env._(
                "%(figure)s: %(how)s", figure=name, how=values[f"{key}_note"])
        return values

    @api.model
    def _telesales_quality_figure(self, company, users, month, end, label):
        """The team's call quality pass rate (R-CALL-7) from the inspections done of the
        month's calls. Not measured (no inspection, or inspection not installed): shown
        so, and not held against the team."""
        minimum = company.telesales_gate_min_quality
        if "telesales.quality.inspection" not in self.env:
            return {"quality_rate": 0.0, "quality_measured": False, "quality_passed": True,
                    "quality_note": self.env._("Not measured: call quality inspection is not installed")}
        # sudo: the gate counts every inspection of the team, whoever may read them.
        Inspection = self.env["telesales.quality.inspection"].sudo()
        rates = Inspection._telesales_pass_rates(users, month, end) if users else {}
        passed = sum(rate[0] for rate in rates.values())
        total = sum(rate[1] for rate in rates.values())
        if not total:
            return {"quality_rate": 0.0, "quality_measured": False, "quality_passed": True,
                    "quality_note": self.env._("Not measured: no call of the team was inspected in %(month)s",
                                               month=label)}
        rate = 100.0 * passed / total
        return {"quality_rate": rate, "quality_measured": True,
                "quality_passed": float_compare(rate, minimum, precision_digits=GATE_PRECISION) >= 0,
                "quality_note": self.env._("Passed %(passed)s / inspected %(total)s = %(value).2f %% "
                                           "(at least %(minimum)s %%)",
                                           passed=passed, total=total, value=rate, minimum=minimum)}
