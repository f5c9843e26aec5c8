from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, is_html_empty

from .telesales_complaint_sla import SEVERITIES
from .telesales_complaint_stage import DONE_STATES

CHANNELS = [("call", "Call"), ("email", "E-mail"), ("web", "Web"), ("in_person", "In Person")]
SLA_STATUSES = [("on_time", "On Time"), ("at_risk", "At Risk"), ("breached", "Breached")]
ESCALATIONS = [("none", "None"), ("at_risk", "At Risk"), ("breached", "Breached")]
# Only those who handle the case write its outcome; agents concerned read it (R-CMP-3).
OUTCOME_FIELDS = {"resolution", "satisfaction", "root_cause", "corrective_action"}


class TelesalesComplaint(models.Model):
    """A customer complaint (客户投诉), from the apology to the lesson learnt (R-CMP-1…4):
    recorded at once and acknowledged, forwarded to the responsible department, tracked
    against a deadline in working days, resolved, followed up for the customer's
    satisfaction, and analysed where its category asks for it."""

    _name = "telesales.complaint"
    _description = "Complaint"
    _inherit = ["mail.thread.cc", "mail.activity.mixin"]
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

    @api.constrains("satisfaction")
    def _check_satisfaction(self):
        for complaint in self:
            if complaint.satisfaction and not 1 <= complaint.satisfaction <= 5:
                raise ValidationError(self.env._(
                    "%(ref)s: satisfaction is from 1 to 5, not %(value)s (R-CMP-3).",
                    ref=complaint.name, value=complaint.satisfaction))

    @api.model
    def _stage_of(self, state):
        return self.env["telesales.complaint.stage"].search([("state", "=", state)], limit=1)

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
        Workday, Sla = self.env["telesales.workday"], self.env["telesales.complaint.sla"]
        for complaint in self:
            company = complaint.company_id or self.env.company
            days = Sla._days_for(company, complaint.category_id, complaint.severity)
            calendar = complaint.responsible_department_id.sudo().telesales_calendar_id or company.resource_calendar_id
            start = complaint.received_date or fields.Datetime.now()
            deadline = Workday._add_working_days(start, days, calendar, company)
            complaint.sla_days, complaint.sla_deadline = days, deadline
            complaint.sla_risk_date = start + (deadline - start) * (company.telesales_complaint_risk_share / 100.0)

    @api.depends("sla_status", "resolved_date", "received_date")
    def _compute_kpis(self):
        for complaint in self:
            complaint.sla_compliance = 0.0 if complaint.sla_status == "breached" else 100.0
            complaint.hours_to_resolve = (complaint.resolved_date - complaint.received_date).total_seconds() / 3600 \
                if complaint.resolved_date and complaint.received_date else 0.0

    @api.depends_context("uid")
    @api.depends("responsible_user_id")
    def _compute_outcome_editable(self):
        handler = self._handles_outcomes()
        for complaint in self:
            complaint.outcome_editable = handler or complaint.responsible_user_id == self.env.user

    def _sla_status_at(self, now):
        self.ensure_one()
        moment = self.resolved_date or now
        if self.sla_deadline and moment > self.sla_deadline:
            return "breached"
        if self.sla_risk_date and moment >= self.sla_risk_date and not self.resolved_date:
            return "at_risk"
        return "on_time"

    def _refresh_sla(self):
        """Write each ticket's SLA status as of now, only where it changed."""
        now = fields.Datetime.now()
        for status, tickets in self.grouped(lambda c: c._sla_status_at(now)).items():
            tickets.filtered(lambda c: c.sla_status != status).write({"sla_status": status})

    # ------------------------------------------------------------
    # CRUD and the stage rules
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if any(OUTCOME_FIELDS & set(vals) for vals in vals_list):
            self.browse()._check_outcome_access()
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("telesales.complaint") or self.env._("New")
            # sudo: customer service may record a complaint on a lead it cannot read yet.
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
        if OUTCOME_FIELDS & set(vals):
            self._check_outcome_access()
        previous = {complaint: complaint.stage_id for complaint in self}
        res = super().write(vals)
        if "stage_id" in vals:
            for old_stage, complaints in self.grouped(lambda c: previous[c]).items():
                complaints._apply_stage_rules(old_stage)
        if {"stage_id", "received_date", "category_id", "severity", "responsible_department_id"} & set(vals):
            self._refresh_sla()
        return res

    def _handles_outcomes(self):
        user = self.env.user
        return self.env.su or user.has_group("telesales_mgmt.group_telesales_service") \
            or user.has_group("telesales_mgmt.group_telesales_leader")

    def _check_outcome_access(self):
        if self._handles_outcomes():
            return
        others = self.filtered(lambda c: c.responsible_user_id != self.env.user)
        if others:
            raise UserError(self.env._(
                "%(ref)s: only customer service, leaders and the responsible person record the resolution, "
                "the satisfaction and the analysis (R-CMP-3).", ref=", ".join(others.mapped("name"))))

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
            if state in ("acknowledged", "forwarded", "in_progress", "resolved", "closed") \
                    and not complaint.acknowledged_date:
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
    # Actions
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

    def action_acknowledge(self):
        self._move_to("acknowledged")

    def action_acknowledge_mail(self):
        """Apologise by e-mail too, from the acknowledgement template."""
        self._move_to("acknowledged")
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
        defaults = {"name": self.env._("New"), "subject": msg_dict.get("subject") or self.env._("No Subject"),
                    "channel": "email",
                    "partner_id": partner.id, "description": msg_dict.get("body"), "user_id": False}
        defaults.update(custom_values or {})
        return super().message_new(msg_dict, custom_values=defaults)

    @api.model
    def _cron_sla(self):
        """Refresh the SLA of open tickets and escalate, each level once (a rerun or a
        second worker finds nothing left): at risk to the responsible person, breached
        to the team leader and the department manager."""
        tickets = self.search([("state", "not in", DONE_STATES)])
        tickets._refresh_sla()
        self._escalate(tickets.filtered(lambda c: c.sla_status == "breached"), "breached", ("none", "at_risk"))
        self._escalate(tickets.filtered(lambda c: c.sla_status == "at_risk"), "at_risk", ("none",))

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
    def _agent_figures(self, users, date_from, date_to):
        """{user id: (complaints against them, average satisfaction or None)} over
        [date_from, date_to), cancelled tickets aside: for appraisal and titles (R-CMP-4)."""
        domain = [("agent_id", "in", users.ids), ("received_date", ">=", date_from),
                  ("received_date", "<", date_to), ("state", "!=", "cancelled")]
        counts = dict(self.sudo()._read_group(domain, ["agent_id"], ["__count"]))
        rated = dict(self.sudo()._read_group(domain + [("satisfaction", ">", 0)], ["agent_id"], ["satisfaction:avg"]))
        return {user.id: (counts[user], rated.get(user)) for user in counts}
