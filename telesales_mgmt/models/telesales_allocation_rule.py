from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, groupby
from odoo.tools.safe_eval import safe_eval

from ..engines.allocation import STRATEGIES
from ..engines.idle_clock import idle_cutoff, idle_deadline
from .res_company import DEFAULT_TZ
from .telesales_allocation_log import ALLOCATION_LEVELS

# Days read at once on each side of a day the idle clock asks about.
WORKING_DAYS_BLOCK = 45

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
        "many working days (since the last call, or since receiving it; rest days and "
        "holidays do not count, make-up days do). 0: never.")
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
        help="The agent gets an activity this many working days before an idle lead is recycled. "
        "0: no warning.")
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

    def _held_leads_by_rule(self, company, domain=None, **search_kw):
        """[(rule, leads)]: the leads agents hold (among `domain`), each under the first
        team-level rule that matches it and applies to its team, as allocation picks rules."""
        teams = self.env["crm.team"].sudo().search(
            [("is_telesales", "=", True), ("company_id", "in", [False, company.id])])
        rules = self.search([("company_id", "=", company.id), ("level", "=", "team")])
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        taken, result = set(), []
        for rule in rules:
            rule_domain = Domain.AND([
                [("team_id", "in", (rule.team_id & teams).ids if rule.team_id else teams.ids),
                 ("user_id", "!=", False)],
                domain or [],
                rule._lead_domain()])
            leads = Lead.search(rule_domain, **search_kw).filtered(lambda lead: lead.id not in taken)
            taken.update(leads.ids)
            result.append((rule, leads))
        return result

    def _idle_days(self, grade):
        return {"a": self.recycle_days_a, "c": self.recycle_days_c}.get(grade, self.recycle_days_b)

    # The idle clock counts the company's working days (design notes "working days"):
    # `engines/idle_clock.py` turns "N working days before now" into one cut-off moment
    # per grade, and one query compares every lead's last contact with it.

    @api.model
    def _working_day_test(self, company):
        """`is_working(day)` for `company`, by the one working-day helper (its schedule,
        public holidays, holidays and make-up days), read in blocks of days around the
        day asked: the idle clock walks the calendar day by day."""
        Workday = self.env["telesales.workday"]
        known = {}

        def is_working(day):
            if day not in known:
                block = [day + timedelta(days=n) for n in range(-WORKING_DAYS_BLOCK, WORKING_DAYS_BLOCK + 1)]
                working = Workday._company_working_days(company, block[0], block[-1])
                known.update((each, each in working) for each in block if each not in known)
            return known[day]
        return is_working

    @api.model
    def _company_tz(self, company):
        return pytz.timezone(company.telesales_tz or DEFAULT_TZ)

    def _idle_cutoffs(self, now, lead_days=0, is_working=None):
        """{grade: moment (naive UTC) or None}: a lead whose idle clock started at or
        before its grade's moment has been idle for its grade's working days (less
        `lead_days`: the warning's lead time) at `now` (naive UTC). None: never."""
        self.ensure_one()
        tz = self._company_tz(self.company_id)
        is_working = is_working or self._working_day_test(self.company_id)
        local_now = pytz.utc.localize(now).astimezone(tz).replace(tzinfo=None)
        cutoffs = {}
        for grade in ("a", "b", "c"):
            days = self._idle_days(grade)
            if not days:
                cutoffs[grade] = None
                continue
            # A warning as long as the period itself: from the first day.
            moment = idle_cutoff(local_now, days - lead_days, is_working) if days > lead_days else local_now
            cutoffs[grade] = moment and tz.localize(moment).astimezone(pytz.utc).replace(tzinfo=None)
        return cutoffs

    def _idle_since(self, leads, cutoffs):
        """{lead id: start of its idle clock (naive UTC)} for the open leads among `leads`
        (active, neither won nor lost) whose clock started at or before their grade's
        cut-off (`cutoffs`, ungraded leads as B). The clock starts at the lead's last
        call, or else when its agent received it (its last allocation log line to an
        agent; Odoo's opening date for leads assigned before the log existed). One
        query for any number of leads."""
        if not leads or not any(cutoffs.values()):
            return {}
        self.env["crm.lead"].flush_model(
            ["active", "won_status", "telesales_grade", "telesales_last_call_date", "date_open"])
        self.env["telesales.allocation.log"].flush_model(["lead_id", "to_user_id", "date"])
        rows = self.env.execute_query(SQL(
            """
            SELECT lead.id, clock.since
              FROM crm_lead lead
              LEFT JOIN LATERAL (
                    SELECT max(log.date) AS received
                      FROM telesales_allocation_log log
                     WHERE log.lead_id = lead.id AND log.to_user_id IS NOT NULL
                   ) received ON TRUE
             CROSS JOIN LATERAL (
                    SELECT GREATEST(lead.telesales_last_call_date,
                                    COALESCE(received.received, lead.date_open)) AS since
                   ) clock
             WHERE lead.id = ANY(%(ids)s) AND lead.active AND lead.won_status = 'pending'
               AND clock.since <= CASE lead.telesales_grade
                                      WHEN 'a' THEN %(a)s::timestamp
                                      WHEN 'c' THEN %(c)s::timestamp
                                      ELSE %(b)s::timestamp END
            """, ids=leads.ids, a=cutoffs["a"], b=cutoffs["b"], c=cutoffs["c"]))
        return dict(rows)

    def _due_for_recycling(self, leads, now, is_working=None):
        """{reason: leads} among `leads` (held under this rule) that go back to the pool
        at `now`: lost for a listed reason, too many contacts without progress, or idle
        for their grade's working days. Domains and one query, whatever the number of
        leads."""
        self.ensure_one()
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        due = defaultdict(lambda: Lead)
        if self.recycle_lost_reason_ids:
            lost = Lead.search([("id", "in", leads.ids), ("active", "=", False),
                                ("lost_reason_id", "in", self.recycle_lost_reason_ids.ids)])
            for reason, group in lost.grouped("lost_reason_id").items():
                due[self.env._("Lost: %(reason)s", reason=reason.name)] |= group
        stuck = Lead
        if self.recycle_attempts:
            stuck = Lead.search([("id", "in", leads.ids), ("active", "=", True), ("won_status", "=", "pending"),
                                 ("telesales_attempts_no_progress", ">=", self.recycle_attempts)])
            if stuck:
                due[self.env._("%(count)s contacts without progress", count=self.recycle_attempts)] = stuck
        idle = Lead.browse(self._idle_since(leads - stuck, self._idle_cutoffs(now, is_working=is_working)))
        for grade, group in idle.grouped(lambda lead: lead.telesales_grade or "b").items():
            days = self._idle_days(grade)
            due[self.env._("Not contacted for %(days)s working days", days=days)] |= group
        return due

    @api.model
    def _recycling_due_on(self, day, company=None, users=None):
        """The open leads that the nightly recycling run of `day` (at the cron's hour, in
        the company's time zone) takes back to the pool unless their agent calls them
        before: idle for their grade's working days by then, or over the attempts limit
        (the run of `day` also takes those due earlier). `users`: only the leads of these
        agents. For My Day's "recycled tomorrow" card: pass the next working day. Read
        with the caller's rights: a lead they may not read is not returned."""
        company = company or self.env.company
        tz = self._company_tz(company)
        cron = self.env.ref("telesales_mgmt.ir_cron_recycle_leads", raise_if_not_found=False)
        at = time(2, 0)
        if cron and cron.sudo().nextcall:
            at = pytz.utc.localize(cron.sudo().nextcall).astimezone(tz).time()
        moment = tz.localize(datetime.combine(day, at)).astimezone(pytz.utc).replace(tzinfo=None)
        is_working = self._working_day_test(company)
        domain = [("user_id", "in", users.ids)] if users is not None else []
        result = self.env["crm.lead"].sudo()
        for rule, leads in self.sudo()._held_leads_by_rule(company, domain=domain):
            for due in rule._due_for_recycling(leads, moment, is_working=is_working).values():
                result |= due.filtered("active")
        return self.env["crm.lead"].browse(result.ids)._filtered_access("read")

    @api.model
    def _cron_recycle(self, batch_size=None, limit=None):
        """Nightly: leads their agents neglect, or lost for chosen reasons, go back to the
        pool; agents are warned a few working days before. Idle time counts the company's
        working days: a week of holidays recycles nothing (design notes "working days").
        In batches (`telesales.cron`): a lead recycled is no longer held and a lead
        warned has its warning, so reruns find nothing more to do and a run cut short
        resumes with the rest."""
        now = fields.Datetime.now()
        todo = []  # (rule, reason or False for a warning, lead), rule after rule
        for company in self.env["res.company"].search([]):
            is_working = self._working_day_test(company)
            for rule, leads in self.with_company(company)._held_leads_by_rule(company):
                for reason, due in rule._due_for_recycling(leads, now, is_working=is_working).items():
                    todo += [(rule, reason, lead) for lead in due]
                todo += [(rule, False, lead) for lead in rule._leads_to_warn(leads, now, is_working=is_working)]
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

    def _leads_to_warn(self, leads, now, is_working=None):
        """{lead: recycling day} of `leads` whose agent gets a warning now: open leads
        whose idle clock is within the warning's working days of its end (not past it),
        not warned yet. The recycling day is the company's local date."""
        self.ensure_one()
        if not self.recycle_warn_days or not leads:
            return {}
        is_working = is_working or self._working_day_test(self.company_id)
        near = self._idle_since(leads, self._idle_cutoffs(now, self.recycle_warn_days, is_working))
        near_ids = set(near) - set(self._idle_since(leads, self._idle_cutoffs(now, is_working=is_working)))
        if not near_ids:
            return {}
        # Earlier warnings are found by their type: the summary is translated.
        warning = self.env.ref("telesales_mgmt.mail_act_recycle_warning")
        warned = set(self.env["mail.activity"].sudo().search(
            [("res_model", "=", "crm.lead"), ("res_id", "in", list(near_ids)),
             ("activity_type_id", "=", warning.id)]).mapped("res_id"))
        tz = self._company_tz(self.company_id)
        result = {}
        for lead in leads.browse(sorted(near_ids - warned)):
            # Few leads enter their warning each night: their day from the cached days.
            start = pytz.utc.localize(near[lead.id]).astimezone(tz).replace(tzinfo=None)
            deadline = idle_deadline(start, self._idle_days(lead.telesales_grade), is_working)
            result[lead] = deadline and deadline.date()
        return result

    def _warn_before_recycling(self, leads, now):
        """An activity for the agent, once, when an idle lead nears its recycling day."""
        summary = self.env._("Call this lead or it goes back to the pool")
        for lead, deadline in self._leads_to_warn(leads, now).items():
            lead.sudo().activity_schedule(
                "telesales_mgmt.mail_act_recycle_warning", date_deadline=deadline,
                user_id=lead.user_id.id, summary=summary)
