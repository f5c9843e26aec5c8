from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engines import kpi as kpi_engine

STEPS = [
    ("self", "Self-assessment"),
    ("leader", "Leader"),
    ("manager", "Manager"),
    ("hr", "HR Consolidation"),
    ("interview", "Feedback Interview"),
    ("done", "Done"),
]
GRADES = [("s", "S"), ("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")]
# What each step's owner writes, and only in that step (R-KPI-4).
STEP_FIELDS = {
    "self": {"self_comment"},
    "leader": {"leader_comment"},
    "manager": {"manager_comment"},
    "hr": {"hr_comment"},
    "interview": {"interview_date", "interview_notes", "action_ids"},
    "done": {"reopen_reason"},
}
# Reminded this many days before the due date; escalated the day after it.
REMIND_DAYS = 2


class TelesalesAppraisal(models.Model):
    """One agent's or leader's appraisal (绩效考核) of a month or a year (R-KPI-3): the
    indicators of their template with the values frozen when it opened, each linked to the
    records behind it; then self-assessment → leader → manager → HR consolidation →
    feedback interview → done (R-KPI-4), each step by its role only."""

    _name = "telesales.appraisal"
    _description = "Telesales Appraisal"
    _inherit = ["mail.thread", "mail.activity.mixin", "telesales.agent.mixin", "telesales.computed.record"]
    _order = "date_from desc, team_id, employee_id"
    _telesales_system_fields = (
        "employee_id", "user_id", "team_id", "company_id", "period", "date_from", "date_to",
        "template_id", "rating_ids", "state", "due_date", "total_score", "final_score",
        "grade", "achievement", "forced_distribution_note", "reminded_step", "escalated_step")

    name = fields.Char(compute="_compute_name", store=True)
    period = fields.Selection([("month", "Month"), ("year", "Year")], required=True, default="month")
    date_from = fields.Date("From", required=True, index=True)
    date_to = fields.Date("Until", required=True, help="The first day after the period.")
    template_id = fields.Many2one("telesales.appraisal.template", "Template", readonly=True)
    line_ids = fields.One2many("telesales.appraisal.line", "appraisal_id", "Indicators")
    rating_ids = fields.One2many("telesales.appraisal.rating", "appraisal_id", "Peer Ratings")
    state = fields.Selection(STEPS, "Step", default="self", required=True, tracking=True, index=True)
    due_date = fields.Date(help="Each step is due by this day (Settings: Appraisal Due Day, R-KPI-3).")
    total_score = fields.Float(
        "Score", compute="_compute_total_score", store=True, aggregator="avg",
        help="Weighted sum of the indicators' scores, 0-100 (and above for indicators past target).")
    final_score = fields.Float(
        "Final Score", readonly=True, tracking=True, aggregator="avg",
        help="The score HR consolidated (综合评定).")
    grade = fields.Selection(GRADES, readonly=True, tracking=True, index=True,
                             help="S/A/B/C/D from the final score by the bands in Settings.")
    achievement = fields.Float(
        "Target Achievement (%)", readonly=True, aggregator="avg",
        help="Sales against the target of the period, frozen when the appraisal opened.")
    forced_distribution_note = fields.Char(
        readonly=True, help="Why the grade differs from the score's band: the team's forced distribution.")
    self_comment = fields.Text("Self-assessment (自评)", tracking=True)
    leader_comment = fields.Text("Leader's Assessment", tracking=True)
    manager_comment = fields.Text("Manager's Assessment", tracking=True)
    hr_comment = fields.Text("HR Consolidation", tracking=True)
    interview_date = fields.Date("Interview On", tracking=True)
    interview_notes = fields.Text("Interview Notes (绩效面谈)", tracking=True)
    action_ids = fields.One2many("telesales.appraisal.action", "appraisal_id", "Improvement Plan")
    reopen_reason = fields.Char(tracking=True, help="Why HR reopened a done appraisal.")
    reminded_step = fields.Char(readonly=True, copy=False)
    escalated_step = fields.Char(readonly=True, copy=False)

    _employee_period_unique = models.Constraint(
        "UNIQUE(employee_id, period, date_from)", "An employee has one appraisal per period.")

    @api.depends("employee_id", "period", "date_from")
    def _compute_name(self):
        for appraisal in self:
            when = appraisal.date_from and (appraisal.date_from.strftime("%Y-%m") if appraisal.period == "month"
                                            else str(appraisal.date_from.year))
            appraisal.name = f"{appraisal.employee_id.name or ''} · {when or ''}"

    @api.depends("line_ids.weighted_score")
    def _compute_total_score(self):
        for appraisal in self:
            appraisal.total_score = round(sum(appraisal.line_ids.mapped("weighted_score")), 2)

    # ------------------------------------------------------------
    # Who writes what (R-KPI-4)
    # ------------------------------------------------------------

    def write(self, vals):
        if not self.env.su:
            for appraisal in self:
                appraisal._telesales_check_step_write(set(vals))
        return super().write(vals)

    def _telesales_check_step_write(self, fnames):
        """The fields of a step are written in that step by its owner only."""
        for step, step_fields in STEP_FIELDS.items():
            touched = fnames & step_fields
            if touched:
                self._telesales_check_step_write_for(
                    step, ", ".join(self._fields[f].string for f in sorted(touched)))

    def _telesales_check_step_write_for(self, step, what):
        """`what` (field labels) is written in `step` only, by its owner."""
        self.ensure_one()
        if self.state != step:
            raise AccessError(self.env._(
                "%(fields)s of %(name)s can be written only in the step %(step)s; it is at %(now)s "
                "(R-KPI-4).", fields=what, name=self.name, step=self._step_label(step),
                now=self._step_label(self.state)))
        self._telesales_check_step_owner(step)

    def _telesales_check_step_owner(self, step):
        """Refuse unless the current user owns `step` of this appraisal (the server's own
        steps run as superuser: no client gets there)."""
        if self.env.su:
            return
        user = self.env.user
        superior = self._telesales_superior() == user
        owners = {
            "self": self.user_id == user,
            "leader": superior and self.user_id != user,
            "manager": user.has_group("telesales_mgmt.group_telesales_manager") and self.user_id != user,
            "hr": user.has_group("hr.group_hr_user") and self.user_id != user,
            "interview": (superior or user.has_group("hr.group_hr_user")) and self.user_id != user,
            "done": user.has_group("hr.group_hr_user") and self.user_id != user,
        }
        if not owners[step]:
            who = {"self": self.env._("the appraised employee"), "leader": self.env._("their team leader"),
                   "manager": self.env._("the department manager"), "hr": self.env._("HR"),
                   "interview": self.env._("their team leader or HR"), "done": self.env._("HR")}[step]
            raise AccessError(self.env._(
                "Only %(who)s acts on the step %(step)s of %(name)s (R-KPI-4).",
                who=who, step=self._step_label(step), name=self.name))

    def _telesales_superior(self):
        """Who assesses at the leader's step: the team leader; for a team leader's own
        appraisal, the team's department manager."""
        self.ensure_one()
        if self.team_id.user_id and self.team_id.user_id != self.user_id:
            return self.team_id.user_id
        return (self.team_id.telesales_manager_id
                or self.company_id.telesales_department_id.manager_id.user_id)

    def _step_label(self, step):
        return dict(self._fields["state"]._description_selection(self.env))[step]

    # ------------------------------------------------------------
    # The flow (R-KPI-4)
    # ------------------------------------------------------------

    def _telesales_advance(self, step, check=None):
        """Move from `step` to the next one, by its owner, after `check`."""
        order = [key for key, _label in STEPS]
        for appraisal in self:
            if appraisal.state != step:
                raise UserError(self.env._(
                    "%(name)s is at %(now)s, not %(step)s.", name=appraisal.name,
                    now=appraisal._step_label(appraisal.state), step=appraisal._step_label(step)))
            appraisal._telesales_check_step_owner(step)
            if check:
                check(appraisal)
            # sudo: the step is the system's to write, once its owner was checked.
            appraisal.sudo().write({"state": order[order.index(step) + 1],
                                    "reminded_step": False, "escalated_step": False})
        return True

    def action_submit_self(self):
        def check(appraisal):
            if not (appraisal.self_comment or "").strip():
                raise UserError(self.env._("Write your self-assessment (Self-assessment, 自评) first."))
        self._telesales_advance("self", check)
        self._telesales_freeze_peer_ratings()
        return True

    def action_submit_leader(self):
        def check(appraisal):
            missing = appraisal.line_ids.filtered(
                lambda line: line.kpi_id.source == "rated_leader" and line.weight and not line.leader_score)
            if missing:
                raise UserError(self.env._(
                    "Score %(kpis)s (Leader's Score, 1-100) before passing %(name)s on (R-KPI-4).",
                    kpis=", ".join(missing.kpi_id.mapped("name")), name=appraisal.name))
        return self._telesales_advance("leader", check)

    def action_submit_manager(self):
        return self._telesales_advance("manager")

    def action_consolidate(self):
        """HR consolidation (综合评定): the final score and grade by the bands in Settings,
        then the team's forced distribution when Settings ask for it."""
        for appraisal in self:
            appraisal._telesales_check_step_owner("hr")
        for appraisal in self:
            company = appraisal.company_id
            appraisal.sudo().write({
                "final_score": appraisal.total_score,
                "grade": kpi_engine.grade(appraisal.total_score, company._telesales_grade_bands()).lower(),
                "forced_distribution_note": False})
        self._telesales_force_distribution()
        return self._telesales_advance("hr")

    def action_interview_done(self):
        def check(appraisal):
            if not (appraisal.interview_date and (appraisal.interview_notes or "").strip()):
                raise UserError(self.env._(
                    "Record the feedback interview (Interview On, Interview Notes) first (R-KPI-4)."))
        self._telesales_advance("interview", check)
        self.action_ids._telesales_schedule()
        return True

    def action_reopen(self):
        """Only HR reopens a done appraisal, with the reason (tracked)."""
        for appraisal in self:
            appraisal._telesales_check_step_owner("done")
            if appraisal.state != "done":
                raise UserError(self.env._("Only a done appraisal is reopened."))
            if not (appraisal.reopen_reason or "").strip():
                raise UserError(self.env._("Give the reason for reopening (Reopen Reason)."))
            appraisal.sudo().write({"state": "hr"})
            appraisal.message_post(body=self.env._("Reopened by %(user)s: %(reason)s",
                                                   user=self.env.user.name, reason=appraisal.reopen_reason))
        return True

    def _telesales_freeze_peer_ratings(self):
        """Peers have rated during the self-assessment: their average becomes the peer
        indicator's score, and the agent never sees who gave what."""
        for appraisal in self.sudo():
            ratings = appraisal.rating_ids.filtered("rated")
            lines = appraisal.line_ids.filtered(lambda line: line.kpi_id.source == "rated_peer")
            if lines:
                lines.write({"value": round(sum(ratings.mapped("score")) / len(ratings), 2) if ratings else 0.0,
                             "has_value": bool(ratings)})

    def _telesales_force_distribution(self):
        """At most the Settings' share of a team's month gets S, then A (R-KPI-4): the best
        final scores keep the grade, the others step down one grade, with the rule shown."""
        for (company, team, date_from), appraisals in self.sudo().grouped(
                lambda a: (a.company_id, a.team_id, a.date_from)).items():
            if not company.telesales_forced_distribution:
                continue
            peers = self.sudo().search([("company_id", "=", company.id), ("team_id", "=", team.id),
                                        ("date_from", "=", date_from), ("period", "=", appraisals[0].period),
                                        ("grade", "!=", False)])
            ranked = peers.sorted(lambda a: (-a.final_score, a.id))
            for grade, share, lower in (("s", company.telesales_forced_s_share, "a"),
                                        ("a", company.telesales_forced_a_share, "b")):
                allowed = int(len(ranked) * share / 100)
                holders = ranked.filtered(lambda a, g=grade: a.grade == g)
                for appraisal in holders[allowed:]:
                    appraisal.write({"grade": lower, "forced_distribution_note": self.env._(
                        "Forced distribution: at most %(share)s%% of the team's %(count)s appraisals get "
                        "%(grade)s; ranked by final score.", share=share, count=len(ranked),
                        grade=grade.upper())})

    # ------------------------------------------------------------
    # Opening, reminders (crons)
    # ------------------------------------------------------------

    @api.model
    def _cron_open_last_month(self):
        """On the 1st: last month's appraisals, once (R-KPI-3)."""
        for company in self.env["res.company"].search([]):
            first = company._telesales_today().replace(day=1)
            self.with_company(company)._telesales_open_month(first - relativedelta(months=1), company)

    @api.model
    def _telesales_open_month(self, month, company=None):
        """Open `month`'s appraisals for every agent and leader on a template who has none
        yet, with every computed indicator frozen (one batch for all) and peer rating
        sheets for their team-mates. Run twice, it adds nothing."""
        company = company or self.env.company
        date_from = fields.Date.to_date(month).replace(day=1)
        date_to = date_from + relativedelta(months=1)
        Employee = self.env["hr.employee"].sudo()
        employees = Employee.search([("company_id", "=", company.id), ("telesales_role", "in", ("agent", "leader")),
                                     ("user_id", "!=", False)])
        done = self.sudo().search([("employee_id", "in", employees.ids), ("period", "=", "month"),
                                   ("date_from", "=", date_from)]).employee_id
        Template = self.env["telesales.appraisal.template"].sudo()
        templates = {employee: Template._telesales_template_for(employee) for employee in employees - done}
        templates = {employee: template for employee, template in templates.items() if template}
        if not templates:
            return self.browse()
        users = Employee.browse([employee.id for employee in templates]).user_id
        values = self.env["telesales.kpi"].sudo()._telesales_kpi_values(users, date_from, date_to, company)
        due = self._telesales_due_date(company, date_to)
        vals_list = []
        for employee, template in templates.items():
            lines = []
            for tline in template.line_ids:
                value, evidence = values.get(tline.kpi_id.code, {}).get(employee.user_id.id, (None, None))
                lines.append(fields.Command.create({
                    "kpi_id": tline.kpi_id.id, "weight": tline.weight, "target": tline.target,
                    "sequence": tline.sequence, "value": value or 0.0, "has_value": value is not None,
                    "evidence_model": evidence[0] if evidence else False,
                    "evidence_domain": repr(evidence[1]) if evidence else False}))
            achievement = values.get("target_achievement", {}).get(employee.user_id.id, (0.0, None))[0]
            vals_list.append({
                **self._agent_values(employee), "period": "month", "date_from": date_from, "date_to": date_to,
                "template_id": template.id, "line_ids": lines, "due_date": due, "achievement": achievement or 0.0})
        appraisals = self.sudo().with_context(tracking_disable=True).create(vals_list)
        appraisals._telesales_open_peer_ratings()
        return appraisals

    @api.model
    def _telesales_due_date(self, company, date_to):
        day = min(company.telesales_appraisal_due_day or 10, 28)
        return date_to.replace(day=day)

    def _telesales_open_peer_ratings(self):
        """A rating sheet for each team-mate of each appraisal with a peer indicator."""
        Rating = self.env["telesales.appraisal.rating"].sudo()
        vals_list = []
        for appraisal in self.filtered(lambda a: "rated_peer" in a.line_ids.kpi_id.mapped("source")):
            mates = self.env["hr.employee"].sudo().search([
                ("telesales_team_id", "=", appraisal.team_id.id), ("telesales_role", "=", "agent"),
                ("user_id", "not in", (False, appraisal.user_id.id))])
            vals_list += [{"appraisal_id": appraisal.id, "rater_id": mate.user_id.id} for mate in mates]
        Rating.create(vals_list)

    @api.model
    def _cron_remind(self):
        """A step due in REMIND_DAYS: its owner is reminded once; past the due date the
        manager (for HR's steps: the HR officer's manager) gets an escalation, once."""
        today = fields.Date.context_today(self)
        appraisals = self.sudo().search([("state", "!=", "done"), ("due_date", "!=", False),
                                         ("due_date", "<=", today + timedelta(days=REMIND_DAYS))])
        for appraisal in appraisals:
            owner = appraisal._telesales_step_owner_user()
            if appraisal.reminded_step != appraisal.state and owner:
                appraisal.activity_schedule(
                    "mail.mail_activity_data_todo", date_deadline=appraisal.due_date, user_id=owner.id,
                    summary=self.env._("Appraisal step due: %(step)s", step=appraisal._step_label(appraisal.state)))
                appraisal.reminded_step = appraisal.state
            if appraisal.due_date < today and appraisal.escalated_step != appraisal.state:
                manager = (appraisal.team_id.telesales_manager_id
                           or appraisal.company_id.telesales_department_id.manager_id.user_id)
                if manager:
                    appraisal.activity_schedule(
                        "mail.mail_activity_data_todo", date_deadline=today, user_id=manager.id,
                        summary=self.env._("Late appraisal step: %(step)s of %(name)s",
                                           step=appraisal._step_label(appraisal.state), name=appraisal.name))
                appraisal.escalated_step = appraisal.state

    def _telesales_step_owner_user(self):
        self.ensure_one()
        if self.state == "self":
            return self.user_id
        if self.state in ("leader", "interview"):
            return self._telesales_superior()
        if self.state == "manager":
            return self.team_id.telesales_manager_id
        return self.env["res.users"]  # HR's step: the officers, no one person
