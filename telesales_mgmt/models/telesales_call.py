import json
import re
import time
import uuid
from collections import defaultdict
from datetime import datetime, timedelta

import pytz
import requests
from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import AccessError, ConcurrencyError, UserError, ValidationError
from odoo.tools import SQL

from ..engines import cti
from .telesales_workday import MAKE_UP_WEEKDAY

# Calls before this local hour count for the morning, from it on for after lunch.
NOON = 12.0
# No call lasts longer than a day: longer times are typing errors or forged figures.
MAX_CALL_SECONDS = 24 * 3600
# The figures a call feeds (daily minimum, allowance, daily figures): corrected with a trace.
FIGURE_FIELDS = frozenset({"start", "end", "talk_seconds", "ring_seconds", "outcome"})
# Kept by the system: never written by hand.
SYSTEM_FIELDS = frozenset({"is_connected", "is_effective", "outside_window", "corrected",
                           "plan_activity_id", "employee_id", "team_id", "call_date", "local_hour",
                           "source", "cti_call_id", "cti_status", "cti_events", "ringing_at",
                           "answered_at", "hangup_at", "to_log", "dnc_breach",
                           "is_unknown_number"})
# Measured (or recorded) by the phone system: only the telesales administrator corrects
# them (tracked).
MEASURED_FIELDS = frozenset({"start", "end", "direction", "ring_seconds", "talk_seconds", "recording_url"})
# A call the phone system saw answered can only be logged with one of these, and the other
# way round: the agent records what was said, not whether someone picked up.
UNANSWERED_OUTCOMES = ("no_answer", "busy", "invalid")
# A typed talk time: minutes (5), minutes:seconds (3:25) or hours:minutes:seconds (1:02:05).
CLOCK_RE = re.compile(r"[0-9]{1,4}(:[0-9]{1,2}){0,2}")
# Ringing later than this before now is history: no screen pop for it.
SCREEN_POP_SECONDS = 120
# A call dialled from Odoo is completed by the phone system's events within this time.
DIAL_MATCH_MINUTES = 10

CALL_STAGES = [
    ("preparation", "Preparation"),
    ("opening", "Opening"),
    ("needs", "Needs Discovery"),
    ("presentation", "Product Presentation"),
    ("objection", "Objection Handling"),
    ("closing", "Closing"),
    ("wrap_up", "Wrap-up"),
]
STAGE_RANK = {key: rank for rank, (key, _label) in enumerate(CALL_STAGES, start=1)}

CALL_SOURCES = [("typed", "Typed"), ("phone_system", "Phone System")]
CTI_STATUSES = [("dialling", "Dialling"), ("ringing", "Ringing"), ("answered", "Answered"),
                ("ended", "Ended")]

CALL_OUTCOMES = [
    ("no_answer", "No Answer"),
    ("busy", "Busy"),
    ("invalid", "Invalid Number"),
    ("refused", "Refused - Do Not Call"),
    ("not_interested", "Connected, No Interest"),
    ("effective", "Effective Conversation"),
    ("intent", "Intent"),
    ("deal", "Deal"),
    ("answered", "Answered, Not Logged Yet"),
]
# A person answered the phone.
CONNECTED_OUTCOMES = ("refused", "not_interested", "effective", "intent", "deal", "answered")
# A real conversation took place.
EFFECTIVE_OUTCOMES = ("effective", "intent", "deal")
# Outcomes that move the lead forward (R-LEAD-5 counts attempts without them).
PROGRESS_OUTCOMES = ("intent", "deal")
# Outcomes after which there is nothing to follow up.
CLOSING_OUTCOMES = ("refused", "invalid", "deal")

INTENT_LEVELS = [("none", "None"), ("low", "Low"), ("medium", "Medium"), ("high", "High")]
PLAN_CHANNELS = [("phone", "Phone"), ("sms", "SMS"), ("email", "E-mail"), ("visit", "Visit")]
PLAN_ACTIVITY_TYPES = {
    "phone": "mail.mail_activity_data_call",
    "sms": "mail.mail_activity_data_todo",
    "email": "mail.mail_activity_data_email",
    "visit": "mail.mail_activity_data_meeting",
}


