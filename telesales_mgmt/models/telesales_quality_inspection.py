import math
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL

# Inspections whose result is final: acknowledged by the agent, or the appeal decided.
COUNTED_STATES = ("acknowledged", "upheld", "overturned")
# A failed inspection the agent still has to learn from (R-CALL-6 coaching).
FAILED_STATES = ("done", "acknowledged", "appealed", "upheld")
# Set by the steps below (under sudo, after their own checks), never by a plain write.
PROTECTED_FIELDS = frozenset({
    "state", "inspector_id", "done_date", "decided_by_id", "decided_date", "coaching_id", "call_id",
    "employee_id", "user_id", "team_id", "company_id", "call_date", "pass_score", "sample_week"})
# How far back a complaint makes an agent's calls sampled more (R-CALL-7).
COMPLAINT_LOOKBACK_DAYS = 28

# The weekly draw, for a batch of agents: each agent's recorded effective calls of the
# week in a reproducible random order (md5 of week, agent and call), the first N taken;
# N = max(share, minimum) × the agent's factor, capped at what there is. A call already
# inspected keeps its inspection (one per call), so a second run adds nothing.
SAMPLE_SQL = """
WITH agent AS (
    SELECT * FROM unnest(%(users)s::int[], %(employees)s::int[], %(teams)s::int[], %(factors)s::float8[])
                  AS a(user_id, employee_id, team_id, factor)
), pool AS (
    SELECT c.id, c.user_id, c.call_date,
           ROW_NUMBER() OVER (PARTITION BY c.user_id
                              ORDER BY md5(%(seed)s || '/' || c.user_id || '/' || c.id), c.id) AS draw,
           COUNT(*) OVER (PARTITION BY c.user_id) AS recorded
      FROM telesales_call c
     WHERE c.user_id = ANY(%(users)s) AND c.company_id = %(company)s AND c.is_effective
       AND c.call_date >= %(start)s AND c.call_date < %(end)s
       AND (COALESCE(c.recording_url, '') != '' OR EXISTS (
               SELECT 1 FROM ir_attachment att
                WHERE att.res_model = 'telesales.call' AND att.res_field = 'recording_file'
                  AND att.res_id = c.id))
)
INSERT INTO telesales_quality_inspection (
       employee_id, user_id, team_id, company_id, call_id, call_date, scorecard_id, state, sample_week,
       pass_score, total, fatal_failed, passed, final_pass, pass_rate,
       create_uid, write_uid, create_date, write_date)
SELECT a.employee_id, p.user_id, a.team_id, %(company)s, p.id, p.call_date, %(scorecard)s, 'draft', %(start)s,
       %(pass_score)s, 0, false, false, false, 0,
       %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
  FROM pool p JOIN agent a ON a.user_id = p.user_id
 WHERE p.draw <= LEAST(p.recorded, CEIL(
           GREATEST(CEIL(p.recorded * %(share)s / 100.0), LEAST(%(minimum)s, p.recorded)) * a.factor))
ON CONFLICT (call_id) DO NOTHING
RETURNING id
"""


