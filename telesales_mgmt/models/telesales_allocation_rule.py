from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import groupby
from odoo.tools.safe_eval import safe_eval

from ..engines.allocation import STRATEGIES
from .telesales_allocation_log import ALLOCATION_LEVELS

STRATEGY_LABELS = [
    ("round_robin", "Round Robin"),
    ("weighted", "Weighted by Ability"),
    ("least_loaded", "Least Loaded"),
    ("grade_match", "Grade Matching"),
]
assert {key for key, _label in STRATEGY_LABELS} == set(STRATEGIES)
ABILITY_WEIGHTS = {"a": 3.0, "b": 2.0, "c": 1.0}


class TelesalesAllocationRule(models.Model):
    """Which leads are shared out how (R-LEAD-2): the department shares pool leads among
    teams, each team shares its leads among its agents. Rules apply in sequence; a lead
    is taken by the first rule whose domain matches it."""

    _name = "telesales.allocation.rule"
    _description = "Lead Allocation Rule"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    level = fields.Selection(
        [lvl for lvl in ALLOCATION_LEVELS if lvl[0] in ("department", "team")], required=True,
        default="team", tracking=True)
    team_id = fields.Many2one(
        "crm.team", "Team", domain=[("is_telesales", "=", True)], tracking=True,
        help="Team level: the team whose leads this rule shares out. Empty: every team.")
    domain = fields.Char(
        "Leads", default="[]", tracking=True,
        help="Which leads (source, grade, tags, country, age ...). Empty: all.")
    strategy = fields.Selection(STRATEGY_LABELS, required=True, default="round_robin", tracking=True)
    include_pool = fields.Boolean(
        "Pool Leads Too",
        help="Department level: also share out the leads waiting in the pool (公海) for a "
        "claim. Off, the pool is left to agents' claims.")
    include_trainees = fields.Boolean(
        "Trainees Too", help="Trainees (见习) receive leads from this rule (R-TRN-2).")
    daily_cap = fields.Integer(
        "Daily Cap per Agent", default=30, tracking=True,
        help="Leads an agent may receive per day from allocation. 0: no cap.")
    open_cap = fields.Integer(
        "Open Leads Cap per Agent", default=200, tracking=True,
        help="An agent holding this many open leads receives no more. 0: no cap.")


    # Recycling to the pool (R-LEAD-6), team level: when an agent neglects a lead.
    recycle_days_a = fields.Integer(
        "Idle Days (A)", default=30, tracking=True,
        help="An A lead goes back to the pool when its agent has not called it for this "
        "many days (since the last call, or since receiving it). 0: never.")
    recycle_days_b = fields.Integer("Idle Days (B)", default=15, tracking=True,
                                    help="The same for B leads (and leads without a grade).")
    recycle_days_c = fields.Integer("Idle Days (C)", default=7, tracking=True,
                                    help="The same for C leads.")
    recycle_attempts = fields.Integer(
        "Attempts Without Progress", default=6, tracking=True,
        help="A lead goes back to the pool after this many contacts without progress. 0: never.")
    recycle_lost_reason_ids = fields.Many2many(
        "crm.lost.reason", string="Lost Reasons",
        help="A lead lost for one of these reasons is restored and goes back to the pool.")
    recycle_warn_days = fields.Integer(
        "Warn Days Before", default=2,
        help="The agent gets an activity this many days before an idle lead is recycled. 0: no warning.")
    recycle_cooldown_days = fields.Integer(
        "Cool-down Days", default=7, tracking=True,
        help="A recycled lead is not given back to, nor claimed by, the same agent for this many days.")

    _check_caps = models.Constraint(
        "CHECK(daily_cap >= 0 AND open_cap >= 0)", "Caps cannot be negative.")
    _check_recycle = models.Constraint(
        "CHECK(recycle_days_a >= 0 AND recycle_days_b >= 0 AND recycle_days_c >= 0 "
        "AND recycle_attempts >= 0 AND recycle_warn_days >= 0 AND recycle_cooldown_days >= 0)",
        "Recycling days, attempts and the cool-down cannot be negative.")

    @api.constrains("domain")
    def _check_domain(self):
        for rule in self:
            try:
                domain = Domain(safe_eval(rule.domain or "[]"))
                self.env["crm.lead"].search_count(domain, limit=1)
            except Exception as error:  # noqa: BLE001 - any broken domain is the user's input
                raise ValidationError(self.env._(
                    "Rule %(rule)s: the 'Leads' domain is not valid (%(error)s).",
                    rule=rule.name, error=error)) from error

    @api.constrains("level", "team_id")
    def _check_level(self):
        for rule in self:
            if rule.level == "department" and rule.team_id:
                raise ValidationError(self.env._(
                    "Rule %(rule)s shares leads among teams: it cannot be limited to team %(team)s.",
                    rule=rule.name, team=rule.team_id.name))
            if rule.team_id and not rule.team_id.is_telesales:
                raise ValidationError(self.env._(
                    "Rule %(rule)s: %(team)s is not a telesales team, its agents do not take "
                    "telesales leads.", rule=rule.name, team=rule.team_id.name))

    def _lead_domain(self):
        self.ensure_one()
        return Domain(safe_eval(self.domain or "[]"))

    # ------------------------------------------------------------
    # Recycling (R-LEAD-6)
    # ------------------------------------------------------------

    def _held_leads_by_rule(self, company, **search_kw):
        """[(rule, leads)]: the leads agents hold, each under the first team-level rule
        that matches it and applies to its team, as allocation picks rules."""
        teams = self.env["crm.team"].sudo().search(
            [("is_telesales", "=", True), ("company_id", "in", [False, company.id])])
        rules = self.search([("company_id", "=", company.id), ("level", "=", "team")])
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        taken, result = set(), []
        for rule in rules:
            domain = Domain.AND([
                [("team_id", "in", (rule.team_id & teams).ids if rule.team_id else teams.ids),
                 ("user_id", "!=", False)],
                rule._lead_domain()])
            leads = Lead.search(domain, **search_kw).filtered(lambda lead: lead.id not in taken)
            taken.update(leads.ids)
            result.append((rule, leads))
        return result

    def _idle_days(self, grade):
        return {"a": self.recycle_days_a, "c": self.recycle_days_c}.get(grade, self.recycle_days_b)

    def _last_contacts(self, leads):
        """{lead: when its agent last called it, or else received it}: the idle clock.
        Received: the last allocation log line to an agent (Odoo's opening date for leads
        assigned before the log existed)."""
        received = dict(self.env["telesales.allocation.log"].sudo()._read_group(
            [("lead_id", "in", leads.ids), ("to_user_id", "!=", False)], ["lead_id"], ["date:max"]))
        return {lead: max(filter(None, [lead.telesales_last_call_date, received.get(lead, lead.date_open)]),
                          default=None) for lead in leads}

    def _due_for_recycling(self, leads, now):
        """{reason: leads} among `leads` (held under this rule) that go back to the pool."""
        self.ensure_one()
        due = defaultdict(lambda: self.env["crm.lead"])
        last_contacts = self._last_contacts(leads.filtered("active"))
        for lead in leads:
            if not lead.active:
                if lead.lost_reason_id in self.recycle_lost_reason_ids:
                    due[self.env._("Lost: %(reason)s", reason=lead.lost_reason_id.name)] |= lead
                continue
            if lead.won_status != "pending":
                continue
            if self.recycle_attempts and lead.telesales_attempts_no_progress >= self.recycle_attempts:
                due[self.env._("%(count)s contacts without progress", count=self.recycle_attempts)] |= lead
                continue
            days = self._idle_days(lead.telesales_grade)
            last_contact = last_contacts[lead]
            if days and last_contact and last_contact <= now - timedelta(days=days):
                due[self.env._("Not contacted for %(days)s days", days=days)] |= lead
        return due

    @api.model
    def _cron_recycle(self, batch_size=None, limit=None):
        """Nightly: leads their agents neglect, or lost for chosen reasons, go back to the
        pool; agents are warned a few days before. In batches (`telesales.cron`): a lead
        recycled is no longer held and a lead warned has its warning, so reruns find
        nothing more to do and a run cut short resumes with the rest."""
        now = fields.Datetime.now()
        todo = []  # (rule, reason or False for a warning, lead), rule after rule
        for company in self.env["res.company"].search([]):
            for rule, leads in self.with_company(company)._held_leads_by_rule(company):
                for reason, due in rule._due_for_recycling(leads, now).items():
                    todo += [(rule, reason, lead) for lead in due]
                todo += [(rule, False, lead) for lead in rule._leads_to_warn(leads, now)]
        for batch in self.env["telesales.cron"]._batches(todo, batch_size, limit):
            for (rule, reason), items in groupby(batch, key=lambda item: item[:2]):
                leads = items[0][2].browse([item[2].id for item in items])
                if reason:
                    rule._recycle(leads, reason, now)
                else:
                    # Recycled meanwhile (a lead due and near its day): nobody to warn.
                    rule._warn_before_recycling(leads.filtered("user_id"), now)

    def _recycle(self, leads, reason, now):
        """Back to the pool through the one door, lost leads restored first."""
        self.ensure_one()
        if leads.filtered("active") != leads:
            leads.filtered(lambda lead: not lead.active).action_restore()
        self.env["crm.lead"]._telesales_set_owners(
            {lead.id: (False, False, self.id) for lead in leads}, "recycle", reason,
            cooldown_until=now + timedelta(days=self.recycle_cooldown_days))

    def _leads_to_warn(self, leads, now):
        """{lead: recycling day} of `leads` whose agent gets a warning now: active leads
        whose idle clock nears its end, not warned yet."""
        if not self.recycle_warn_days:
            return {}
        # Earlier warnings are found by their type: the summary is translated.
        warning = self.env.ref("telesales_mgmt.mail_act_recycle_warning")
        leads = leads.filtered("active")
        warned = set(self.env["mail.activity"].sudo().search(
            [("res_model", "=", "crm.lead"), ("res_id", "in", leads.ids),
             ("activity_type_id", "=", warning.id)]).mapped("res_id"))
        last_contacts = self._last_contacts(leads)
        result = {}
        for lead in leads:
            days = self._idle_days(lead.telesales_grade)
            last_contact = last_contacts[lead]
            if not (days and last_contact) or lead.id in warned:
                continue
            deadline = last_contact + timedelta(days=days)
            if deadline - timedelta(days=self.recycle_warn_days) <= now < deadline:
                result[lead] = deadline
        return result

    def _warn_before_recycling(self, leads, now):
        """An activity for the agent, once, when an idle lead nears its recycling day."""
        summary = self.env._("Call this lead or it goes back to the pool")
        for lead, deadline in self._leads_to_warn(leads, now).items():
            lead.sudo().activity_schedule(
                "telesales_mgmt.mail_act_recycle_warning", date_deadline=deadline.date(),
                user_id=lead.user_id.id, summary=summary)