class TelesalesCall(models.Model):
    """One phone call with a customer (R-CALL-1, R-CALL-2): who, when, how long, how far
    the conversation got, how it ended, and what happens next (R-LEAD-4)."""

    _name = "telesales.call"
    _description = "Telesales Call"
    _inherit = ["mail.thread", "telesales.contact.guard"]
    _order = "start desc, id desc"
    # The number dialled is the customer's (R-DATA-2): visible to whoever may read the lead.
    _telesales_contact_fields = ("phone",)
    _check_company_auto = True

    # Who and whom
    lead_id = fields.Many2one(
        "crm.lead", "Lead", index=True, ondelete="cascade", check_company=True)
    partner_id = fields.Many2one(
        "res.partner", "Customer", index="btree_not_null",
        compute="_compute_partner_id", store=True, readonly=False)
    customer_grade = fields.Selection(related="partner_id.telesales_grade", string="Grade")
    phone = fields.Char(compute="_compute_phone", store=True, readonly=False)
    user_id = fields.Many2one(
        "res.users", "Agent", required=True, index=True, default=lambda self: self.env.user)
    employee_id = fields.Many2one(
        "hr.employee", compute="_compute_employee_team", store=True, index="btree_not_null")
    team_id = fields.Many2one(
        "crm.team", "Team", compute="_compute_employee_team", store=True, index="btree_not_null")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    direction = fields.Selection(
        [("outbound", "Outbound"), ("inbound", "Inbound")], required=True, default="outbound")

    # How it went
    start = fields.Datetime(required=True, index=True, default=fields.Datetime.now, tracking=True)
    end = fields.Datetime(tracking=True)
    call_date = fields.Date(
        "Day", compute="_compute_local_time", store=True, index=True,
        help="Day of the call in the department's time zone.")
    local_hour = fields.Float(
        "Local Time", compute="_compute_local_time", store=True, aggregator="min",
        help="Time of day of the call in the department's time zone.")
    ring_seconds = fields.Integer("Ring Time (s)", tracking=True)
    talk_seconds = fields.Integer("Talk Time (s)", aggregator="sum", tracking=True)
    talk_time = fields.Char(
        "Talk Time", compute="_compute_talk_time", inverse="_inverse_talk_time",
        help="How long the conversation lasted, as minutes:seconds (3:25), hours:minutes:seconds "
        "(1:02:05) or whole minutes (5). The phone system measures it for its calls.")
    outcome = fields.Selection(CALL_OUTCOMES, required=True, tracking=True, index=True)
    stage = fields.Selection(
        CALL_STAGES, "Furthest Stage", default="preparation",
        help="The furthest of the seven call stages the conversation reached (R-CALL-1).")
    intent_level = fields.Selection(INTENT_LEVELS, "Intent After the Call")
    is_connected = fields.Boolean(
        "Connected", compute="_compute_counting", store=True,
        help="Someone answered: the outcome says so and the talk time reaches the "
        "minimum in Settings.")
    is_effective = fields.Boolean(
        "Effective", compute="_compute_counting", store=True,
        help="A real conversation: effective, intent or deal outcome with at least the "
        "minimum talk time in Settings.")
    notes = fields.Text()
    recording_url = fields.Char("Recording URL", tracking=True)
    recording_file = fields.Binary("Recording", attachment=True)
    recording_filename = fields.Char()
    recording_src = fields.Char(
        "Recording Player", compute="_compute_recording_src",
        help="What the player plays: the file kept in Odoo, else the phone system's URL.")
    outside_window = fields.Boolean(
        "Outside Calling Hours", readonly=True,
        help="Logged outside the calling windows while Settings only warn (R-CALL-4).")
    corrected = fields.Boolean(
        readonly=True, copy=False,
        help="Its times or outcome were corrected after it was logged (old and new values are "
        "in the chatter): the daily figures count it, so that leaders see it.")
    correction_reason = fields.Char(
        tracking=True, copy=False,
        help="Why the call was corrected; required once its day was judged (R-CALL-5).")

    # What next (R-LEAD-4)
    plan_date = fields.Datetime("Follow-up On")
    plan_channel = fields.Selection(PLAN_CHANNELS, "Follow-up By", default="phone")
    plan_action = fields.Char("Follow-up Action", help="What to do at the follow-up.")
    plan_goal = fields.Char("Follow-up Goal", help="What the follow-up should achieve.")
    plan_activity_id = fields.Many2one("mail.activity", readonly=True, copy=False)

    # From the phone system (its events measure the call; the agent logs what was said)
    source = fields.Selection(
        CALL_SOURCES, default="typed", required=True, readonly=True, index=True,
        help="Typed: logged by hand. Phone System: start, ring and talk time come from the "
        "phone system's events and nobody but the telesales administrator corrects them.")
    cti_call_id = fields.Char("Phone System Call ID", readonly=True, copy=False)
    cti_status = fields.Selection(CTI_STATUSES, "Phone Status", readonly=True, copy=False)
    cti_events = fields.Char(
        "Events Received", readonly=True, copy=False,
        help="The phone system's events already applied: a repeated one changes nothing.")
    ringing_at = fields.Datetime("Rang At", readonly=True, copy=False)
    answered_at = fields.Datetime("Answered At", readonly=True, copy=False)
    hangup_at = fields.Datetime("Hung Up At", readonly=True, copy=False)
    to_log = fields.Boolean(
        "To Log", readonly=True, copy=False, index="btree_not_null",
        help="The phone system measured this call; the agent still records its outcome, "
        "stage, intent, notes and follow-up plan.")
    dnc_breach = fields.Boolean(
        "Do-Not-Call Number Dialled", readonly=True, copy=False,
        help="The phone system reports an outbound call to a number on the do-not-call list "
        "(R-CALL-4).")
    is_unknown_number = fields.Boolean(
        "Unknown Number", compute="_compute_is_unknown_number", store=True,
        help="A phone-system call whose number matches no lead or customer: the team "
        "leader assigns it.")

    _cti_call_unique = models.Constraint(
        "UNIQUE(company_id, cti_call_id)",
        "A phone system call ID is unique per company: its events complete one call.")
    _user_start_idx = models.Index("(user_id, start)")
    _user_day_idx = models.Index("(user_id, call_date)")

    def _telesales_entitled_sql(self, alias):
        Partner = self.env["res.partner"]
        if not Partner._telesales_contact_restricted():
            return None
        leads = self.env(su=False)["crm.lead"]._search([], active_test=False)
        return SQL(
            "(%(lead)s IN (%(leads)s) OR (%(lead)s IS NULL AND (%(partner)s IN (%(customers)s)"
            " OR (%(partner)s IS NULL AND %(user)s = %(uid)s))))",
            lead=SQL.identifier(alias, "lead_id"), leads=leads.subselect(),
            partner=SQL.identifier(alias, "partner_id"), customers=Partner._telesales_customers_sql(),
            user=SQL.identifier(alias, "user_id"), uid=self.env.uid)

    @api.depends("lead_id")
    def _compute_partner_id(self):
        for call in self:
            call.partner_id = call.lead_id.partner_id or call.partner_id

    @api.depends("lead_id", "partner_id")
    def _compute_phone(self):
        for call in self:
            call.phone = call.lead_id.phone or call.partner_id.phone or call.phone

    @api.depends("source", "lead_id", "partner_id")
    def _compute_is_unknown_number(self):
        for call in self:
            call.is_unknown_number = call.source == "phone_system" and not (call.lead_id or call.partner_id)

    @api.depends("talk_seconds")
    def _compute_talk_time(self):
        for call in self:
            call.talk_time = seconds_to_clock(call.talk_seconds or 0)

    def _inverse_talk_time(self):
        # create and write turn a typed talk time into seconds before anything else
        # (`_talk_time_vals`), so that every check on talk_seconds applies; this covers an
        # assignment in code that reaches neither.
        for call in self:
            seconds = call._parse_talk_time(call.talk_time)
            if seconds != call.talk_seconds:
                call.talk_seconds = seconds

    @api.model
    def _parse_talk_time(self, value):
        """Seconds of a typed talk time; refused with a message naming the field."""
        seconds = parse_clock(value) if value is None or isinstance(value, (str, bool)) else None
        if seconds is None or seconds > MAX_CALL_SECONDS:
            raise ValidationError(self.env._(
                "Talk Time: %(value)s is not a talk time. Type minutes:seconds (3:25 is 3 minutes 25 "
                "seconds), hours:minutes:seconds (1:02:05) or whole minutes (5), at most 24 hours.",
                value=repr(value)[:40]))
        return seconds

    @api.model
    def _talk_time_vals(self, vals):
        """The values with a typed talk time (`talk_time`) turned into `talk_seconds`."""
        if "talk_time" not in vals:
            return vals
        vals = dict(vals)
        vals["talk_seconds"] = self._parse_talk_time(vals.pop("talk_time"))
        return vals

    @api.depends("recording_url", "recording_file")
    def _compute_recording_src(self):
        for call in self:
            call.recording_src = (f"/web/content/telesales.call/{call.id}/recording_file"
                                  if call.recording_file and call.id else call.recording_url or False)

    @api.depends("user_id")
    def _compute_employee_team(self):
        employees = self.env["hr.employee"].sudo().search([("user_id", "in", self.user_id.ids)])
        by_user = {employee.user_id: employee for employee in employees}
        for call in self:
            employee = by_user.get(call.user_id, self.env["hr.employee"])
            call.employee_id = employee
            call.team_id = employee.telesales_team_id or call.lead_id.team_id

    @api.depends("start", "company_id.telesales_tz")
    def _compute_local_time(self):
        for call in self:
            if not call.start:
                call.call_date = call.local_hour = False
                continue
            call.local_hour, call.call_date = local_hour_and_day(call.start, call.company_id.telesales_tz)

    @api.depends("outcome", "talk_seconds", "company_id")
    def _compute_counting(self):
        for call in self:
            company = call.company_id
            talk = call.talk_seconds or 0
            call.is_connected = (call.outcome in CONNECTED_OUTCOMES
                                 and talk >= company.telesales_connected_min_seconds)
            call.is_effective = (call.outcome in EFFECTIVE_OUTCOMES
                                 and talk >= company.telesales_effective_min_seconds)

    @api.depends("partner_id", "lead_id", "start")
    def _compute_display_name(self):
        for call in self:
            who = call.lead_id.contact_name or call.partner_id.name or call.lead_id.name or call.phone
            call.display_name = f"{who or ''} · {fields.Datetime.to_string(call.start) or ''}"[:80]

    # ------------------------------------------------------------
    # Rules checked when a call is logged
    # ------------------------------------------------------------

    @api.constrains("start", "end", "talk_seconds", "ring_seconds")
    def _check_talk_fits_call(self):
        for call in self:
            if (call.talk_seconds or 0) < 0 or (call.ring_seconds or 0) < 0:
                raise ValidationError(self.env._("Ring and talk times cannot be negative."))
            if (call.talk_seconds or 0) + (call.ring_seconds or 0) > MAX_CALL_SECONDS:
                raise ValidationError(self.env._(
                    "Talk time plus ring time cannot exceed 24 hours (%(max)s s): a call is one "
                    "conversation (R-CALL-2).", max=MAX_CALL_SECONDS))
            if not call.end:
                continue
            if (call.end - call.start).total_seconds() > MAX_CALL_SECONDS:
                raise ValidationError(self.env._(
                    "A call cannot last more than 24 hours (Start %(start)s, End %(end)s, R-CALL-2).",
                    start=call.start, end=call.end))
            if call.end < call.start:
                raise ValidationError(self.env._(
                    "The call cannot end (%(end)s) before it starts (%(start)s).",
                    end=call.end, start=call.start))
            length = (call.end - call.start).total_seconds()
            if (call.talk_seconds or 0) + (call.ring_seconds or 0) > length:
                raise ValidationError(self.env._(
                    "Talk time (%(talk)s s) plus ring time (%(ring)s s) cannot exceed the "
                    "call's length (%(length)s s from Start to End).",
                    talk=call.talk_seconds or 0, ring=call.ring_seconds or 0, length=int(length)))

    @api.constrains("outcome", "plan_date", "plan_goal", "to_log")
    def _check_follow_up_plan(self):
        if self.env.context.get("telesales_seed") and self.env.su:
            return  # generated history has no one to plan for
        # Not logged yet (to log, or still "answered"): the plan comes with the log.
        for call in self.filtered(lambda c: not c.to_log and c.outcome != "answered"):
            if call.outcome not in CLOSING_OUTCOMES and not (call.plan_date and call.plan_goal):
                raise ValidationError(self.env._(
                    "Set the follow-up plan ('Follow-up On' and 'Follow-up Goal'): after every "
                    "contact the agent plans the next one (R-LEAD-4)."))

    @api.constrains("outcome", "to_log", "answered_at")
    def _check_measured_outcome(self):
        """Whether someone picked up is the phone system's to say (R-CALL-2)."""
        for call in self:
            if call.outcome == "answered" and not call.to_log:
                raise ValidationError(self.env._(
                    "Choose what came of the conversation (Outcome): 'Answered, Not Logged Yet' "
                    "only marks a phone-system call the agent has not logged."))
            if call.source != "phone_system":
                continue
            if call.answered_at and call.outcome in UNANSWERED_OUTCOMES:
                raise ValidationError(self.env._(
                    "The phone system reports this call answered: its outcome (Outcome) is one of "
                    "a conversation, not '%(outcome)s' (R-CALL-2).",
                    outcome=dict(self._fields["outcome"]._description_selection(self.env))[call.outcome]))
            if not call.answered_at and call.outcome not in UNANSWERED_OUTCOMES:
                raise ValidationError(self.env._(
                    "The phone system reports this call never answered: its outcome (Outcome) is "
                    "No Answer, Busy or Invalid Number (R-CALL-2)."))

    def _check_can_call(self):
        """The rules a user must pass before a call is logged (R-CALL-4, R-LEAD-5)."""
        is_leader = self.env.user.has_group("telesales_mgmt.group_telesales_leader")
        for call in self:
            lead = call.lead_id
            if lead.user_id and lead.user_id != call.user_id and not is_leader:
                raise UserError(self.env._(
                    "Lead %(lead)s belongs to %(agent)s: only its agent, a team leader or the "
                    "manager can log calls on it.", lead=lead.name, agent=lead.user_id.name))
            if call._is_do_not_call():
                raise UserError(self.env._(
                    "%(who)s is on the do-not-call list: a customer who refused is not called "
                    "again (R-CALL-4, 不得骚扰).", who=call.partner_id.name or call.phone))
            attempts = lead._telesales_attempts_before(call) if lead and call.direction == "outbound" else 0
            if attempts and lead._telesales_over_limit(attempts):
                manager = lead.sudo()._telesales_approver()
                raise UserError(self.env._(
                    "%(count)s contacts with %(lead)s made no progress: a further call needs "
                    "the manager's approval (R-LEAD-5). Use 'Request Approval' on the lead; "
                    "%(manager)s decides.", count=attempts,
                    lead=lead.name, manager=manager.name or self.env._("the department manager")))

    def _is_do_not_call(self):
        self.ensure_one()
        if self.partner_id.telesales_do_not_call or self.lead_id.telesales_do_not_call:
            return True
        number = self.lead_id._phone_format(number=self.phone) if self.phone else False
        return bool(number) and bool(self.env["phone.blacklist"].sudo().search_count(
            [("number", "=", number)], limit=1))

    def _apply_calling_window(self, inbound_hint=True):
        """Block a call outside the calling windows, or flag it, per Settings. R-CALL-4
        restricts calling out: an inbound call (the customer rang) is never refused."""
        for call in self.filtered(lambda c: c.direction == "outbound"):
            if call.company_id._telesales_in_calling_window(call.start):
                continue
            if call.company_id.telesales_window_mode == "block":
                raise UserError(call._calling_window_refusal(inbound_hint))
            call.sudo().outside_window = True  # the system's flag, not the agent's

    def _calling_window_refusal(self, inbound_hint=True):
        """Why this outbound call is refused, and what the agent can do: the hours in which
        calling out is allowed that day, or the next calling day and its hours."""
        self.ensure_one()
        company = self.company_id
        local = pytz.utc.localize(self.start).astimezone(pytz.timezone(company.telesales_tz or "UTC"))
        day = local.date()
        Workday = self.env["telesales.workday"]
        when = local.strftime("%Y-%m-%d %H:%M")
        if Workday._is_company_working_day(company, day):
            message = self.env._(
                "%(time)s is outside the calling hours: calling out is allowed from %(hours)s that day, "
                "not at meal or noon-rest times or at night (R-CALL-4).",
                time=when, hours=self._calling_hours_of(company, day))
        else:
            following = next((day + timedelta(days=n) for n in range(1, 31)
                              if Workday._is_company_working_day(company, day + timedelta(days=n))), None)
            message = self.env._(
                "%(time)s is outside the calling hours: %(day)s is a rest day or a holiday, no calling out "
                "(R-CALL-4). Next calling day: %(next)s, %(hours)s.",
                time=when, day=day.strftime("%Y-%m-%d"), next=following.strftime("%Y-%m-%d") if following else "-",
                hours=self._calling_hours_of(company, following) if following else "-")
        if inbound_hint:
            message += " " + self.env._("If the customer called you, set Direction to Inbound.")
        return message

    @api.model
    def _calling_hours_of(self, company, day):
        """The calling windows of a working `day`, as "09:00-12:00, 13:30-18:30"."""
        Workday = self.env["telesales.workday"]
        weekday = MAKE_UP_WEEKDAY if Workday._exception_of(company, day).kind == "workday" else str(day.weekday())
        windows = company.sudo().telesales_call_window_ids.filtered(lambda w: w.dayofweek == weekday)
        return ", ".join(f"{float_to_clock(window.hour_from)}-{float_to_clock(window.hour_to)}"
                         for window in windows.sorted("hour_from")) or "00:00-24:00"

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._talk_time_vals(vals) for vals in vals_list]
        # Before the insert: a call logged in someone else's name would otherwise end in
        # a bare access error.
        if not self.env.su:
            if not self.env.user.has_group("telesales_mgmt.group_telesales_leader"):
                if any(vals.get("user_id", self.env.uid) != self.env.uid for vals in vals_list):
                    raise UserError(self.env._("You can only log your own calls."))
            if any(SYSTEM_FIELDS & set(vals) for vals in vals_list):
                raise AccessError(self.env._(
                    "%(fields)s are set by the system.",
                    fields=", ".join(sorted(set().union(*vals_list) & SYSTEM_FIELDS))))
        calls = super().create(vals_list)
        if not self.env.su:
            # After the insert, where the input guard has checked the ids; refused, it is undone.
            calls.lead_id._telesales_check_workable()
            calls._check_customer_workable()
        # Bulk generation (demo data, benchmarks) runs as superuser and skips the desk rules.
        # The phone system reports what happened: its calls are flagged, never refused.
        typed = calls.filtered(lambda c: c.source == "typed")
        if not (self.env.context.get("telesales_seed") and self.env.su):
            typed._check_can_call()
            typed._apply_calling_window()
            typed._create_plan_activities()
            typed.filtered(lambda c: c.outcome == "refused")._mark_do_not_call()
            calls._win_deals()
        # My Day and the team board refresh (Odoo's bus, after commit).
        self.env["telesales.workbench"]._notify_progress(calls)
        return calls

    def _win_deals(self):
        """A call logged with the outcome Deal wins its opportunity (R-CALL-3): a deal is a
        won opportunity (crm_lead.WON_DEAL_DOMAIN), so the daily figures, the leaderboard
        and the commission statement count the same deal once, for the lead's agent, on
        the day it was won. A Deal call on an opportunity already won adds nothing."""
        deals = self.filtered(lambda c: c.outcome == "deal" and not c.to_log)
        if deals.filtered(lambda c: not c.lead_id):
            raise ValidationError(self.env._(
                "Outcome Deal: a deal is an opportunity won, so the call needs its lead (Lead, R-CALL-3). "
                "Choose the customer's lead, or create one, before logging the deal."))
        deals.lead_id._telesales_win_from_call()

    def _create_plan_activities(self):
        self._close_earlier_plans()
        for call in self.filtered(lambda c: c.plan_date and c.lead_id):
            activity = call.lead_id.activity_schedule(
                PLAN_ACTIVITY_TYPES[call.plan_channel or "phone"],
                date_deadline=fields.Datetime.context_timestamp(call, call.plan_date).date(),
                summary=call.plan_action or call.plan_goal,
                note=call.plan_goal,
                user_id=call.user_id.id,
            )
            call.sudo().plan_activity_id = activity

    def _close_earlier_plans(self):
        """A call on a lead is the follow-up its earlier calls planned: their activities are
        done, so the lead's next follow-up is its latest call's plan on every screen (the
        lead card, My Day's queue, the activities). sudo: the agent may not own them all."""
        earlier = self.sudo().search([("lead_id", "in", self.lead_id.ids), ("plan_activity_id", "!=", False),
                                      ("id", "not in", self.ids)])
        latest = {}
        for call in self.filtered("lead_id"):
            latest[call.lead_id] = max(latest.get(call.lead_id, call.start), call.start)
        done = earlier.filtered(lambda c: c.start <= latest[c.lead_id]).plan_activity_id
        if done:
            done.action_feedback(feedback=self.env._("Followed up by a later call."))

    def _mark_do_not_call(self):
        if not self.company_id.telesales_dnc_on_refusal:
            return
        reason = self.env._("Refused on a call (拒绝)")
        self.partner_id._telesales_set_do_not_call(reason)
        self.lead_id.filtered(lambda lead: not lead.partner_id)._telesales_set_do_not_call(reason)

    def write(self, vals):
        vals = self._talk_time_vals(vals)
        self.env["telesales.workbench"]._notify_progress(self, vals)
        if self.env.su:
            return super().write(vals)
        if SYSTEM_FIELDS & set(vals):
            raise AccessError(self.env._(
                "%(fields)s are set by the system.", fields=", ".join(sorted(SYSTEM_FIELDS & set(vals)))))
        if "user_id" in vals:
            self._check_reassign(vals["user_id"])
        if MEASURED_FIELDS & set(vals) and self.filtered(lambda c: c.source == "phone_system") \
                and not self.env.user.has_group("telesales_mgmt.group_telesales_admin"):
            raise AccessError(self.env._(
                "Start, end, direction, ring and talk time and the recording of a call from the phone system "
                "are measured: only the telesales administrator corrects them (R-CALL-2)."))
        corrections = self._check_corrections(vals)
        res = super().write(vals)
        if "lead_id" in vals:
            self.lead_id._telesales_check_workable()
        if "partner_id" in vals:
            self._check_customer_workable()
        if corrections:
            # sudo: the flag is the system's, set after the correction was allowed.
            corrections.sudo().write({"corrected": True})
        if {"lead_id", "user_id", "start", "direction"} & set(vals):
            self._check_can_call()
            self._apply_calling_window()
        if {"outcome", "lead_id"} & set(vals):
            self._win_deals()
        return res

    def _check_customer_workable(self):
        """A call names a customer one may contact: its number would show on the call."""
        if self.partner_id.sudo(False)._telesales_masked_ids():
            raise AccessError(self.env._(
                "You cannot log a call with a customer you do not work (Customer, R-DATA-2)."))

    def _check_reassign(self, user_id):
        """Who made a call is a fact: a leader (their team's) or the manager corrects it,
        never the agent, whose figures it moves (R-CALL-3)."""
        user = self.env.user
        if user.has_group("telesales_mgmt.group_telesales_manager"):
            return
        if not user.has_group("telesales_mgmt.group_telesales_leader"):
            raise AccessError(self.env._(
                "Only a team leader or the manager changes who made a call (Agent, R-CALL-3)."))
        mine = self.env["crm.team"].sudo().search([("user_id", "=", user.id)])
        target = self.env["res.users"].browse(user_id)
        if self.filtered(lambda call: call.team_id not in mine) or (
                target and target not in mine.crm_team_member_ids.user_id):
            raise AccessError(self.env._(
                "A team leader moves calls between their own team's agents only (Agent, R-CALL-3)."))

    def _check_corrections(self, vals):
        """Times and outcome drive the daily figures, the daily minimum and the new-hire
        allowance (R-CALL-3, R-CALL-5, R-ORG-4): the agent corrects their own call until
        its day is judged; after that only a leader or the manager does, with a reason.
        Every correction is tracked (old → new) and counted on the daily figures.
        Returns the calls corrected."""
        if not FIGURE_FIELDS & set(vals):
            return self.browse()
        if set(vals) & FIGURE_FIELDS == {"outcome"}:
            # Choosing the outcome of a measured call is logging it, not correcting it.
            logging = self.filtered("to_log")
            if logging.filtered(lambda c: c.user_id != self.env.user) and not self.env.user.has_group(
                    "telesales_mgmt.group_telesales_leader"):
                raise AccessError(self.env._("Only the agent who made a call logs it (R-CALL-3)."))
            self -= logging
        user = self.env.user
        judged = {(user_id.id, day) for user_id, day in self.env["telesales.daily.minimum"].sudo()._read_group(
            [("user_id", "in", self.user_id.ids), ("date", "in", list(set(self.mapped("call_date"))))],
            ["user_id", "date:day"])}
        leader = user.has_group("telesales_mgmt.group_telesales_leader")
        for call in self:
            if (call.user_id.id, call.call_date) in judged:
                if not leader:
                    raise AccessError(self.env._(
                        "%(day)s was already judged for the daily minimum: only a team leader or the "
                        "manager corrects this call now, with a reason (R-CALL-5).", day=call.call_date))
                if not (vals.get("correction_reason") or "").strip():
                    raise UserError(self.env._(
                        "Give the reason for correcting a call of a judged day (Correction Reason, "
                        "R-CALL-5)."))
            elif call.user_id != user and not leader:
                raise AccessError(self.env._("Only the agent who made a call corrects it (R-CALL-3)."))
        return self

    def action_telesales_complaint(self):
        """The customer complained on this call: record it at once (R-CMP-1)."""
        self.ensure_one()
        return self.env["telesales.complaint"]._action_record({
            "call_id": self.id, "lead_id": self.lead_id.id, "partner_id": self.partner_id.id,
            "agent_id": self.user_id.id, "channel": "call"})

    def action_telesales_logged(self):
        """The agent has recorded what was said on a measured call: it now counts as
        logged, with its follow-up plan (R-LEAD-4)."""
        calls = self.filtered("to_log")
        leader = self.env.user.has_group("telesales_mgmt.group_telesales_leader")
        if calls.filtered(lambda c: c.user_id != self.env.user) and not leader:
            raise AccessError(self.env._("Only the agent who made a call logs it (R-CALL-3)."))
        calls.check_access("write")
        calls._mark_logged()
        return True

    def _mark_logged(self):
        # sudo: the flag is the system's; constraints check the outcome and the plan.
        self.sudo().write({"to_log": False})
        self._create_plan_activities()
        self.filtered(lambda c: c.outcome == "refused")._mark_do_not_call()
        self._win_deals()

    # ------------------------------------------------------------
    # Phone system (CTI)
    # ------------------------------------------------------------

    @api.model
    def _cti_receive(self, company, events):
        """Apply a batch of phone-system events (`engines.cti.Event`) of `company`: one call
        per provider call id, completed by its events in any order, each event applied once.
        Returns a result per event. The caller has checked the signature; runs as superuser.

        Two workers given events of one new call both insert it: the unique call id refuses
        the second, which is retried as a whole (ConcurrencyError) and then finds the call."""
        self = self.sudo().with_context(tracking_disable=True, mail_create_nolog=True,
                                        mail_create_nosubscribe=True, mail_notrack=True)
        results = [None] * len(events)
        by_key = defaultdict(list)
        for index, event in enumerate(events):
            by_key[event.call_id].append(index)
        calls = {call.cti_call_id: call for call in self.search(
            [("company_id", "=", company.id), ("cti_call_id", "in", list(by_key))])}
        agents = company._telesales_cti_agents({event.extension for event in events})
        # A new call is the agent's whose extension its first event names.
        unknown = [index for key, indexes in by_key.items()
                   if key not in calls and events[indexes[0]].extension not in agents for index in indexes]
        for index in unknown:
            results[index] = {"result": "ignored", "reason": "unknown extension"}
        self.env["telesales.cti.log"]._log_unknown(company, [events[index] for index in unknown])
        new = {key: indexes for key, indexes in by_key.items()
               if key not in calls and events[indexes[0]].extension in agents}
        normalised = {number: company._telesales_normalise_number(number)
                      for number in {events[indexes[0]].number for indexes in new.values()}}
        calls.update(self._cti_dialled(company, {key: events[indexes[0]] for key, indexes in new.items()},
                                       agents, normalised))
        create_keys = [key for key in new if key not in calls]
        numbers = {key: normalised[events[new[key][0]].number] for key in create_keys}
        matches = self._cti_match(company, [(agents[events[new[key][0]].extension], numbers[key])
                                            for key in create_keys])
        now = fields.Datetime.now()
        vals_list = []
        for key in create_keys:
            first = events[new[key][0]]
            user = agents[first.extension]
            number = numbers[key]
            lead, partner = matches.get((user, number), (self.env["crm.lead"], self.env["res.partner"]))
            state = self._cti_apply([events[index] for index in by_key[key]], {}, set(), results, by_key[key])
            if state is None:
                continue
            vals_list.append({
                **state["vals"], "source": "phone_system", "cti_call_id": key, "company_id": company.id,
                "user_id": user.id, "direction": first.direction, "phone": number or first.number,
                "lead_id": lead.id, "partner_id": (partner or lead.partner_id).id, "to_log": True})
            results[by_key[key][0]]["result"] = "created"
        try:
            created = self.create(vals_list)
        except UniqueViolation as error:
            raise ConcurrencyError("phone-system call created by another worker") from error
        for call in calls.values():
            indexes = by_key[call.cti_call_id]
            received = set((call.cti_events or "").split(",")) - {""}
            state = self._cti_apply([events[index] for index in indexes], call._cti_times(), received,
                                    results, indexes)
            if state and state["vals"]:
                if not call.to_log and "answered_at" in state["vals"] and call.outcome in UNANSWERED_OUTCOMES:
                    state["vals"].update(to_log=True)  # answered after all: the agent logs again
                call.write(call._cti_outcome_vals(state["vals"]))
        (created | self.browse([call.id for call in calls.values()]))._cti_flag_and_pop(events, now)
        try:
            self.env.flush_all()
        except UniqueViolation as error:
            raise ConcurrencyError("phone-system call created by another worker") from error
        return [{"call_id": event.call_id, "event": event.event, **result}
                for event, result in zip(events, results, strict=True)]

    @api.model
    def _cti_apply(self, events, times, received, results, indexes):
        """Merge `events` into a call's `times` and `received` events; fill their results.
        Returns {"vals": the call's new values} or None when the times cannot be one call."""
        times, received, url = dict(times), set(received), None
        for event, index in zip(events, indexes, strict=True):
            if event.event in received:
                results[index] = {"result": "duplicate"}
                continue
            received.add(event.event)
            times[event.event] = event.at
            url = event.recording_url or url
            results[index] = {"result": "updated"}
        fresh = [index for index in indexes if results[index]["result"] == "updated"]
        if not fresh:
            return {"vals": {}}
        figures = cti.call_figures(times)
        if figures["end"] and (figures["end"] - figures["start"]).total_seconds() > MAX_CALL_SECONDS:
            for index in fresh:
                results[index] = {"result": "ignored", "reason": "the call's events are more than 24 hours apart"}
            return None
        status = next(status for event, status in (("hangup", "ended"), ("answered", "answered"),
                                                   ("ringing", "ringing"), ("recording", "ended"))
                      if event in received)
        vals = {
            "start": figures["start"], "end": figures["end"], "ring_seconds": figures["ring_seconds"],
            "talk_seconds": figures["talk_seconds"], "cti_status": status,
            "cti_events": ",".join(sorted(received)), "outcome": "answered" if figures["answered"] else "no_answer",
            **{f"{event}_at": times.get(event, False) for event in ("ringing", "answered")},
            "hangup_at": times.get("hangup", False),
        }
        if url:
            vals["recording_url"] = url
        return {"vals": vals}

    def _cti_times(self):
        return {event: self[f"{event}_at"] for event in ("ringing", "answered", "hangup") if self[f"{event}_at"]}

    def _cti_outcome_vals(self, vals):
        """A logged call keeps the agent's outcome when the phone system agrees with it."""
        if not (self.to_log or vals.get("to_log")):
            answered = bool(vals.get("answered_at", self.answered_at))
            if answered == (self.outcome not in UNANSWERED_OUTCOMES):
                vals = {key: value for key, value in vals.items() if key != "outcome"}
        return vals

    @api.model
    def _cti_dialled(self, company, first_events, agents, normalised):
        """{provider call id: call} for new ids that complete a call dialled from Odoo: the
        agent's latest dialling call to that number within DIAL_MATCH_MINUTES."""
        if not first_events:
            return {}
        since = fields.Datetime.now() - timedelta(minutes=DIAL_MATCH_MINUTES)
        dialling = self.search([
            ("company_id", "=", company.id), ("cti_status", "=", "dialling"), ("start", ">=", since),
            ("user_id", "in", [agents[event.extension].id for event in first_events.values()])],
            order="start desc, id desc")
        found = {}
        for key, event in first_events.items():
            number = normalised[event.number]
            call = next((call for call in dialling if call.user_id == agents[event.extension]
                         and call.phone == number and call not in found.values()), None)
            if call:
                call.cti_call_id = key
                found[key] = call
        return found

    @api.model
    def _cti_match(self, company, pairs):
        """{(user, number): (lead, customer)}: the agent's open lead with that number, else
        the customer with it, else nothing (an unknown number)."""
        numbers = list({number for _user, number in pairs if number})
        if not numbers:
            return {}
        users = self.env["res.users"].union(*(user for user, _number in pairs))
        leads = self.env["crm.lead"].sudo().search([
            ("company_id", "in", (company.id, False)), ("user_id", "in", users.ids),
            ("phone_sanitized", "in", numbers), ("won_status", "!=", "won")], order="id")
        partners = self.env["res.partner"].sudo().search([("phone_sanitized", "in", numbers)], order="id")
        by_lead = {(lead.user_id, lead.phone_sanitized): lead for lead in leads}
        by_partner = {partner.phone_sanitized: partner for partner in reversed(partners)}
        return {(user, number): (by_lead.get((user, number), self.env["crm.lead"]),
                                 by_partner.get(number, self.env["res.partner"]))
                for user, number in pairs}

    def _cti_flag_and_pop(self, events, now):
        """Flag outbound calls to do-not-call numbers and outside the calling hours; pop the
        ringing call up on the agent's screen, and open Log a Call at its hang-up."""
        fresh = {(event.call_id, event.event) for event in events
                 if abs((now - event.at).total_seconds()) <= SCREEN_POP_SECONDS}
        outbound = self.filtered(lambda call: call.direction == "outbound")
        blocked = set(self.env["phone.blacklist"].sudo().search(
            [("number", "in", list(set(outbound.mapped("phone"))))]).mapped("number"))
        for company, calls in outbound.grouped("company_id").items():
            outside = company._telesales_outside_calling_window(
                {call.start for call in calls if not call.outside_window})
            for call in calls:
                if call.start in outside and not call.outside_window:
                    call.outside_window = True
                if not call.dnc_breach and (call.phone in blocked or call.partner_id.telesales_do_not_call
                                            or call.lead_id.telesales_do_not_call):
                    call.dnc_breach = True
        for call in self:
            if (call.cti_call_id, "ringing") in fresh:
                call.user_id._bus_send("telesales_cti_ringing", call._cti_screen_pop())
            if (call.cti_call_id, "hangup") in fresh:
                call.user_id._bus_send("telesales_cti_hangup", {"call_id": call.id})

    def _cti_screen_pop(self):
        who = self.lead_id.name or self.partner_id.name
        return {
            "call_id": self.id, "number": self.phone, "direction": self.direction,
            "title": who or self.env._("Unknown number %(number)s", number=self.phone),
            "res_model": "crm.lead" if self.lead_id else "res.partner" if self.partner_id else "telesales.call",
            "res_id": self.lead_id.id or self.partner_id.id or self.id,
        }

    def action_telesales_log(self):
        """Log a Call on a call the phone system measured (opened at its hang-up)."""
        self.ensure_one()
        if not self.to_log or self.user_id != self.env.user:
            return False
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a Call"),
            "res_model": "telesales.call",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref("telesales_mgmt.telesales_call_view_form_quick").id, "form")],
            "target": "new",
        }

    @api.model
    def _telesales_dial(self, lead, partner):
        """Click-to-dial (the Call button): the desk rules first (do-not-call list, calling
        hours, R-LEAD-5 approval), then the phone system dials or a tel: link opens."""
        if not self.env.user.has_group("telesales_mgmt.group_telesales_agent"):
            raise AccessError(self.env._("Only telesales staff dial customers from Odoo."))
        company = lead.company_id or self.env.company
        number = lead.phone or partner.phone
        if not number:
            raise UserError(self.env._("%(who)s has no phone number (Phone).",
                                       who=lead.name or partner.name))
        draft = self.new({"lead_id": lead.id, "partner_id": (partner or lead.partner_id).id,
                          "phone": number, "user_id": self.env.uid, "company_id": company.id,
                          "direction": "outbound", "start": fields.Datetime.now()})
        draft._check_can_call()
        if company.telesales_window_mode == "block" and not company._telesales_in_calling_window(draft.start):
            draft._apply_calling_window(inbound_hint=False)  # refuses, naming the hours
        if not company.telesales_cti_enabled:
            return {"type": "ir.actions.act_url", "url": f"tel:{number}", "target": "self"}
        return self._telesales_dial_call(company, lead, partner or lead.partner_id, number)

    @api.model
    def _telesales_dial_call(self, company, lead, partner, number):
        """Record the dialling call the phone system's events complete, and ask the
        phone system to dial when it has a dial URL. The caller passed the desk rules."""
        extension = self.env.user.employee_id.sudo().telesales_extension
        if company.telesales_cti_dial_url and not extension:
            raise UserError(self.env._(
                "You have no phone extension (Phone Extension on your employee): HR sets it "
                "before the phone system can dial for you."))
        normalised = company._telesales_normalise_number(number)
        call = self.sudo().with_context(tracking_disable=True).create({
            "source": "phone_system", "cti_status": "dialling", "to_log": True, "outcome": "no_answer",
            "cti_call_id": f"odoo-{uuid.uuid4().hex}" if company.telesales_cti_dial_url else False,
            "lead_id": lead.id, "partner_id": partner.id, "phone": normalised, "user_id": self.env.uid,
            "company_id": company.id, "direction": "outbound", "start": fields.Datetime.now(),
        })
        call._cti_flag_and_pop([], fields.Datetime.now())
        if not company.telesales_cti_dial_url:
            return {"type": "ir.actions.act_url", "url": f"tel:{normalised}", "target": "self"}
        body = json.dumps({"call_id": call.cti_call_id, "extension": extension,
                           "number": normalised}).encode()
        timestamp = str(int(time.time()))
        try:
            response = requests.post(company.telesales_cti_dial_url, data=body, timeout=10, headers={
                "Content-Type": "application/json", "X-Telesales-Company": str(company.id),
                "X-Telesales-Timestamp": timestamp,
                "X-Telesales-Signature": cti.signature(company.sudo().telesales_cti_secret, timestamp, body)})
            response.raise_for_status()
        except requests.RequestException as error:
            raise UserError(self.env._(
                "The phone system did not take the dial request (Dial URL): %(error)s",
                error=str(error))) from error
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "type": "info", "title": self.env._("Dialling"),
            "message": self.env._("The phone system is calling %(number)s from extension %(extension)s.",
                                  number=normalised, extension=extension)}}

    @api.model
    def _cron_remove_old_recordings(self, limit=None):
        """Recordings past each company's retention period go; the call stays. Batched
        (`telesales.cron`): what is left after a run cut short is what the next one takes."""
        calls = self.browse()
        for company in self.env["res.company"].search([("telesales_recording_retention_days", ">", 0)]):
            before = fields.Datetime.now() - timedelta(days=company.telesales_recording_retention_days)
            calls |= self.sudo().search([("company_id", "=", company.id), ("start", "<", before), "|",
                                         ("recording_url", "!=", False), ("recording_file", "!=", False)])
        for batch in self.env["telesales.cron"]._batches(calls, limit=limit):
            batch.sudo().with_context(tracking_disable=True).write(
                {"recording_url": False, "recording_file": False, "recording_filename": False})

    def action_open_recording(self):
        self.ensure_one()
        if not self.recording_url:
            raise UserError(self.env._("This call has no recording URL."))
        return {"type": "ir.actions.act_url", "url": self.recording_url, "target": "new"}