class TelesalesQualityInspection(models.Model):
    """The quality inspection of one recorded call (质检, R-CALL-7): scored on a scorecard
    by an inspector (a dedicated inspector, the agent's leader or the manager, never the
    agent), passed when the score reaches the threshold in Settings and no fatal
    criterion failed. The agent acknowledges it or appeals (申诉) to the manager, who
    upholds or overturns it. A fail goes to the agent's next coaching (R-CALL-6)."""

    _name = "telesales.quality.inspection"
    _description = "Call Quality Inspection"
    _inherit = ["telesales.agent.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "call_date desc, id desc"

    call_id = fields.Many2one("telesales.call", "Call", required=True, ondelete="cascade")
    call_date = fields.Date("Call Day", index=True, readonly=True)
    recording_src = fields.Char(related="call_id.recording_src", string="Recording Player")
    call_outcome = fields.Selection(related="call_id.outcome", string="Outcome")
    call_talk_seconds = fields.Integer(related="call_id.talk_seconds", string="Talk Time (s)")
    inspector_id = fields.Many2one("res.users", "Inspector", index=True, readonly=True, tracking=True)
    scorecard_id = fields.Many2one("telesales.quality.scorecard", "Scorecard", required=True)
    score_ids = fields.One2many("telesales.quality.score", "inspection_id", "Scores")
    sample_week = fields.Date(readonly=True, help="Monday of the week the call was sampled from; empty when "
                              "inspected by choice.")
    coaching_id = fields.Many2one("telesales.coaching", "Coaching", readonly=True, index="btree_not_null")

    state = fields.Selection([
        ("draft", "To Inspect"), ("done", "Inspected"), ("acknowledged", "Acknowledged"),
        ("appealed", "Appealed"), ("upheld", "Upheld"), ("overturned", "Overturned"),
    ], default="draft", required=True, readonly=True, tracking=True, index=True)
    pass_score = fields.Float(
        "Pass Score", readonly=True, default=lambda self: self.env.company.telesales_quality_pass_score,
        help="The threshold in Settings when the call was sampled.")
    total = fields.Float("Score", compute="_compute_result", store=True, aggregator="avg",
                         help="Points earned out of 100.")
    fatal_failed = fields.Boolean("Fatal Failure", compute="_compute_result", store=True)
    passed = fields.Boolean(compute="_compute_result", store=True,
                            help="The score reaches the pass score and no fatal criterion failed.")
    final_pass = fields.Boolean("Passed (Final)", compute="_compute_final", store=True,
                                help="Passed, or a fail overturned on appeal.")
    pass_rate = fields.Float("Pass Rate (%)", compute="_compute_final", store=True, aggregator="avg",
                             help="100 for a final pass, 0 for a fail: averaged, the pass rate (target ≥ 90 %).")
    comment = fields.Text("Inspector's Comment")
    done_date = fields.Datetime("Inspected On", readonly=True)
    appeal_reason = fields.Text(tracking=True, help="Why the agent disputes the result (申诉).")
    decision_note = fields.Text("Decision", tracking=True, help="The manager's reasons for the decision.")
    decided_by_id = fields.Many2one("res.users", "Decided By", readonly=True, tracking=True)
    decided_date = fields.Datetime("Decided On", readonly=True)

    _unique_call = models.UniqueIndex("(call_id)")
    _user_day_idx = models.Index("(user_id, call_date)")

    @api.depends("call_id", "user_id")
    def _compute_display_name(self):
        for inspection in self:
            inspection.display_name = self.env._(
                "Inspection %(agent)s (%(date)s)", agent=inspection.user_id.name, date=inspection.call_date or "")

    @api.depends("score_ids.points", "score_ids.failed", "score_ids.criterion_id", "pass_score")
    def _compute_result(self):
        for inspection in self:
            weight = sum(inspection.score_ids.criterion_id.mapped("weight"))
            points = sum(inspection.score_ids.mapped("points"))
            inspection.total = round(points * 100.0 / weight, 2) if weight else 0.0
            inspection.fatal_failed = any(line.failed and line.criterion_id.fatal for line in inspection.score_ids)
            inspection.passed = bool(weight) and not inspection.fatal_failed and (
                inspection.total >= inspection.pass_score)

    @api.depends("passed", "state")
    def _compute_final(self):
        for inspection in self:
            inspection.final_pass = inspection.passed or inspection.state == "overturned"
            inspection.pass_rate = 100.0 if inspection.final_pass else 0.0

    @api.onchange("call_id")
    def _onchange_call_id(self):
        if self.call_id.employee_id:
            self.update(self._call_values(self.call_id))

    @api.constrains("inspector_id", "user_id")
    def _check_not_own(self):
        for inspection in self:
            if inspection.inspector_id and inspection.inspector_id == inspection.user_id:
                raise ValidationError(self.env._(
                    "%(agent)s cannot inspect their own call (Inspector, R-CALL-7).", agent=inspection.user_id.name))

    # ------------------------------------------------------------
    # Who changes what
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """An inspector inspects a call they chose: the agent and the call's day come
        from the call, the inspector is the caller (never the call's agent)."""
        if not self.env.su:
            Call = self.env["telesales.call"]
            # The agent, the day and the inspector come from the call and the caller, not the caller's values.
            vals_list = [{key: value for key, value in vals.items() if key not in PROTECTED_FIELDS or key == "call_id"}
                         for vals in vals_list]
            for vals in vals_list:
                call = Call.browse(vals.get("call_id"))
                call.check_access("read")
                vals.update(self._call_values(call), inspector_id=self.env.user.id)
        inspections = super().create(vals_list)
        if not self.env.su:
            inspections._check_can_inspect()
        for inspection in inspections.filtered(lambda i: not i.score_ids and i.scorecard_id):
            inspection.sudo()._fill_scores()
        return inspections

    def write(self, vals):
        if not self.env.su:
            if set(vals) & PROTECTED_FIELDS:
                raise AccessError(self.env._(
                    "An inspection's agent, state and inspector are set by its steps (R-CALL-7)."))
            for inspection in self:
                if inspection.user_id == self.env.user:
                    if set(vals) - {"appeal_reason"} or inspection.state != "done":
                        raise AccessError(self.env._(
                            "You cannot change the inspection of your own call; acknowledge it or appeal "
                            "with a reason (Appeal Reason, R-CALL-7)."))
                elif "appeal_reason" in vals:
                    raise AccessError(self.env._("Only the agent appeals their inspection (R-CALL-7)."))
            if {"scorecard_id", "comment"} & set(vals):
                self._check_editable()
        return super().write(vals)

    def _call_values(self, call):
        employee = call.sudo().employee_id
        if not employee:
            raise UserError(self.env._("The call has no telesales agent to inspect (Call, R-CALL-7)."))
        return {**self._agent_values(employee), "call_id": call.id, "call_date": call.sudo().call_date,
                "user_id": call.sudo().user_id.id, "team_id": call.sudo().team_id.id or employee.telesales_team_id.id}

    def _check_editable(self):
        """Scores change while the inspection is to inspect, by someone who may inspect it."""
        if self.env.su:
            return
        for inspection in self:
            if inspection.state != "draft":
                raise UserError(self.env._(
                    "%(name)s is inspected already: its scores no longer change (Scores, R-CALL-7).",
                    name=inspection.display_name))
        self._check_can_inspect()

    def _check_can_inspect(self):
        """A dedicated inspector (the department), the manager, or the agent's team leader
        inspects; never the agent themselves."""
        user = self.env.user
        for inspection in self:
            if inspection.user_id == user:
                raise UserError(self.env._(
                    "You cannot inspect your own call: %(name)s (Inspector, R-CALL-7).", name=inspection.display_name))
            if not (user.has_group("telesales_mgmt.group_telesales_inspector")
                    or user.has_group("telesales_mgmt.group_telesales_manager")
                    or (user.has_group("telesales_mgmt.group_telesales_leader")
                        and inspection.team_id.user_id == user)):
                raise AccessError(self.env._(
                    "Only a quality inspector, the agent's team leader or the manager inspects %(name)s (R-CALL-7).",
                    name=inspection.display_name))

    def _check_agent(self):
        for inspection in self:
            if inspection.user_id != self.env.user:
                raise AccessError(self.env._(
                    "Only %(agent)s acknowledges or appeals this inspection (R-CALL-7).",
                    agent=inspection.user_id.name))

    def _check_state(self, states):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for inspection in self:
            if inspection.state not in states:
                raise UserError(self.env._(
                    "%(name)s is %(state)s: this step is not possible now (State, R-CALL-7).",
                    name=inspection.display_name, state=labels[inspection.state]))

    def _fill_scores(self):
        for inspection in self:
            inspection.score_ids = [Command.create({"criterion_id": criterion.id, "points": criterion.weight})
                                    for criterion in inspection.scorecard_id.criterion_ids]

    # ------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------

    def action_start(self):
        """The caller takes the sampled call to inspect it: the scorecard's criteria, full marks."""
        self._check_state(("draft",))
        self._check_can_inspect()
        for inspection in self.sudo():
            inspection.inspector_id = self.env.user
            if not inspection.score_ids:
                inspection._fill_scores()
        return True

    def action_done(self):
        self._check_state(("draft",))
        self._check_can_inspect()
        for inspection in self:
            if not inspection.score_ids:
                raise UserError(self.env._("Score %(name)s first (Scores, R-CALL-7).", name=inspection.display_name))
        self.sudo()._done(self.env.user)
        return True

    def _done(self, inspector):
        for inspection in self:
            inspection.write({"state": "done", "inspector_id": inspection.inspector_id.id or inspector.id,
                              "done_date": fields.Datetime.now()})
            inspection.activity_schedule(
                "mail.mail_activity_data_todo", user_id=inspection.user_id.id,
                summary=self.env._("Quality inspection: %(result)s, %(score)s points",
                                   result=self.env._("passed") if inspection.passed else self.env._("failed"),
                                   score=inspection.total),
                note=self.env._("Acknowledge it, or appeal with a reason (R-CALL-7)."))
        self.filtered(lambda i: not i.passed)._add_to_coaching()

    def action_acknowledge(self):
        self._check_agent()
        self._check_state(("done",))
        self.sudo().write({"state": "acknowledged"})
        self.sudo().activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_appeal(self):
        """The agent disputes a failed inspection (申诉) with the reason they wrote."""
        self._check_agent()
        self._check_state(("done",))
        for inspection in self:
            if inspection.passed:
                raise UserError(self.env._("%(name)s passed: there is nothing to appeal (R-CALL-7).",
                                           name=inspection.display_name))
            if not (inspection.appeal_reason or "").strip():
                raise UserError(self.env._("Say why you appeal (Appeal Reason, R-CALL-7)."))
        self.sudo()._appeal()
        return True

    def _appeal(self):
        self.write({"state": "appealed"})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        for inspection in self:
            manager = inspection.team_id.telesales_manager_id
            if manager:
                inspection.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=manager.id,
                    summary=self.env._("Appeal of a quality inspection by %(agent)s", agent=inspection.user_id.name),
                    note=inspection.appeal_reason)

    def action_uphold(self):
        return self._decide("upheld")

    def action_overturn(self):
        return self._decide("overturned")

    def _decide(self, state):
        if not self.env.user.has_group("telesales_mgmt.group_telesales_manager"):
            raise AccessError(self.env._("Only the department manager decides an appeal (R-CALL-7)."))
        self._check_state(("appealed",))
        if self.user_id & self.env.user:
            raise AccessError(self.env._("You cannot decide the appeal of your own call (R-CALL-7)."))
        inspections = self.sudo()
        inspections.write({"state": state, "decided_by_id": self.env.user.id, "decided_date": fields.Datetime.now()})
        inspections.activity_feedback(["mail.mail_activity_data_todo"])
        if state == "overturned":
            inspections._remove_from_coaching()
        return True

    # ------------------------------------------------------------
    # Coaching (R-CALL-6)
    # ------------------------------------------------------------

    def _add_to_coaching(self):
        """A failed call goes to the agent's open coaching, else waits for the next one."""
        Coaching = self.env["telesales.coaching"].sudo()
        for inspection in self:
            coaching = Coaching.search([("employee_id", "=", inspection.employee_id.id), ("state", "=", "todo")],
                                       order="date desc, id desc", limit=1)
            if coaching:
                inspection._link_coaching(coaching)

    def _link_coaching(self, coaching):
        self.write({"coaching_id": coaching.id})
        coaching.write({"inspected_call_ids": [Command.link(call.id) for call in self.call_id]})

    def _remove_from_coaching(self):
        for inspection in self.filtered(lambda i: i.coaching_id.state == "todo"):
            inspection.coaching_id.write({"inspected_call_ids": [Command.unlink(inspection.call_id.id)]})
            inspection.coaching_id = False

    @api.model
    def _telesales_to_coaching(self, coachings):
        """New coaching sessions take their agent's failed inspections still waiting."""
        waiting = self.sudo().search([("employee_id", "in", coachings.employee_id.ids), ("coaching_id", "=", False),
                                      ("passed", "=", False), ("state", "in", FAILED_STATES)])
        for coaching in coachings:
            waiting.filtered(lambda i: i.employee_id == coaching.employee_id)._link_coaching(coaching)

    # ------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------

    @api.model
    def _telesales_pass_rates(self, users, date_from, date_to):
        """{user id: (passed, total)} over the final inspections (acknowledged, or the
        appeal decided) of calls made in [date_from, date_to); an overturned fail passes."""
        rows = self.sudo()._read_group(
            [("user_id", "in", users.ids), ("call_date", ">=", date_from), ("call_date", "<", date_to),
             ("state", "in", COUNTED_STATES)], ["user_id", "final_pass"], ["__count"])
        rates = {}
        for user, final_pass, count in rows:
            passed, total = rates.get(user.id, (0, 0))
            rates[user.id] = (passed + (count if final_pass else 0), total + count)
        return rates

    @api.model
    def _telesales_pass_rate_domain(self, user_id, date_from, date_to):
        return [("user_id", "=", user_id), ("call_date", ">=", fields.Date.to_string(date_from)),
                ("call_date", "<", fields.Date.to_string(date_to)), ("state", "in", list(COUNTED_STATES))]

    # ------------------------------------------------------------
    # Weekly sampling
    # ------------------------------------------------------------

    @api.model
    def _cron_quality_sample(self, batch_size=None, limit=None):
        """Draw last week's calls to inspect, for every company with a scorecard."""
        today = fields.Date.context_today(self)
        week_start = today - timedelta(days=today.weekday() + 7)
        inspections = self.browse()
        for company in self.env["res.company"].search([]):
            inspections |= self._telesales_sample_week(week_start, company, batch_size=batch_size, limit=limit)
        return inspections

    @api.model
    def _telesales_sample_week(self, week_start, company, batch_size=None, limit=None):
        """Sample the week starting `week_start` for the company's agents (R-CALL-7): per
        agent, the share of their recorded effective calls in Settings (at least the
        minimum), times the trainee and complaint factors; a seeded draw (the week and the
        agent), one inspection per call. Batches of agents; a rerun adds nothing."""
        scorecard = self.env["telesales.quality.scorecard"].sudo()._for_company(company)
        if not scorecard:
            return self.browse()
        week_end = week_start + timedelta(days=7)
        employees = self.env["hr.employee"].sudo().search([
            ("telesales_role", "=", "agent"), ("user_id", "!=", False), ("company_id", "=", company.id)], order="id")
        complained = {user.id for [user] in self.env["telesales.complaint"].sudo()._read_group([
            ("agent_id", "in", employees.user_id.ids), ("state", "!=", "cancelled"),
            ("received_date", ">=", fields.Datetime.to_datetime(week_end - timedelta(days=COMPLAINT_LOOKBACK_DAYS))),
            ("received_date", "<", fields.Datetime.to_datetime(week_end))], ["agent_id"])}
        self.env.flush_all()
        created = []
        for batch in self.env["telesales.cron"]._batches(employees, batch_size, limit):
            factors = []
            for employee in batch:
                factor = 1.0
                if employee.telesales_status == "trainee":
                    factor *= company.telesales_quality_trainee_factor or 1.0
                if employee.user_id.id in complained:
                    factor *= company.telesales_quality_complaint_factor or 1.0
                factors.append(factor)
            self.env.cr.execute(SQL(
                SAMPLE_SQL, users=[employee.user_id.id for employee in batch],
                employees=batch.ids, teams=[employee.telesales_team_id.id or None for employee in batch],
                factors=factors,
                seed=fields.Date.to_string(week_start), company=company.id, start=week_start, end=week_end,
                scorecard=scorecard.id, pass_score=company.telesales_quality_pass_score, uid=self.env.uid,
                share=company.telesales_quality_sample_share, minimum=company.telesales_quality_sample_min))
            created += [row[0] for row in self.env.cr.fetchall()]
        self.invalidate_model()
        return self.browse(created)

    @api.model
    def _telesales_sample_size(self, recorded, company, factor=1.0):
        """How many of `recorded` calls the draw takes (the SQL's rule, for the tests)."""
        base = max(math.ceil(recorded * company.telesales_quality_sample_share / 100.0),
                   min(company.telesales_quality_sample_min, recorded))
        return min(recorded, math.ceil(base * factor))

    @api.model
    def _telesales_kpi_upgrade(self):
        """The shipped 'call quality' indicator becomes computed from inspections, unless
        the administrator changed it (its shipped description still there)."""
        kpi = self.env.ref("telesales_mgmt.telesales_kpi_call_quality", raise_if_not_found=False)
        shipped = kpi and "until call quality checks" in (kpi.with_context(lang="en_US").description or "")
        if shipped and kpi.source == "rated_leader":
            kpi.write({"source": "computed", "description": self.env._(
                "通话质量合格率: The share of inspected calls that passed the quality inspection (R-CALL-7).")})
