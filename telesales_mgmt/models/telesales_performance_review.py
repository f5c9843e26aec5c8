from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Months in a row under target that open a review (R-KPI-5).
REVIEW_MONTHS = 3
# Achievement (%) below which a month is under target.
TARGET_ACHIEVEMENT = 100.0
DECISIONS = {"reassigned": "action_reassign", "dismissed": "action_dismiss", "kept": "action_keep"}


class TelesalesPerformanceReview(models.Model):
    """A reassignment or dismissal review (R-KPI-5): an agent under target three months
    in a row, with the three monthly appraisals as evidence, for the department manager
    and HR to decide. One per run of months under target: the months after the third
    of the same run open nothing more."""

    _name = "telesales.performance.review"
    _description = "Performance Review (R-KPI-5)"
    _inherit = ["telesales.agent.mixin", "mail.thread", "mail.activity.mixin", "telesales.computed.record"]
    _order = "run_start desc, employee_id"
    _telesales_system_fields = ("employee_id", "user_id", "team_id", "company_id", "run_start",
                                "appraisal_ids", "state", "decided_by_id", "decided_on")

    name = fields.Char(compute="_compute_name", store=True)
    # Who and where, as when the review opened (telesales.agent.mixin).
    user_id = fields.Many2one(readonly=True)
    team_id = fields.Many2one(readonly=True)
    company_id = fields.Many2one(readonly=True)
    run_start = fields.Date("Under Target Since", required=True, readonly=True,
                            help="First month of the run of months under target.")
    appraisal_ids = fields.Many2many(
        "telesales.appraisal", "telesales_performance_review_appraisal_rel", "review_id", "appraisal_id",
        "Evidence", readonly=True, help="The three monthly appraisals under target (R-KPI-5).")
    state = fields.Selection(
        [("open", "Open"), ("reassigned", "Reassigned"), ("dismissed", "Dismissed"), ("kept", "Kept")],
        default="open", required=True, tracking=True, index=True)
    decision_note = fields.Text("Decision", tracking=True, help="What was decided and why.")
    decided_by_id = fields.Many2one("res.users", "Decided By", readonly=True, tracking=True)
    decided_on = fields.Date(readonly=True)

    _employee_run_uniq = models.Constraint(
        "UNIQUE(employee_id, run_start)", "A run of months under target opens one review.")

    @api.depends("employee_id", "run_start")
    def _compute_name(self):
        for review in self:
            review.name = self.env._("%(employee)s · under target since %(month)s",
                                     employee=review.employee_id.name or "",
                                     month=review.run_start.strftime("%Y-%m") if review.run_start else "")

    # ------------------------------------------------------------
    # Decisions: the department manager or HR
    # ------------------------------------------------------------

    def action_reassign(self):
        return self._decide("reassigned")

    def action_dismiss(self):
        return self._decide("dismissed")

    def action_keep(self):
        return self._decide("kept")

    def _decide(self, state):
        user = self.env.user
        if not (user.has_group("telesales_mgmt.group_telesales_manager") or user.has_group("hr.group_hr_user")):
            raise AccessError(self.env._("Only the department manager or HR decides a performance review (R-KPI-5)."))
        for review in self:
            if review.state != "open":
                raise UserError(self.env._("%(name)s is already decided.", name=review.name))
            if review.user_id == user:
                raise AccessError(self.env._("Nobody decides their own performance review (R-KPI-5)."))
            if not (review.decision_note or "").strip():
                raise UserError(self.env._("Write the decision (Decision) on %(name)s first (R-KPI-5).",
                                           name=review.name))
        # sudo: the state is the system's to write, once the caller's right was checked.
        self.sudo().write({"state": state, "decided_by_id": user.id,
                           "decided_on": fields.Date.context_today(self)})
        self.sudo().activity_ids.action_feedback(feedback=self.env._("Decided: %(state)s", state=dict(
            self._fields["state"]._description_selection(self.env))[state]))
        return True

    # ------------------------------------------------------------
    # Opening (the appraisals of a month open, or the cron)
    # ------------------------------------------------------------

    @api.model
    def _telesales_open_for(self, appraisals):
        """The reviews that `appraisals` (monthly) complete: their employee was under
        target in that month and the two before, and no review covers that run yet. Run
        twice, it opens nothing more."""
        appraisals = appraisals.sudo().filtered(lambda a: a.period == "month")
        if not appraisals:
            return self.browse()
        employees = appraisals.employee_id
        latest = max(appraisals.mapped("date_from"))
        history = self.env["telesales.appraisal"].sudo().search([
            ("employee_id", "in", employees.ids), ("period", "=", "month"), ("date_from", "<=", latest)],
            order="date_from desc")
        under = self._under_target(history)
        by_employee = history.grouped("employee_id")
        existing = {(review.employee_id, review.run_start) for review in self.sudo().search(
            [("employee_id", "in", employees.ids)])}
        vals_list = []
        for appraisal in appraisals:
            run = self._run_ending(appraisal, by_employee[appraisal.employee_id], under)
            if len(run) < REVIEW_MONTHS:
                continue
            key = (appraisal.employee_id, run[-1].date_from)
            if key in existing:
                continue
            existing.add(key)
            first = run[-REVIEW_MONTHS:]  # the three that opened the run, oldest last
            vals_list.append({**self._agent_values(appraisal.employee_id), "run_start": key[1],
                              "appraisal_ids": [fields.Command.set(first.ids)]})
        reviews = self.sudo().with_context(mail_create_nolog=True).create(vals_list)
        for review in reviews:
            review._telesales_notify()
        return reviews

    @api.model
    def _under_target(self, appraisals):
        """The monthly appraisals of `appraisals` under target: an achievement (frozen when
        they opened) below 100 % of a target the agent had that month. A month without a
        target is not under it."""
        targets = self.env["telesales.sales.target"].sudo()._read_group(
            [("user_id", "in", appraisals.user_id.ids), ("amount", ">", 0),
             ("month", "in", list(set(appraisals.mapped("date_from"))))], ["user_id", "month:day"])
        with_target = {(user.id, month) for user, month in targets}
        return appraisals.filtered(lambda a: a.achievement < TARGET_ACHIEVEMENT
                                   and (a.user_id.id, a.date_from) in with_target)

    @api.model
    def _run_ending(self, appraisal, history, under):
        """The run of consecutive months under target that ends with `appraisal`, newest
        first (`history`: the employee's monthly appraisals, newest first)."""
        run, month = appraisal.browse(), appraisal.date_from
        for earlier in history.filtered(lambda a: a.date_from <= appraisal.date_from):
            if earlier.date_from != month or earlier not in under:
                break
            run |= earlier
            month -= relativedelta(months=1)
        return run

    def _telesales_notify(self):
        """An activity for the department manager and one for HR, and the evidence in the chatter."""
        self.ensure_one()
        employee = self.employee_id
        manager = self.team_id.telesales_manager_id or self.company_id.telesales_department_id.manager_id.user_id
        hr = self.env["telesales.attendance.judge"]._hr_officer(employee)
        summary = self.env._("Reassignment or dismissal review: %(employee)s under target %(months)s months "
                             "in a row (R-KPI-5)", employee=employee.name, months=REVIEW_MONTHS)
        for user in (manager | hr):
            self.activity_schedule("mail.mail_activity_data_todo", user_id=user.id, summary=summary)
        self.message_post(body=self.env._(
            "Opened: target achievement %(months)s (R-KPI-5).", months=", ".join(
                f"{appraisal.date_from:%Y-%m} {appraisal.achievement:.1f} %"
                for appraisal in self.appraisal_ids.sorted("date_from"))))
