from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .res_company import DEFAULT_TZ
from .telesales_training_plan import TRAINING_METHODS, TRAINING_TOPICS


class TelesalesTrainingSession(models.Model):
    """One training session of the plan (R-TRN-1): topic, trainer, time and hours, its
    attendees (invited through a calendar event) and the attendance taken. An onboarding
    session's attended days count towards Go Live (R-TRN-2); its exam is an Odoo survey
    set up as a certification (R-TRN-3)."""

    _name = "telesales.training.session"
    _description = "Training Session"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "start desc, id desc"

    name = fields.Char(required=True, tracking=True)
    plan_id = fields.Many2one("telesales.training.plan", "Plan", index=True, ondelete="restrict",
                              check_company=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    trainer_id = fields.Many2one("res.users", "Trainer", tracking=True, domain=[("share", "=", False)])
    survey_id = fields.Many2one(
        "survey.survey", "Exam", domain=[("certification", "=", True)], tracking=True,
        help="The certification survey attendees take after the session (R-TRN-3); its "
        "required score is the pass mark.")
    event_id = fields.Many2one("calendar.event", "Calendar Event", readonly=True, copy=False)
    attendance_ids = fields.One2many("telesales.training.attendance", "session_id", "Attendees", copy=True)
    result_ids = fields.One2many("telesales.training.result", "session_id", "Results")
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        required=True, default="planned", tracking=True,
        help="Done: the attendance is taken and each attendee has a result to evaluate.")
    topic = fields.Selection(
        TRAINING_TOPICS, required=True, default="product", tracking=True,
        help="Onboarding sessions count towards a new hire's training days before Go Live (R-TRN-2).")
    method = fields.Selection(TRAINING_METHODS, default="classroom")
    location = fields.Char()
    description = fields.Html()
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost = fields.Monetary()
    start = fields.Datetime(required=True, tracking=True, default=fields.Datetime.now)
    hours = fields.Float(required=True, default=1.0, tracking=True)
    stop = fields.Datetime(compute="_compute_stop", store=True)
    date = fields.Date(
        compute="_compute_date", store=True, index=True,
        help="The session's day in the department's time zone.")
    attendee_count = fields.Integer(compute="_compute_attendee_count")
    attended_count = fields.Integer(compute="_compute_attendee_count")

    _hours_positive = models.Constraint(
        "CHECK(hours > 0 AND hours <= 24)", "A session's Hours must be above 0 and at most 24 (R-TRN-1).")
    _cost_positive = models.Constraint("CHECK(cost >= 0)", "A session's Cost cannot be negative (R-TRN-1).")

    @api.depends("start", "hours")
    def _compute_stop(self):
        for session in self:
            session.stop = session.start and session.start + timedelta(hours=session.hours or 0)

    @api.depends("start", "company_id.telesales_tz")
    def _compute_date(self):
        for session in self:
            tz = pytz.timezone(session.company_id.telesales_tz or DEFAULT_TZ)
            session.date = session.start and pytz.utc.localize(session.start).astimezone(tz).date()

    @api.depends("attendance_ids.attended")
    def _compute_attendee_count(self):
        for session in self:
            session.attendee_count = len(session.attendance_ids)
            session.attended_count = len(session.attendance_ids.filtered("attended"))

    @api.constrains("survey_id")
    def _check_survey(self):
        for session in self:
            if session.survey_id and not session.survey_id.certification:
                raise ValidationError(self.env._(
                    "The exam of %(session)s must be a survey set up as a certification with a "
                    "pass score (Exam, R-TRN-3).", session=session.name))

    @api.model_create_multi
    def create(self, vals_list):
        sessions = super().create(vals_list)
        sessions._sync_event()
        return sessions

    def write(self, vals):
        res = super().write(vals)
        if {"name", "start", "hours", "attendance_ids", "location", "trainer_id", "state"} & set(vals):
            self._sync_event()
        return res

    def _attendee_partners(self):
        self.ensure_one()
        employees = self.attendance_ids.employee_id
        return employees.user_id.partner_id | employees.filtered(lambda e: not e.user_id).work_contact_id

    def _sync_event(self):
        """Invite the attendees through one calendar event per session, kept in step."""
        Event = self.env["calendar.event"].with_context(no_mail_to_attendees=True)
        for session in self:
            if session.state == "cancelled":
                session.event_id.active = False
                continue
            partners = session._attendee_partners() | session.trainer_id.partner_id
            values = {
                "name": session.name, "start": session.start, "stop": session.stop,
                "location": session.location or False, "partner_ids": [fields.Command.set(partners.ids)],
                "user_id": (session.trainer_id or self.env.user).id,
            }
            if session.event_id:
                session.event_id.with_context(no_mail_to_attendees=True).write(values)
            else:
                super(TelesalesTrainingSession, session).write({"event_id": Event.create(values).id})

    def action_done(self):
        """Attendance taken: with an exam, the attendees who came get a result to evaluate (R-TRN-3)."""
        for session in self:
            if session.state != "planned":
                raise UserError(self.env._("%(session)s is not planned: it cannot be closed.", session=session.name))
            if not session.attendance_ids:
                raise UserError(self.env._(
                    "%(session)s has no attendee: add them and tick who attended (Attendees, R-TRN-1).",
                    session=session.name))
        self.write({"state": "done"})
        Result = self.env["telesales.training.result"]
        values = []
        for session in self:
            known = session.result_ids.employee_id
            values += [{"session_id": session.id, "employee_id": line.employee_id.id}
                       for line in session.attendance_ids
                       if session.survey_id and line.attended and line.employee_id not in known]
        Result.create(values)
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_view_results(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("telesales_mgmt.telesales_training_result_action")
        action.update(domain=[("session_id", "=", self.id)], context={"default_session_id": self.id})
        return action
