from datetime import datetime, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

# Calls before this local hour count for the morning, from it on for after lunch.
NOON = 12.0
# No call lasts longer than a day: longer times are typing errors or forged figures.
MAX_CALL_SECONDS = 24 * 3600
# The figures a call feeds (daily minimum, allowance, daily figures): corrected with a trace.
FIGURE_FIELDS = frozenset({"start", "end", "talk_seconds", "ring_seconds", "outcome"})
# Kept by the system: never written by hand.
SYSTEM_FIELDS = frozenset({"is_connected", "is_effective", "outside_window", "corrected",
                           "plan_activity_id", "employee_id", "team_id", "call_date", "local_hour"})

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

CALL_OUTCOMES = [
    ("no_answer", "No Answer"),
    ("busy", "Busy"),
    ("invalid", "Invalid Number"),
    ("refused", "Refused - Do Not Call"),
    ("not_interested", "Connected, No Interest"),
    ("effective", "Effective Conversation"),
    ("intent", "Intent"),
    ("deal", "Deal"),
]
# A person answered the phone.
CONNECTED_OUTCOMES = ("refused", "not_interested", "effective", "intent", "deal")
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
    recording_url = fields.Char("Recording URL")
    recording_file = fields.Binary("Recording", attachment=True)
    recording_filename = fields.Char()
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

    @api.constrains("outcome", "plan_date", "plan_goal")
    def _check_follow_up_plan(self):
        if self.env.context.get("telesales_seed") and self.env.su:
            return  # generated history has no one to plan for
        for call in self:
            if call.outcome not in CLOSING_OUTCOMES and not (call.plan_date and call.plan_goal):
                raise ValidationError(self.env._(
                    "Set the follow-up plan ('Follow-up On' and 'Follow-up Goal'): after every "
                    "contact the agent plans the next one (R-LEAD-4)."))

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

    def _apply_calling_window(self):
        """Block a call outside the calling windows, or flag it, per Settings."""
        for call in self.filtered(lambda c: c.direction == "outbound"):
            if call.company_id._telesales_in_calling_window(call.start):
                continue
            if call.company_id.telesales_window_mode == "block":
                raise UserError(self.env._(
                    "%(time)s is outside the calling hours: no calls at meal or noon-rest "
                    "times, at night or on rest days and holidays (R-CALL-4). See Settings › "
                    "Telesales › Calling windows.",
                    time=fields.Datetime.context_timestamp(call, call.start).strftime("%Y-%m-%d %H:%M")))
            call.sudo().outside_window = True  # the system's flag, not the agent's

    @api.model_create_multi
    def create(self, vals_list):
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
        if not (self.env.context.get("telesales_seed") and self.env.su):
            calls._check_can_call()
            calls._apply_calling_window()
            calls._create_plan_activities()
            calls.filtered(lambda c: c.outcome == "refused")._mark_do_not_call()
        return calls

    def _create_plan_activities(self):
        for call in self.filtered(lambda c: c.plan_date and c.lead_id):
            activity = call.lead_id.activity_schedule(
                PLAN_ACTIVITY_TYPES[call.plan_channel or "phone"],
                date_deadline=fields.Datetime.context_timestamp(call, call.plan_date).date(),
                summary=call.plan_action or call.plan_goal,
                note=call.plan_goal,
                user_id=call.user_id.id,
            )
            call.sudo().plan_activity_id = activity

    def _mark_do_not_call(self):
        if not self.company_id.telesales_dnc_on_refusal:
            return
        reason = self.env._("Refused on a call (拒绝)")
        self.partner_id._telesales_set_do_not_call(reason)
        self.lead_id.filtered(lambda lead: not lead.partner_id)._telesales_set_do_not_call(reason)

    def write(self, vals):
        if self.env.su:
            return super().write(vals)
        if SYSTEM_FIELDS & set(vals):
            raise AccessError(self.env._(
                "%(fields)s are set by the system.", fields=", ".join(sorted(SYSTEM_FIELDS & set(vals)))))
        if "user_id" in vals:
            self._check_reassign(vals["user_id"])
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

    def action_open_recording(self):
        self.ensure_one()
        if not self.recording_url:
            raise UserError(self.env._("This call has no recording URL."))
        return {"type": "ir.actions.act_url", "url": self.recording_url, "target": "new"}


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
