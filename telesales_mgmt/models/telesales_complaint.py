from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, is_html_empty, plaintext2html

from .telesales_complaint_sla import SEVERITIES
from .telesales_complaint_stage import DONE_STATES

CHANNELS = [("call", "Call"), ("email", "E-mail"), ("web", "Web"), ("in_person", "In Person")]
SLA_STATUSES = [("on_time", "On Time"), ("at_risk", "At Risk"), ("breached", "Breached")]
ESCALATIONS = [("none", "None"), ("at_risk", "At Risk"), ("breached", "Breached")]
# Statuses and escalations in one order: a ticket is escalated up to its status.
SLA_LEVELS = {"none": 0, "on_time": 0, "at_risk": 1, "breached": 2}
# Only those who handle the case write its outcome; agents concerned read it (R-CMP-3).
OUTCOME_FIELDS = {"resolution", "satisfaction", "root_cause", "corrective_action"}
# Who writes what (issue 12 §3): whoever a complaint is about never changes its state,
# dates, blame or outcome; the clock and the escalation are the system's.
SYSTEM_FIELDS = {"name", "state", "phone", "needs_analysis", "sla_days", "sla_deadline", "sla_risk_date",
                 "sla_remaining", "sla_status", "sla_compliance", "hours_to_resolve", "escalation", "outcome_editable",
                 "case_editable", "dates_editable"}
# The SLA clock: set by the stage rules; customer service and the manager date an older complaint.
DATE_FIELDS = {"received_date", "acknowledged_date", "forwarded_date", "resolved_date"}
# Blame (R-CMP-4) and routing (R-CMP-2): customer service, leaders and the manager.
BLAME_FIELDS = {"agent_id", "team_id"}
CASE_FIELDS = BLAME_FIELDS | {"responsible_department_id", "responsible_user_id", "user_id", "category_id",
                              "severity", "company_id", "lead_id", "sale_order_id", "call_id", "partner_id",
                              "email_from"}
# The steps and the outcome: the handlers and the responsible person (R-CMP-3).
STAGE_FIELDS = {"stage_id"} | OUTCOME_FIELDS
# What a complaint points at, checked against the caller's read access (R-DATA-2).
LINK_MODELS = {"lead_id": "crm.lead", "sale_order_id": "sale.order", "call_id": "telesales.call"}
# Steps past the apology in which an apology still missing can be recorded (R-CMP-1).
APOLOGY_LATE_STATES = ("forwarded", "in_progress")
# How far ahead of the server's clock a received date may be (a browser's clock drift).
CLOCK_SKEW = timedelta(minutes=1)