def seconds_to_clock(seconds):
    """3:25 for 205 seconds (minutes past 59 stay minutes: 75:00)."""
    return f"{seconds // 60}:{seconds % 60:02d}"


def parse_clock(value):
    """Seconds of "m:ss", "h:mm:ss" or whole minutes "m"; 0 for nothing; None when the
    text is none of these."""
    text = (value or "").strip()
    if not text:
        return 0
    if not CLOCK_RE.fullmatch(text):
        return None
    numbers = [int(part) for part in text.split(":")]
    if len(numbers) == 1:
        return numbers[0] * 60
    if any(number >= 60 for number in numbers[1:]):
        return None
    seconds = 0
    for number in numbers:
        seconds = seconds * 60 + number
    return seconds


def float_to_clock(hours):
    """09:30 for 9.5."""
    minutes = round(hours * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def local_hour_and_day(dt, tz_name):
    """(hour of day as a float, local date) of the naive UTC datetime `dt` in the time
    zone `tz_name`."""
    local = pytz.utc.localize(dt).astimezone(pytz.timezone(tz_name or "UTC"))
    return local.hour + local.minute / 60 + local.second / 3600, local.date()


def day_bounds_utc(day, tz_name):
    """Naive UTC datetimes of the start and end of the local `day`."""
    tz = pytz.timezone(tz_name or "UTC")
    start = tz.localize(datetime.combine(day, datetime.min.time()))
    return (start.astimezone(pytz.utc).replace(tzinfo=None),
            (start + timedelta(days=1)).astimezone(pytz.utc).replace(tzinfo=None))
