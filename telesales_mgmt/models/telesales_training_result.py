from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Days after the exam when the leader rates how the training is applied at work (R-TRN-3).
APPLICATION_DELAY_DAYS = 30
# What each role may change on a result besides the HR officer and the manager.
AGENT_FIELDS = {"report"}
LEADER_FIELDS = AGENT_FIELDS | {"application_rating", "application_note"}


class TelesalesTrainingResult(models.Model):
    """How one employee did in one training (R-TRN-3): the exam score from the session's
    certification survey, a written report, and a month later the leader's rating of how
    it is applied at work. Evaluated results feed the appraisal indicator "training
    results" and the training reward (R-INC-3)."""

    _name = "telesales.training.result"
    _description = "Training Result"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _rec_name = "employee_id"

    employee_id = fields.Many2one("hr.employee", "Employee", required=True, index=True, tracking=True,
                                  check_company=True)
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index=True, string="User")
    team_id = fields.Many2one(related="employee_id.telesales_team_id", store=True, index=True, string="Team")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    session_id = fields.Many2one("telesales.training.session", "Session", required=True, index=True,
                                 ondelete="restrict", check_company=True)
    plan_id = fields.Many2one(related="session_id.plan_id", store=True, index=True)
    topic = fields.Selection(related="session_id.topic", store=True)
    survey_id = fields.Many2one(related="session_id.survey_id", string="Exam")
    user_input_id = fields.Many2one(
        "survey.user_input", "Exam Attempt", readonly=True, copy=False,
        groups="telesales_mgmt.group_telesales_manager,hr.group_hr_user",
        help="The employee's latest finished attempt at the session's certification.")
    state = fields.Selection(
        [("draft", "Exam"), ("applying", "Applying at Work"), ("evaluated", "Evaluated")],
        required=True, default="draft", tracking=True,
        help="Exam: waiting for the exam and the report. Applying at Work: the leader rates "
        "how the training is applied a month later. Evaluated: final.")
    result = fields.Selection(
        [("passed", "Passed"), ("failed", "Failed")], compute="_compute_exam", store=True, tracking=True)
    date = fields.Date(compute="_compute_date", store=True, readonly=False, index=True, required=True,
                       precompute=True, help="The day of the training; the appraisal counts it in this month.")
    exam_score = fields.Float("Exam Score (%)", compute="_compute_exam", store=True, aggregator="avg")
    report = fields.Html("Written Report", help="The employee's report on what they learnt (R-TRN-3).")
    application_due = fields.Date("Rate Application On", readonly=True, copy=False)
    application_rating = fields.Float(
        "Application Rating", tracking=True, aggregator="avg",
        help="The leader's rating (0-100) of how the training is applied at work, a month later.")
    application_note = fields.Text("Application Notes")
    score = fields.Float(
        "Training Score", compute="_compute_score", store=True, aggregator="avg",
        help="Evaluated results: the average of the exam score and the application rating; "
        "the appraisal's training results indicator averages it over the month.")
    currency_id = fields.Many2one(related="company_id.currency_id")
    reward_amount = fields.Monetary(
        "Training Reward", compute="_compute_score", store=True,
        help="Settings' training reward when the result is evaluated, passed, and the exam "
        "score reaches the reward threshold (R-INC-3).")

    _session_employee_uniq = models.UniqueIndex(
        "(session_id, employee_id)", "An employee has one result per training session (R-TRN-3).")
    _rating_range = models.Constraint(
        "CHECK(application_rating >= 0 AND application_rating <= 100)",
        "The Application Rating goes from 0 to 100 (R-TRN-3).")

    @api.depends("session_id.date")
    def _compute_date(self):
        for result in self:
            result.date = result.session_id.date or result.date or fields.Date.context_today(result)

    @api.depends("user_input_id.scoring_percentage", "user_input_id.scoring_success")
    def _compute_exam(self):
        for result in self.sudo():
            attempt = result.user_input_id
            result.exam_score = attempt.scoring_percentage if attempt else 0.0
            result.result = (attempt.scoring_success and "passed" or "failed") if attempt else False

    @api.depends("state", "exam_score", "application_rating", "result",
                 "company_id.telesales_training_reward_amount", "company_id.telesales_training_reward_min_score")
    def _compute_score(self):
        for result in self:
            evaluated = result.state == "evaluated"
            result.score = (result.exam_score + result.application_rating) / 2 if evaluated else 0.0
            company = result.company_id
            earns = evaluated and result.result == "passed" \
                and result.exam_score >= company.telesales_training_reward_min_score
            result.reward_amount = company.telesales_training_reward_amount if earns else 0.0

    def write(self, vals):
        self._check_write_right(vals)
        return super().write(vals)

    def _check_write_right(self, vals):
        """HR and the manager keep the results; a leader rates the application at work of
        their team, never their own; the employee writes their report."""
        user = self.env.user
        if self.env.su or user.has_group("telesales_mgmt.group_telesales_manager") \
                or user.has_group("hr.group_hr_user"):
            return
        allowed = LEADER_FIELDS if user.has_group("telesales_mgmt.group_telesales_leader") else AGENT_FIELDS
        refused = set(vals) - allowed
        if refused:
            raise AccessError(self.env._(
                "Only HR or the department manager change %(fields)s of a training result (R-TRN-3).",
                fields=", ".join(sorted(self._fields[name].string for name in refused))))
        if {"application_rating", "application_note"} & set(vals) and self.filtered(lambda r: r.user_id == user):
            raise AccessError(self.env._(
                "Your own application at work is rated by your leader, not by you (Application Rating, R-TRN-3)."))

    # ------------------------------------------------------------
    # Evaluation
    # ------------------------------------------------------------

    def _latest_attempts(self):
        """{result: the employee's latest finished attempt at the session's exam}."""
        attempts = {}
        for result in self.sudo():
            partner = result.employee_id.user_id.partner_id or result.employee_id.work_contact_id
            if result.survey_id and partner:
                attempts[result] = self.env["survey.user_input"].sudo().search([
                    ("survey_id", "=", result.survey_id.id), ("partner_id", "=", partner.id),
                    ("state", "=", "done"), ("test_entry", "=", False)], order="end_datetime desc, id desc", limit=1)
        return attempts

    def action_fetch_exam(self):
        """Take the exam score from the employee's latest finished attempt at the certification."""
        self._check_keeper()
        for result, attempt in self._latest_attempts().items():
            if result.state == "draft" and attempt:
                result.sudo().user_input_id = attempt
        return True

    def action_submit(self):
        """Exam done: a month from now the leader rates how the training is applied (an activity)."""
        self._check_keeper()
        self.action_fetch_exam()
        for result in self:
            if result.state != "draft":
                raise UserError(self.env._("The result of %(employee)s is already submitted.",
                                           employee=result.employee_id.name))
            if not result.sudo().user_input_id:
                raise UserError(self.env._(
                    "%(employee)s has not finished the exam of %(session)s yet (Exam, R-TRN-3).",
                    employee=result.employee_id.name, session=result.session_id.name))
        today = fields.Date.context_today(self)
        for result in self:
            due = max(result.date, today) + timedelta(days=APPLICATION_DELAY_DAYS)
            result.write({"state": "applying", "application_due": due})
            rater = result.team_id.user_id or result.employee_id.parent_id.user_id
            if rater and rater != result.user_id:
                result.activity_schedule(
                    "mail.mail_activity_data_todo", date_deadline=due, user_id=rater.id,
                    summary=self.env._("Rate how %(employee)s applies the training at work",
                                       employee=result.employee_id.name))
        return True

    def action_evaluate(self):
        """The leader (or the manager) has rated the application at work: the result is final."""
        if not self.env.user.has_group("telesales_mgmt.group_telesales_leader") \
                and not self.env.user.has_group("hr.group_hr_user"):
            raise AccessError(self.env._("Only the leader, the manager or HR evaluate a training result (R-TRN-3)."))
        for result in self:
            if result.state != "applying":
                raise UserError(self.env._(
                    "The result of %(employee)s is not waiting for the application rating.",
                    employee=result.employee_id.name))
            if result.user_id == self.env.user:
                raise AccessError(self.env._(
                    "Your own application at work is rated by your leader, not by you (Application Rating, R-TRN-3)."))
        self.sudo()._evaluate()
        return True

    def _evaluate(self):
        self.write({"state": "evaluated"})
        self.activity_feedback(["mail.mail_activity_data_todo"])

    def _check_keeper(self):
        user = self.env.user
        if not (user.has_group("telesales_mgmt.group_telesales_manager") or user.has_group("hr.group_hr_user")):
            raise AccessError(self.env._("Only HR or the department manager submit training results (R-TRN-3)."))

    # ------------------------------------------------------------
    # Figures for the appraisal and the KPI catalogue
    # ------------------------------------------------------------

    @api.model
    def _telesales_training_scores(self, users, date_from, date_to):
        """{user id: average training score (0-100)} of the users' evaluated results
        dated in [date_from, date_to); users without one are left out."""
        rows = self.sudo()._read_group(
            [("user_id", "in", users.ids), ("state", "=", "evaluated"),
             ("date", ">=", fields.Date.to_date(date_from)), ("date", "<", fields.Date.to_date(date_to))],
            ["user_id"], ["score:avg"])
        return {user.id: average for user, average in rows}

    @api.model
    def _telesales_kpi_use_results(self):
        """Once per database: the shipped training indicator, rated by the leader until
        results existed, is computed from them from now on (an administrator may switch
        it back; this never runs again)."""
        params = self.env["ir.config_parameter"].sudo()
        key = "telesales_mgmt.training_kpi_computed"
        if params.get_param(key):
            return
        kpi = self.env.ref("telesales_mgmt.telesales_kpi_training", raise_if_not_found=False)
        if kpi and kpi.source == "rated_leader":
            kpi.sudo().source = "computed"
        params.set_param(key, "1")