class TelesalesComplaint(models.Model):
    """A customer complaint (客户投诉), from the apology to the lesson learnt (R-CMP-1…4):
    recorded at once and acknowledged, forwarded to the responsible department, tracked
    against a deadline in working days, resolved, followed up for the customer's
    satisfaction, and analysed where its category asks for it."""

    _name = "telesales.complaint"
    _description = "Complaint"
    _inherit = ["mail.thread.cc", "mail.activity.mixin", "telesales.contact.guard"]
    # How to reach the customer: for those who handle the case or work the customer (R-DATA-2).
    _telesales_contact_fields = ("phone", "email_from")
    _primary_email = "email_from"
    _order = "priority desc, received_date desc, id desc"
    _rec_names_search = ["name", "subject", "partner_id"]

    name = fields.Char("Reference", readonly=True, copy=False, default=lambda self: self.env._("New"))
    subject = fields.Char(required=True, tracking=True)
    description = fields.Html()
    partner_id = fields.Many2one("res.partner", "Customer", tracking=True, index=True)
    email_from = fields.Char("E-mail", help="Where replies and the customer's e-mails go.")
    phone = fields.Char(related="partner_id.phone")
    lead_id = fields.Many2one("crm.lead", "Lead / Opportunity", index="btree_not_null")
    sale_order_id = fields.Many2one("sale.order", "Sale Order", index="btree_not_null")
    call_id = fields.Many2one("telesales.call", "Call", index="btree_not_null", readonly=True)
    agent_id = fields.Many2one(
        "res.users", "Agent Concerned", tracking=True, index=True,
        help="The agent the complaint is about: it counts in their appraisal (R-CMP-4).")
    team_id = fields.Many2one("crm.team", "Team", compute="_compute_team_id", store=True, readonly=False,
                              index=True, domain=[("is_telesales", "=", True)])
    user_id = fields.Many2one("res.users", "Handled By", tracking=True, default=lambda self: self.env.user,
                              help="Who keeps the case moving and talks to the customer.")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    channel = fields.Selection(CHANNELS, required=True, default="call")
    category_id = fields.Many2one("telesales.complaint.category", "Category", required=True, tracking=True,
                                  default=lambda self: self.env["telesales.complaint.category"].search([], limit=1))
    severity = fields.Selection(SEVERITIES, required=True, default="general", tracking=True,
                                help="General cases are answered within the default deadline; complex ones "
                                "get progress updates and their own deadline (R-CMP-2).")
    priority = fields.Selection([("0", "Normal"), ("1", "Urgent")], default="0")
    color = fields.Integer()
    stage_id = fields.Many2one(
        "telesales.complaint.stage", "Stage", tracking=True, index=True, copy=False, ondelete="restrict",
        group_expand="_read_group_expand_full", default=lambda self: self._stage_of("new"))
    state = fields.Selection(related="stage_id.state", store=True, string="Step")

    received_date = fields.Datetime("Received", required=True, default=fields.Datetime.now, readonly=True,
                                    help="When the customer complained: the deadline counts from here.")
    acknowledged_date = fields.Datetime("Apologised On", readonly=True, copy=False,
                                        help="When the customer received an apology and a promise (R-CMP-1).")
    responsible_department_id = fields.Many2one(
        "hr.department", "Responsible Department", tracking=True, index="btree_not_null",
        help="The department that solves the case (R-CMP-2). Its working days count for the deadline.")
    responsible_user_id = fields.Many2one("res.users", "Responsible Person", tracking=True, index="btree_not_null")
    forwarded_date = fields.Datetime("Forwarded On", readonly=True, copy=False)
    resolved_date = fields.Datetime("Resolved On", readonly=True, copy=False)

    sla_days = fields.Integer("Deadline (Working Days)", compute="_compute_sla_deadline", store=True)
    sla_deadline = fields.Datetime("Deadline", compute="_compute_sla_deadline", store=True, tracking=True)
    sla_risk_date = fields.Datetime("At Risk From", compute="_compute_sla_deadline", store=True)
    sla_remaining = fields.Char(
        "Time Left", compute="_compute_sla_remaining",
        help="Until the deadline, or past it, as of now (calendar time); empty once resolved.")
    sla_status = fields.Selection(SLA_STATUSES, "SLA", default="on_time", readonly=True, copy=False, index=True,
                                  help="Until resolved: on time, at risk once the configured share of the time "
                                  "is used, breached past the deadline. Then frozen at the resolution.")
    sla_compliance = fields.Float("SLA Compliance (%)", compute="_compute_kpis", store=True, aggregator="avg",
                                  help="100 when not breached: its average is the compliance rate.")
    hours_to_resolve = fields.Float(compute="_compute_kpis", store=True, aggregator="avg")
    escalation = fields.Selection(ESCALATIONS, default="none", readonly=True, copy=False,
                                  help="The highest SLA level already escalated: each level once.")

    resolution = fields.Html(tracking=True, help="What was done, as told to the customer (R-CMP-3).")
    satisfaction = fields.Integer(
        tracking=True, aggregator="avg",
        help="The customer's satisfaction from 1 (very unhappy) to 5 (very happy), obtained by a "
        "follow-up once resolved (R-CMP-3). 0: not asked yet.")
    needs_analysis = fields.Boolean(related="category_id.needs_analysis")
    root_cause = fields.Text()
    corrective_action = fields.Text()
    outcome_editable = fields.Boolean(compute="_compute_outcome_editable")
    case_editable = fields.Boolean(compute="_compute_outcome_editable")
    dates_editable = fields.Boolean(compute="_compute_outcome_editable")

    @api.depends("agent_id", "lead_id")
    def _compute_team_id(self):
        for complaint in self:
            # sudo: whoever records the complaint may not read the agent's employee.
            employee = complaint.agent_id.sudo().employee_ids.filtered(
                lambda e: e.company_id == complaint.company_id)[:1]
            complaint.team_id = employee.telesales_team_id or complaint.lead_id.team_id.filtered("is_telesales") \
                or complaint.team_id

    @api.depends("received_date", "category_id", "severity", "responsible_department_id", "company_id")
    def _compute_sla_deadline(self):
        """N working days in working hours, counted from the next working moment after the
        complaint was received (telesales.complaint.sla._deadline); at risk from the
        configured share of that working time."""
        Sla = self.env["telesales.complaint.sla"]
        for complaint in self:
            company = complaint.company_id or self.env.company
            days = Sla._days_for(company, complaint.category_id, complaint.severity)
            calendar = complaint.responsible_department_id.sudo().telesales_calendar_id or company.resource_calendar_id
            start = complaint.received_date or fields.Datetime.now()
            complaint.sla_days = days
            complaint.sla_deadline, complaint.sla_risk_date = Sla._deadline(
                start, days, calendar, company, company.telesales_complaint_risk_share)

    @api.depends("sla_deadline", "state")
    def _compute_sla_remaining(self):
        """How long until the deadline, or past it, as of now: the list and the cards show
        it next to the deadline's date and time (a relative date alone said "next month"
        for a deadline two days away at the end of a month)."""
        now = fields.Datetime.now()
        for complaint in self:
            if not complaint.sla_deadline or complaint.state in DONE_STATES:
                complaint.sla_remaining = False
                continue
            left = complaint.sla_deadline - now
            span = self._duration_label(abs(left))
            complaint.sla_remaining = self.env._("in %(time)s", time=span) if left >= timedelta() \
                else self.env._("%(time)s overdue", time=span)

    @api.model
    def _duration_label(self, duration):
        minutes = int(duration.total_seconds() // 60)
        days, hours, minutes = minutes // 1440, minutes % 1440 // 60, minutes % 60
        if days:
            return self.env._("%(days)s d %(hours)s h", days=days, hours=hours)
        if hours:
            return self.env._("%(hours)s h %(minutes)s min", hours=hours, minutes=minutes)
        return self.env._("%(minutes)s min", minutes=minutes)

    @api.depends("sla_status", "resolved_date", "received_date")
    def _compute_kpis(self):
        for complaint in self:
            complaint.sla_compliance = 0.0 if complaint.sla_status == "breached" else 100.0
            complaint.hours_to_resolve = (complaint.resolved_date - complaint.received_date).total_seconds() / 3600 \
                if complaint.resolved_date and complaint.received_date else 0.0

    @api.depends_context("uid")
    @api.depends("responsible_user_id", "agent_id")
    def _compute_outcome_editable(self):
        """What the form lets the user change: the same rules as `_check_write_rights`."""
        handler, case, dates = self._handles_outcomes(), self._handles_case(), self._dates_records()
        for complaint in self:
            concerned = complaint.agent_id == self.env.user and not self.env.su
            complaint.outcome_editable = not concerned and (handler or complaint.responsible_user_id == self.env.user)
            complaint.case_editable = not concerned and case
            complaint.dates_editable = not concerned and dates

    @api.constrains("satisfaction")
    def _check_satisfaction(self):
        for complaint in self:
            if complaint.satisfaction and not 1 <= complaint.satisfaction <= 5:
                raise ValidationError(self.env._(
                    "%(ref)s: satisfaction is from 1 to 5, not %(value)s (R-CMP-3).",
                    ref=complaint.name, value=complaint.satisfaction))

    @api.constrains("received_date")
    def _check_received_date(self):
        limit = fields.Datetime.now() + CLOCK_SKEW
        for complaint in self:
            if complaint.received_date and complaint.received_date > limit:
                raise ValidationError(self.env._(
                    "%(ref)s: the received date %(date)s is in the future: a complaint is received when the "
                    "customer made it (R-CMP-1).", ref=complaint.name, date=complaint.received_date))

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Values given through the context (default_*) are given values: checked alike.
        context_defaults = {key[8:]: value for key, value in self.env.context.items()
                            if key.startswith("default_") and key[8:] in self._fields}
        vals_list = [{**context_defaults, **vals} for vals in vals_list]
        for vals in vals_list:
            self._check_references(vals)
            self._check_texts(vals, creating=True)
            if not self.env.su:
                self._check_create_rights(vals)
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("telesales.complaint") or self.env._("New")
            # sudo: the lead's customer and agent fill the defaults; the caller's read access
            # to the lead was checked (customer service records complaints on any lead).
            lead = self.env["crm.lead"].sudo().browse(vals.get("lead_id"))
            if lead:
                vals.setdefault("partner_id", lead.partner_id.id)
                vals.setdefault("agent_id", lead.user_id.id)
            partner = self.env["res.partner"].sudo().browse(vals.get("partner_id"))
            if partner and not vals.get("email_from"):
                vals["email_from"] = partner.email
        complaints = super().create(vals_list)
        complaints._apply_stage_rules(complaints.stage_id.browse())
        complaints._refresh_sla()
        return complaints

    def write(self, vals):
        self._check_references(vals)
        self._check_texts(vals)
        if not self.env.su:
            self._check_write_rights(vals)
        previous = {complaint: complaint.stage_id for complaint in self}
        res = super().write(vals)
        if "stage_id" in vals:
            for old_stage, complaints in self.grouped(lambda c: previous[c]).items():
                complaints._apply_stage_rules(old_stage)
        if {"stage_id", "received_date", "category_id", "severity", "responsible_department_id"} & set(vals):
            self._refresh_sla()
        return res

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_acknowledge(self):
        """The customer received an apology and a promise (R-CMP-1): a new complaint moves to
        Acknowledged; one already forwarded or in progress keeps its step and records the
        apology's time."""
        later = self.filtered(lambda c: c.state in APOLOGY_LATE_STATES)
        (self - later)._move_to("acknowledged")
        later._record_apology()

    def _record_apology(self):
        """Date the apology of complaints past the Acknowledged step, for those who may move
        their steps (the same right as a stage change)."""
        if not self:
            return
        if not self.env.su:
            self._check_write_rights({"stage_id": self.stage_id[:1].id})
        now = fields.Datetime.now()
        # Past this class's write: the date is the system's, after the caller's right was checked.
        super(TelesalesComplaint, self.filtered(lambda c: not c.acknowledged_date)).write({"acknowledged_date": now})

    def action_acknowledge_mail(self):
        """Apologise by e-mail too, from the acknowledgement template."""
        self.action_acknowledge()
        template = self.env.ref("telesales_mgmt.mail_template_complaint_acknowledged")
        for complaint in self:
            if not (complaint.email_from or complaint.partner_id.email):
                raise UserError(self.env._("%(ref)s: the customer has no e-mail address.", ref=complaint.name))
            complaint.message_post_with_source(template, subtype_xmlid="mail.mt_comment")

    def action_forward(self):
        self._move_to("forwarded")

    def action_start(self):
        self._move_to("in_progress")

    def action_resolve(self):
        self._move_to("resolved")

    def action_close(self):
        self._move_to("closed")

    def action_cancel(self):
        self._move_to("cancelled")

    def action_send_progress(self):
        """Open the e-mail composer with the progress template (complex cases, R-CMP-2)."""
        self.ensure_one()
        template = self.env.ref("telesales_mgmt.mail_template_complaint_progress")
        return {
            "type": "ir.actions.act_window", "res_model": "mail.compose.message", "view_mode": "form",
            "target": "new",
            "context": {"default_model": self._name, "default_res_ids": self.ids,
                        "default_template_id": template.id, "default_composition_mode": "comment",
                        "force_email": True},
        }

    # ------------------------------------------------------------
    # Contact data, stages and the SLA clock
    # ------------------------------------------------------------

    def _telesales_entitled_sql(self, alias):
        Partner = self.env["res.partner"]
        if not Partner._telesales_contact_restricted() or self._is_service():
            return None
        return SQL("(%(partner)s IN (%(customers)s) OR %(responsible)s = %(uid)s)",
                   partner=SQL.identifier(alias, "partner_id"), customers=Partner._telesales_customers_sql(),
                   responsible=SQL.identifier(alias, "responsible_user_id"), uid=self.env.uid)

    @api.model
    def _stage_of(self, state):
        return self.env["telesales.complaint.stage"].search([("state", "=", state)], limit=1)

    def _sla_status_at(self, now):
        self.ensure_one()
        moment = self.resolved_date or now
        if self.sla_deadline and moment > self.sla_deadline:
            return "breached"
        if self.sla_risk_date and moment >= self.sla_risk_date and not self.resolved_date:
            return "at_risk"
        return "on_time"

    def _sla_run_due(self, now):
        """Whether the SLA run has something to do for this ticket: a status to write, or
        a level reached and not escalated yet."""
        self.ensure_one()
        status = self._sla_status_at(now)
        return status != self.sla_status or SLA_LEVELS[self.escalation] < SLA_LEVELS[status]

    def _refresh_sla(self):
        """Write each ticket's SLA status as of now, only where it changed."""
        now = fields.Datetime.now()
        for status, tickets in self.grouped(lambda c: c._sla_status_at(now)).items():
            # sudo: the SLA status is the system's, whoever's change moved the clock.
            tickets.filtered(lambda c: c.sla_status != status).sudo().write({"sla_status": status})

    # ------------------------------------------------------------
    # Who writes what (issue 12 §3, §6)
    # ------------------------------------------------------------

    def _field_label(self, fname):
        field = self._fields.get(fname)
        return field._description_string(self.env) if field else fname

    @api.model
    def _check_references(self, vals):
        """Values fit their fields and records named by id exist, before the rules below
        read them: a clear message, not a database error (the addon's input guard)."""
        self._telesales_check_input([vals])

    @api.model
    def _check_texts(self, vals, creating=False):
        """A complaint says what the customer complained about (R-CMP-1)."""
        for fname in ("subject", "description"):
            if not (creating or fname in vals):
                continue
            value = vals.get(fname)
            empty = is_html_empty(value) if fname == "description" else not (value or "").strip()
            if empty:
                raise ValidationError(self.env._(
                    "%(field)s of a complaint cannot be empty: write what the customer complained about "
                    "(R-CMP-1).", field=self._field_label(fname)))

    @api.model
    def _handles_case(self):
        """Customer service, leaders and the manager route a case and name who it is about."""
        user = self.env.user
        return self.env.su or user.has_group("telesales_mgmt.group_telesales_service") \
            or user.has_group("telesales_mgmt.group_telesales_leader")

    @api.model
    def _dates_records(self):
        """Customer service and the manager date an older complaint."""
        user = self.env.user
        return self.env.su or user.has_group("telesales_mgmt.group_telesales_service") \
            or user.has_group("telesales_mgmt.group_telesales_manager")

    @api.model
    def _is_service(self):
        return self.env.user.has_group("telesales_mgmt.group_telesales_service")

    def _refuse(self, ref, fname, rule):
        """rule: which door `fname` is behind."""
        field = self._field_label(fname)
        if rule == "system":
            message = self.env._("%(ref)s: %(field)s is set by the system only (R-CMP-2).", ref=ref, field=field)
        elif rule == "concerned":
            message = self.env._(
                "%(ref)s is about you: %(field)s is changed by customer service, a leader or the manager, never "
                "by the agent a complaint is about (R-CMP-4).", ref=ref, field=field)
        elif rule == "dates":
            message = self.env._(
                "%(ref)s: %(field)s is set by the system, or by customer service and the manager when they "
                "record an older complaint (R-CMP-1).", ref=ref, field=field)
        elif rule == "blame":
            message = self.env._(
                "%(ref)s: only customer service, leaders and the manager name the agent and the team a "
                "complaint is about (%(field)s, R-CMP-4).", ref=ref, field=field)
        elif rule == "case":
            message = self.env._(
                "%(ref)s: only customer service, leaders and the manager change %(field)s (R-CMP-2).",
                ref=ref, field=field)
        elif rule == "outcome":
            message = self.env._(
                "%(ref)s: only customer service, leaders and the responsible person record the resolution, "
                "the satisfaction and the analysis (%(field)s, R-CMP-3).", ref=ref, field=field)
        else:
            message = self.env._(
                "%(ref)s: only customer service, leaders, the manager and the responsible person move a "
                "complaint through its steps (%(field)s, R-CMP-3).", ref=ref, field=field)
        raise AccessError(message)

    def _check_write_rights(self, vals):
        """Each field behind its door; the agent concerned behind all of them."""
        user = self.env.user
        guarded = set(vals) & (SYSTEM_FIELDS | DATE_FIELDS | CASE_FIELDS | STAGE_FIELDS)
        if not guarded:
            return
        for fname in sorted(guarded & SYSTEM_FIELDS):
            self._refuse(", ".join(self.mapped("name")), fname, "system")
        handler, case, dates = self._handles_outcomes(), self._handles_case(), self._dates_records()
        for complaint in self:
            ref = complaint.name
            for fname in sorted(guarded):
                if complaint.agent_id == user:
                    self._refuse(ref, fname, "concerned")
                if fname in DATE_FIELDS and not dates:
                    self._refuse(ref, fname, "dates")
                if fname in CASE_FIELDS and not case:
                    self._refuse(ref, fname, "blame" if fname in BLAME_FIELDS else "case")
                if fname in STAGE_FIELDS and not (handler or complaint.responsible_user_id == user):
                    self._refuse(ref, fname, "outcome" if fname in OUTCOME_FIELDS else "stage")
        self._check_links(vals)

    @api.model
    def _check_create_rights(self, vals):
        """What a non-handler may give when recording a complaint: its story and where it
        comes from; the system fills the rest (R-CMP-1)."""
        ref = vals.get("subject") or self.env._("New complaint")
        for fname in sorted(set(vals) & SYSTEM_FIELDS - {"name"}):
            self._refuse(ref, fname, "system")
        if vals.get("name", self.env._("New")) != self.env._("New"):
            self._refuse(ref, "name", "system")
        links = self._check_links(vals)
        if not self._dates_records():
            for fname in sorted(set(vals) & DATE_FIELDS):
                self._refuse(ref, fname, "dates")
        if self._handles_outcomes():
            return
        user = self.env.user
        if set(vals) & OUTCOME_FIELDS and vals.get("responsible_user_id") != user.id:
            self._refuse(ref, sorted(set(vals) & OUTCOME_FIELDS)[0], "outcome")
        if vals.get("stage_id") and vals["stage_id"] != self._stage_of("new").id:
            self._refuse(ref, "stage_id", "stage")
        # The agent concerned is the lead's or the call's, as the system fills it.
        allowed_agents = {False, user.id} | {record.user_id.id for record in links.values() if record}
        if vals.get("agent_id", False) not in allowed_agents:
            self._refuse(ref, "agent_id", "blame")
        for fname in ("team_id", "responsible_department_id", "responsible_user_id"):
            if vals.get(fname):
                self._refuse(ref, fname, "blame" if fname in BLAME_FIELDS else "case")
        if vals.get("user_id") not in (None, False, user.id):
            self._refuse(ref, "user_id", "case")

    @api.model
    def _check_links(self, vals):
        """The lead, order and call a complaint is recorded on are ones the caller reads
        (customer service records complaints on any lead or order: that is its job); the
        customer is theirs (R-DATA-2). Returns {field: record} (sudo) of the given links."""
        links = {}
        for fname, model in LINK_MODELS.items():
            if fname not in vals:
                continue
            record = self.env[model].browse(vals[fname])
            if record and not self.env.su and not (fname != "call_id" and self._is_service()) \
                    and not record.has_access("read"):
                raise AccessError(self.env._(
                    "You may not record a complaint on %(field)s %(name)s: you do not have access to it "
                    "(R-DATA-2).", field=self._field_label(fname), name=record.sudo().display_name))
            links[fname] = record.sudo()
        partner_id = vals.get("partner_id")
        if partner_id and not self.env.su and not (self._is_service() or self.env.user.has_group(
                "telesales_mgmt.group_telesales_manager")):
            records = [record for record in links.values() if record] or \
                [complaint.sudo()[fname] for complaint in self for fname in LINK_MODELS]
            customers = self.env["res.partner"].union(*(record.partner_id for record in records))
            if partner_id not in (customers | customers.commercial_partner_id).ids:
                raise AccessError(self.env._(
                    "%(field)s: a complaint names the customer of its lead, order or call, one you work with "
                    "(R-DATA-2).", field=self._field_label("partner_id")))
        return links

    def _handles_outcomes(self):
        user = self.env.user
        return self.env.su or user.has_group("telesales_mgmt.group_telesales_service") \
            or user.has_group("telesales_mgmt.group_telesales_leader")

    # ------------------------------------------------------------
    # The stage rules
    # ------------------------------------------------------------

    def _apply_stage_rules(self, old_stage):
        """What entering a stage requires, and what it records (R-CMP-1…3)."""
        now = fields.Datetime.now()
        for complaint in self:
            state, old = complaint.state, old_stage.state
            if old == "closed" and state != "closed" and not self.env.user.has_group(
                    "telesales_mgmt.group_telesales_manager"):
                raise UserError(self.env._(
                    "%(ref)s is closed: only the department manager can reopen it.", ref=complaint.name))
            if state == "forwarded":
                complaint._check_forwarding()
            if state == "closed":
                complaint._check_closing()
            values = {}
            # Only the apology step dates the apology (R-CMP-1): a complaint forwarded straight
            # from New has not been apologised for yet, and says so.
            if state == "acknowledged" and not complaint.acknowledged_date:
                values["acknowledged_date"] = now
            if state == "forwarded" and old != "forwarded":
                values["forwarded_date"] = now
            if state in ("resolved", "closed") and not complaint.resolved_date:
                values["resolved_date"] = now
            elif state not in DONE_STATES and complaint.resolved_date:
                values["resolved_date"] = False  # reopened: the clock runs again
            if values:
                super(TelesalesComplaint, complaint).write(values)
            if state == "forwarded" and old != "forwarded":
                complaint._notify_responsible()
            if state in DONE_STATES and state != old:
                # Nothing left to chase: the forwarding, escalation (and, once closed,
                # follow-up) activities are done.
                complaint.activity_ids.action_feedback(feedback=self.env._(
                    "Complaint %(stage)s.", stage=complaint.stage_id.name))
            if state == "resolved" and old != "resolved":
                complaint._schedule_follow_up()

    def _check_forwarding(self):
        self.ensure_one()
        if not self.responsible_department_id:
            raise UserError(self.env._(
                "%(ref)s: name the responsible department before forwarding (R-CMP-2).", ref=self.name))
        if not self.responsible_user_id:
            manager = self.responsible_department_id.sudo().manager_id.user_id
            if not manager:
                raise UserError(self.env._(
                    "%(ref)s: name the responsible person: %(department)s has no manager with a user.",
                    ref=self.name, department=self.responsible_department_id.name))
            super().write({"responsible_user_id": manager.id})

    def _check_closing(self):
        self.ensure_one()
        missing = []
        if is_html_empty(self.resolution):
            missing.append(self.env._("the resolution"))
        if not self.satisfaction:
            missing.append(self.env._("the customer's satisfaction (1-5)"))
        if self.needs_analysis and not (self.root_cause or "").strip():
            missing.append(self.env._("the root cause"))
        if self.needs_analysis and not (self.corrective_action or "").strip():
            missing.append(self.env._("the corrective action"))
        if missing:
            raise UserError(self.env._("%(ref)s cannot be closed without %(missing)s (R-CMP-3).",
                                       ref=self.name, missing=", ".join(missing)))

    def _schedule_follow_up(self):
        """R-CMP-3: someone tells the customer the result and asks their satisfaction."""
        self.ensure_one()
        user = self.user_id or self.responsible_user_id or self.env.user
        self.activity_schedule(
            "mail.mail_activity_data_call", user_id=user.id,
            summary=self.env._("Tell %(customer)s the result and ask their satisfaction (1-5)",
                               customer=self.partner_id.name or self.email_from or self.name))

    def _notify_responsible(self):
        self.ensure_one()
        self.message_subscribe(partner_ids=self.responsible_user_id.partner_id.ids)
        self.activity_schedule(
            "mail.mail_activity_data_todo", date_deadline=fields.Date.to_date(self.sla_deadline),
            summary=self.env._("Complaint %(ref)s forwarded to you", ref=self.name),
            note=self.subject, user_id=self.responsible_user_id.id)

    # ------------------------------------------------------------
    # What the buttons open and do
    # ------------------------------------------------------------

    @api.model
    def _counts(self, field, records):
        """{record: complaints linked through `field`}, for smart buttons."""
        return dict(self._read_group([(field, "in", records.ids)], [field], ["__count"]))

    @api.model
    def _action_list(self, domain, defaults):
        """The complaints of a lead or a customer, new ones linked to it."""
        action = self.env["ir.actions.act_window"]._for_xml_id("telesales_mgmt.telesales_complaint_action")
        action.update(domain=domain, view_mode="list,form,kanban",
                      context={f"default_{key}": value for key, value in defaults.items()})
        action.pop("views", None)
        return action

    @api.model
    def _action_record(self, defaults):
        """A new complaint's form, filled from where it was raised (a call, a lead)."""
        return {
            "type": "ir.actions.act_window", "res_model": self._name, "view_mode": "form",
            "views": [(False, "form")], "target": "current",
            "context": {f"default_{key}": value for key, value in defaults.items()},
        }

    def _move_to(self, state):
        stage = self._stage_of(state)
        if not stage:
            raise UserError(self.env._("No complaint stage stands for this step: ask the administrator."))
        self.write({"stage_id": stage.id})

    # ------------------------------------------------------------
    # Incoming e-mail, the SLA run, KPIs
    # ------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A complaint from the alias: the sender's partner is linked, found by address
        or created; the body is the description."""
        partner = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if not partner and msg_dict.get("email_from"):
            partner = self._partner_find_from_emails_single([msg_dict["email_from"]], no_create=False)
        # The reference comes from the sequence, not from the subject.
        subject = (msg_dict.get("subject") or "").strip() or self.env._("No Subject")
        body = msg_dict.get("body")
        defaults = {"name": self.env._("New"), "subject": subject, "channel": "email", "partner_id": partner.id,
                    # An e-mail with the subject only: the subject is the complaint.
                    "description": body if not is_html_empty(body) else plaintext2html(subject), "user_id": False}
        defaults.update(custom_values or {})
        return super().message_new(msg_dict, custom_values=defaults)

    @api.model
    def _cron_sla(self, batch_size=None, limit=None):
        """Refresh the SLA of open tickets and escalate, each level once (a rerun or a
        second worker finds nothing left): at risk to the responsible person, breached
        to the team leader and the department manager. In batches (`telesales.cron`) of
        the tickets whose status changes or whose escalation lags: a batch done leaves
        them in line, so a run cut short resumes with the rest."""
        now = fields.Datetime.now()
        tickets = self.search([("state", "not in", DONE_STATES)]).filtered(lambda c: c._sla_run_due(now))
        for batch in self.env["telesales.cron"]._batches(tickets, batch_size, limit):
            batch._refresh_sla()
            self._escalate(batch.filtered(lambda c: c.sla_status == "breached"), "breached", ("none", "at_risk"))
            self._escalate(batch.filtered(lambda c: c.sla_status == "at_risk"), "at_risk", ("none",))

    @api.model
    def _escalate(self, tickets, level, below):
        if not tickets:
            return
        self.env.flush_all()
        # The UPDATE decides who escalates: a concurrent run gets no row back.
        self.env.cr.execute(SQL(
            "UPDATE telesales_complaint SET escalation = %s WHERE id = ANY(%s) AND escalation IN %s RETURNING id",
            level, tickets.ids, below))
        escalated = self.browse([row[0] for row in self.env.cr.fetchall()])
        escalated.invalidate_recordset(["escalation"])
        for ticket in escalated:
            if level == "at_risk":
                users = ticket.responsible_user_id or ticket.user_id
                summary = self.env._("Complaint %(ref)s at risk: deadline %(deadline)s",
                                     ref=ticket.name, deadline=ticket.sla_deadline)
            else:
                users = ticket.team_id.user_id | ticket.team_id.telesales_manager_id or ticket.user_id
                summary = self.env._("Complaint %(ref)s past its deadline (%(deadline)s)",
                                     ref=ticket.name, deadline=ticket.sla_deadline)
            for user in users:
                ticket.activity_schedule("mail.mail_activity_data_todo", summary=summary, user_id=user.id,
                                         date_deadline=fields.Date.context_today(self))

    @api.model
    def _agent_figures(self, users, date_from, date_to, company=None):
        """{user id: (complaints against them, average satisfaction or None)} over
        [date_from, date_to), cancelled tickets aside, in `company` if given: for
        appraisal and titles (R-CMP-4)."""
        domain = [("agent_id", "in", users.ids), ("received_date", ">=", date_from),
                  ("received_date", "<", date_to), ("state", "!=", "cancelled")]
        if company:
            domain.append(("company_id", "=", company.id))
        counts = dict(self.sudo()._read_group(domain, ["agent_id"], ["__count"]))
        rated = dict(self.sudo()._read_group(domain + [("satisfaction", ">", 0)], ["agent_id"], ["satisfaction:avg"]))
        return {user.id: (counts[user], rated.get(user)) for user in counts}
