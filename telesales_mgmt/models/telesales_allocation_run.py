from collections import Counter, defaultdict

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from ..engines.allocation import Target, allocate
from .telesales_allocation_log import ALLOCATION_LEVELS
from .telesales_allocation_rule import ABILITY_WEIGHTS

GRADE_ORDER = {"a": 0, "b": 1, "c": 2}


class TelesalesAllocationRun(models.Model):
    """One sharing-out of leads (R-LEAD-2), department → teams or team → agents. Made
    as a preview (how many leads, of which grades, to whom) and applied on confirm;
    the cron applies at once. The plan applied is exactly the plan previewed: a preview
    whose leads were taken meanwhile is out of date, refused, and planned again."""

    _name = "telesales.allocation.run"
    _description = "Lead Allocation Run"
    _inherit = ["telesales.system.fields"]
    _order = "id desc"
    # The plan and what became of it are the system's: set by planning and applying, never
    # typed (a forged plan would hand out any lead); what to plan is chosen only at creation.
    _telesales_system_fields = (
        "plan", "line_ids", "lead_count", "skipped_count", "state", "user_id", "date", "plan_note",
        "apply_note", "company_id", "level", "team_id", "to_agents")
    _telesales_create_fields = ("company_id", "level", "team_id", "to_agents")

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one("res.company", required=True, index=True,
                                 default=lambda self: self.env.company)
    level = fields.Selection([lvl for lvl in ALLOCATION_LEVELS if lvl[0] in ("department", "team")],
                             required=True, default="team")
    team_id = fields.Many2one("crm.team", "Team", domain=[("is_telesales", "=", True)],
                              default=lambda self: self._default_team_id(),
                              help="Team level: the team whose leads are shared out. A team leader "
                              "starts with their own team.")
    user_id = fields.Many2one("res.users", "Run By", default=lambda self: self.env.user, readonly=True)
    date = fields.Datetime(default=fields.Datetime.now, readonly=True)
    state = fields.Selection([("preview", "Preview"), ("done", "Applied"), ("cancel", "Cancelled")],
                             default="preview", required=True, readonly=True)
    to_agents = fields.Boolean(
        "Then to Agents", default=True,
        help="Department level: each team's new leads go on to its agents in the same run, "
        "so that every lead is written once.")
    plan = fields.Json(readonly=True, help="{lead id: [team id, user id, rule id, team before]}")
    line_ids = fields.One2many("telesales.allocation.run.line", "run_id", "Preview", readonly=True)
    lead_count = fields.Integer("Leads", readonly=True)
    skipped_count = fields.Integer(
        "Skipped", readonly=True,
        help="Planned leads not applied: taken by someone else while the run was applied, or over "
        "an agent's cap that claims or moves filled meanwhile.")
    plan_note = fields.Text(
        "Why Not More", readonly=True,
        help="Why the preview holds no lead, or why some matching leads found nobody: no rule, no "
        "free lead matching the rules, no agent who may receive leads today (trainees, on leave "
        "or not working, not checked in, excluded by hand) or every agent's cap reached (R-LEAD-2).")
    apply_note = fields.Text("Applied", readonly=True, help="What applying left out, and why.")
    stale_count = fields.Integer(
        "Leads Taken Since", compute="_compute_stale",
        help="Planned leads no longer free as planned: claimed, moved, given an agent, archived or "
        "marked do-not-call since the preview was made.")
    is_stale = fields.Boolean(
        "Out of Date", compute="_compute_stale",
        help="Some of the preview's leads are no longer free: it cannot be applied as previewed; "
        "Plan Again shares out the leads that are free now.")
    stale_note = fields.Char("Out of Date Because", compute="_compute_stale")

    def _default_team_id(self):
        """A team leader allocates their own team's leads: the team they lead, else the
        telesales team they belong to. The manager starts with every team."""
        user = self.env.user
        if user.has_group("telesales_mgmt.group_telesales_manager"):
            return False
        Team = self.env["crm.team"].sudo()
        domain = [("is_telesales", "=", True), ("company_id", "in", [False, self.env.company.id])]
        return (Team.search(domain + [("user_id", "=", user.id)], limit=1)
                or Team.search(domain + [("crm_team_member_ids.user_id", "=", user.id)], limit=1)).id

    @api.depends("level", "team_id", "date", "company_id")
    @api.depends_context("tz", "uid")
    def _compute_name(self):
        """"Team A · 2026-11-25 10:00", in the reader's time zone (else the department's):
        the same time the run's date shows."""
        for run in self:
            where = run.team_id.name if run.level == "team" and run.team_id else self.env._("Department")
            when = ""
            if run.date:
                tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz
                                   or run.company_id.telesales_tz or "UTC")
                when = pytz.utc.localize(run.date).astimezone(tz).strftime("%Y-%m-%d %H:%M")
            run.name = f"{where} · {when}"

    @api.depends("state", "plan")
    def _compute_stale(self):
        for run in self:
            stale = run._stale_leads() if run.state == "preview" else set()
            run.stale_count = len(stale)
            run.is_stale = bool(stale)
            run.stale_note = self.env._(
                "This preview is out of date: %(count)s of its %(total)s leads were claimed, moved, "
                "archived or marked do-not-call since it was planned. It cannot be applied as "
                "previewed: Plan Again shares out the leads that are free now (R-LEAD-2).",
                count=len(stale), total=run.lead_count) if stale else False

    def _stale_leads(self):
        """Ids of the planned leads no longer as planned: gone, archived, with an agent,
        in another team, or do-not-call (the door would skip them)."""
        self.ensure_one()
        plan = self.plan or {}
        if not plan:
            return set()
        self.env["crm.lead"].flush_model(["active", "user_id", "team_id", "telesales_do_not_call"])
        self.env.cr.execute(SQL("""
            SELECT p.id
              FROM unnest(%s::int[], %s::int[]) AS p(id, team)
         LEFT JOIN crm_lead l ON l.id = p.id
             WHERE l.id IS NULL OR NOT l.active OR l.user_id IS NOT NULL
                OR COALESCE(l.team_id, 0) != p.team OR l.telesales_do_not_call
        """, [int(lead) for lead in plan], [value[3] or 0 for value in plan.values()]))
        return {row[0] for row in self.env.cr.fetchall()}

    # ------------------------------------------------------------
    # CRUD: a run is planned when it is made
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Only what to plan is chosen; the plan itself is the system's.
        self._telesales_refuse_system_fields(
            {name for vals in vals_list for name in vals} - set(self._telesales_create_fields))
        # Checked before the insert, for a clear message rather than an access error.
        self._check_runner(vals_list)
        runs = super().create(vals_list)
        runs._make_plan()
        return runs

    # ------------------------------------------------------------
    # Actions: applying the plan
    # ------------------------------------------------------------

    def action_apply(self):
        """Apply the previewed plan, exactly: a preview some of whose leads were taken
        since it was made is out of date and refused (its shares were fair for leads that
        are gone); Plan Again makes a new one from the leads free now."""
        for run in self:
            if run.state != "preview":
                raise UserError(self.env._("Run %(run)s was already applied or cancelled.", run=run.name))
            run.check_access("write")
            run.invalidate_recordset(["stale_count", "is_stale", "stale_note"])  # leads change under it
            if run.is_stale:
                raise UserError(self.env._(
                    "Run %(run)s: %(count)s of the %(total)s planned leads were claimed, moved, archived "
                    "or marked do-not-call since the preview was made, so it cannot be applied as "
                    "previewed. Nothing was changed: click Plan Again to share out the leads that are "
                    "free now (R-LEAD-2).", run=run.name, count=run.stale_count, total=run.lead_count))
        self._apply()
        return True

    def action_plan_again(self):
        """Plan a preview again from the leads, agents and caps of now."""
        for run in self:
            if run.state != "preview":
                raise UserError(self.env._("Run %(run)s was already applied or cancelled.", run=run.name))
            run.check_access("write")
            self._check_runner([{"level": run.level, "team_id": run.team_id.id}])
        self.sudo().write({"date": fields.Datetime.now(), "user_id": self.env.uid, "skipped_count": 0,
                           "apply_note": False})
        self._make_plan()
        return True

    def action_cancel(self):
        runs = self.filtered(lambda r: r.state == "preview")
        runs.check_access("write")
        runs.sudo().write({"state": "cancel"})

    def _apply(self):
        """Write the plan through the one door. Leads taken or being claimed while this
        runs, and leads over a cap filled meanwhile, are skipped (counted and explained)
        rather than waited for or forced; the lines then show what was applied."""
        for run in self:
            plan = {int(lead): value for lead, value in (run.plan or {}).items()}
            reason = self.env._("Allocation run %(run)s", run=run.name)
            Lead = self.env["crm.lead"]
            done = set()
            # Leads from the pool were shared by the department, the others within a team.
            for level, came_from_pool in (("department", True), ("team", False)):
                part = {lead: value for lead, value in plan.items() if (not value[3]) == came_from_pool}
                done.update(Lead._telesales_set_owners(
                    {lead: tuple(value[:3]) for lead, value in part.items()}, level, reason, run=run,
                    expected={lead: (value[3], False) for lead, value in part.items()}))
            skipped = set(plan) - done
            values = {"state": "done", "skipped_count": len(skipped), "apply_note": False}
            if skipped:
                taken = run._stale_leads() & skipped
                parts = []
                if taken:
                    parts.append(self.env._("%(count)s taken by someone else meanwhile", count=len(taken)))
                if len(skipped) - len(taken):
                    parts.append(self.env._(
                        "%(count)s over an agent's cap (claims or moves filled it meanwhile) or being "
                        "claimed at that moment", count=len(skipped) - len(taken)))
                values["apply_note"] = self.env._(
                    "%(skipped)s of the %(total)s planned leads were not applied: %(why)s. They stay for "
                    "the next run; the lines show what was applied.",
                    skipped=len(skipped), total=len(plan), why="; ".join(parts))
                run._write_lines({lead: value for lead, value in plan.items() if lead in done}, planned=plan)
            run.sudo().write(values)

    # ------------------------------------------------------------
    # Who may run what
    # ------------------------------------------------------------

    @api.model
    def _check_runner(self, vals_list):
        if self.env.su or self.env.user.has_group("telesales_mgmt.group_telesales_manager"):
            return
        for vals in vals_list:
            team = self.env["crm.team"].browse(vals.get("team_id"))
            if vals.get("level", "team") != "team" or not team or team.user_id != self.env.user:
                raise UserError(self.env._(
                    "A team leader allocates the leads of their own team only; the department "
                    "manager shares leads among the teams (R-LEAD-2)."))

    # ------------------------------------------------------------
    # Planning
    # ------------------------------------------------------------

    def _make_plan(self):
        for run in self:
            notes = []
            if run.level == "department":
                plan = run._plan_department(notes)
                if run.to_agents:
                    plan.update(run._plan_teams(incoming=plan, notes=notes))
            else:
                plan = run._plan_teams(notes=notes)
            run.sudo().write({"plan": {str(lead): value for lead, value in plan.items()},
                              "lead_count": len(plan), "plan_note": "\n".join(notes) or False})
            run._write_lines(plan)

    def _rules(self, level):
        return self.env["telesales.allocation.rule"].search(
            [("company_id", "=", self.company_id.id), ("level", "=", level)])

    def _teams(self):
        return self.env["crm.team"].sudo().search(
            [("is_telesales", "=", True), ("company_id", "in", [False, self.company_id.id])])

    def _leads_by_rule(self, rules, base_domain, team_of=None):
        """[(rule, [(lead id, grade, team id)])] in serving order (grade, then oldest).
        A lead goes to the first rule that matches it and applies to its team (its
        current team, or the one `team_of` plans for it). Do-not-call leads are never
        shared."""
        base = Domain.AND([base_domain, [("telesales_do_not_call", "=", False),
                                         ("company_id", "in", [False, self.company_id.id])]])
        team_of = team_of or {}
        taken, result = set(), []
        Lead = self.env["crm.lead"].sudo()
        for rule in rules:
            domain = Domain.AND([base, rule._lead_domain()])
            if rule.level == "department" and not rule.include_pool:
                domain &= Domain("telesales_in_pool", "=", False)
            # Plain rows, not records: a run may read 100,000 leads per rule.
            query = Lead._search(domain, order="create_date, id")
            # execute_query flushes what the domain reads (a lead just marked do-not-call).
            Lead.flush_model(["telesales_grade", "team_id"])
            rows = self.env.execute_query(query.select(*(SQL.identifier(query.table, name)
                                                         for name in ("id", "telesales_grade", "team_id"))))
            leads = []
            for lead, grade, current_team in rows:
                team = team_of.get(lead) or current_team or False
                if lead not in taken and (not rule.team_id or rule.team_id.id == team):
                    leads.append((lead, grade, team))
            leads.sort(key=lambda row: GRADE_ORDER.get(row[1], 3))  # stable: oldest first
            taken.update(lead for lead, _grade, _team in leads)
            result.append((rule, leads))
        return result

    def _plan_department(self, notes=None):
        """{lead: [team, False, rule, False]}: pool leads shared among the teams. Why
        nothing is shared goes to `notes`."""
        notes = [] if notes is None else notes
        teams, rules = self._teams(), self._rules("department")
        if not rules:
            notes.append(self.env._(
                "No department rule: leads without a team are not shared among the teams. Add one in "
                "Telesales › Configuration › Allocation Rules (R-LEAD-2)."))
            return {}
        if not teams:
            notes.append(self.env._("No telesales team to share leads with (R-LEAD-2)."))
            return {}
        received = self._received_today("to_team_id", teams.ids)
        open_leads = dict(self.env["crm.lead"].sudo()._read_group(
            [("team_id", "in", teams.ids), ("active", "=", True), ("won_status", "=", "pending")],
            ["team_id"], ["__count"]))
        plan = {}
        planned = Counter()  # what this run already gave each team, rule after rule
        pool = [("team_id", "=", False), ("user_id", "=", False)]
        by_rule = self._leads_by_rule(rules, pool)
        if not any(leads for _rule, leads in by_rule):
            notes.append(self.env._(
                "No free lead for the teams: no lead without a team and without an agent matches a "
                "department rule (leads waiting in the pool are shared only by rules with Pool Leads "
                "Too; do-not-call leads never)."))
        for rule, leads in by_rule:
            targets = [Target(key=team.id, weight=float(team.telesales_weight or 1),
                              received_today=received.get(team.id, 0) + planned[team.id],
                              open_leads=open_leads.get(team, 0) + planned[team.id])
                       for team in teams]
            strategy = "weighted" if rule.strategy == "grade_match" else rule.strategy
            result = allocate([(lead, grade) for lead, grade, _team in leads], targets, strategy)
            for lead, team in result.items():
                plan[lead] = [team, False, rule.id, False]
            planned.update(result.values())
        return plan

    def _plan_teams(self, incoming=None, notes=None):
        """{lead: [team, agent, rule, team before]}: each team's leads without an agent,
        and those `incoming` from the department level of this run, shared among its
        agents. Why leads found nobody goes to `notes`."""
        incoming = incoming or {}
        notes = [] if notes is None else notes
        teams = self.team_id or self._teams()
        rules = self._rules("team")
        if not rules:
            notes.append(self.env._(
                "No team rule: the teams' leads are not shared among their agents. Add one in "
                "Telesales › Configuration › Allocation Rules (R-LEAD-2)."))
            return {}
        pool = Domain.OR([[("team_id", "in", teams.ids), ("user_id", "=", False)],
                          [("id", "in", list(incoming))]])
        by_rule = self._leads_by_rule(rules, pool, {lead: value[0] for lead, value in incoming.items()})
        if not any(leads for _rule, leads in by_rule):
            notes.append(self.env._(
                "No free lead for the agents: %(teams)s has no lead without an agent that a team rule "
                "matches (do-not-call leads are never shared).",
                teams=", ".join(teams.mapped("name")) if self.team_id else self.env._("no team")))
        agents = self._agents(teams)
        blocked = self._cooling_down([lead for _rule, leads in by_rule for lead, _g, _t in leads])
        plan = {}
        planned = Counter()  # what this run already gave each agent, rule after rule
        for rule, leads in by_rule:
            by_team = defaultdict(list)
            for lead, grade, team in leads:
                by_team[team].append((lead, grade))
            for team in teams:
                if not by_team[team.id]:
                    continue
                targets = self._agent_targets(agents[team.id], rule, planned)
                result = allocate(by_team[team.id], targets, rule.strategy, blocked)
                for lead, user in result.items():
                    plan[lead] = [team.id, user, rule.id, False if lead in incoming else team.id]
                planned.update(result.values())
                left = len(by_team[team.id]) - len(result)
                if left:
                    notes.append(self._why_no_agent(team, rule, left, agents[team.id], targets, result))
        return plan

    def _why_no_agent(self, team, rule, left, agents, targets, result):
        """Why `left` leads of `team` under `rule` found no agent: who could not receive
        them today, counted by reason (R-LEAD-2, R-TRN-2, R-ATT-1)."""
        members = self.env["hr.employee"].sudo().search([
            ("telesales_team_id", "=", team.id), ("telesales_role", "=", "agent"), ("user_id", "!=", False)])
        excluded = members.filtered("telesales_allocation_excluded")
        working = self.env["telesales.workday"]._working_employees(
            members - excluded, self.company_id._telesales_today())
        available = self.env["hr.employee"].browse([employee.id for employee, _stats in agents])
        reasons = []
        if not members:
            reasons.append(self.env._("the team has no agent with a user"))
        if excluded:
            reasons.append(self.env._("%(count)s excluded from allocation by hand", count=len(excluded)))
        if members - excluded - working:
            reasons.append(self.env._("%(count)s not working today (leave, holiday or rest day)",
                                      count=len(members - excluded - working)))
        if working - available:
            reasons.append(self.env._("%(count)s not checked in yet (Settings › Only Checked-in Agents)",
                                      count=len(working - available)))
        trainees = available.filtered(lambda e: e.telesales_status != "live")
        if trainees and not rule.include_trainees:
            reasons.append(self.env._("%(count)s trainees (the rule leaves trainees out, R-TRN-2)",
                                      count=len(trainees)))
        received = Counter(result.values())
        full = [target for target in targets if target.capacity is not None and received[target.key] >= target.capacity]
        if full:
            reasons.append(self.env._(
                "%(count)s at their cap (daily %(daily)s, open leads %(open)s; 0 = no cap)",
                count=len(full), daily=rule.daily_cap, open=rule.open_cap))
        if not reasons:
            reasons.append(self.env._(
                "the only agents left are those the leads were recycled from, in their cool-down (R-LEAD-6)"))
        return self.env._("%(team)s, rule %(rule)s: %(count)s leads found no agent: %(reasons)s.",
                          team=team.name, rule=rule.name, count=left, reasons="; ".join(reasons))

    def _agents(self, teams):
        """{team id: [(employee, stats)]}: the agents of `teams` who may receive leads
        today: with a user, not excluded by hand, working today (not on leave or a
        holiday, R-ATT-1), checked in if Settings ask. Trainees are filtered per rule."""
        employees = self.env["hr.employee"].sudo().search([
            ("telesales_team_id", "in", teams.ids), ("telesales_role", "=", "agent"),
            ("user_id", "!=", False), ("telesales_allocation_excluded", "=", False)])
        employees = self.env["telesales.workday"]._working_employees(
            employees, self.company_id._telesales_today())
        if self.company_id.telesales_allocation_checked_in:
            start, _stop = self.company_id._telesales_day_bounds()
            employees &= self.env["hr.attendance"].sudo().search(
                [("employee_id", "in", employees.ids), ("check_in", ">=", start)]).employee_id
        users = employees.user_id
        received = self._received_today("to_user_id", users.ids)
        open_leads = dict(self.env["crm.lead"].sudo()._read_group(
            [("user_id", "in", users.ids), ("active", "=", True), ("won_status", "=", "pending")],
            ["user_id"], ["__count"]))
        last = dict(self.env["telesales.allocation.log"].sudo()._read_group(
            [("to_user_id", "in", users.ids)], ["to_user_id"], ["date:max"]))
        agents = defaultdict(list)
        for employee in employees:
            user = employee.user_id
            agents[employee.telesales_team_id.id].append((employee, {
                "received": received.get(user.id, 0), "open": open_leads.get(user, 0),
                "last": last[user].timestamp() if last.get(user) else 0.0}))
        return agents

    def _agent_targets(self, agents, rule, planned):
        """Engine targets for `rule`: live agents (trainees if the rule allows, R-TRN-2),
        with what their caps still allow."""
        targets = []
        for employee, stats in agents:
            if employee.telesales_status != "live" and not rule.include_trainees:
                continue
            user = employee.user_id.id
            today = stats["received"] + planned[user]
            holding = stats["open"] + planned[user]
            capacity = None
            if rule.daily_cap:
                capacity = max(0, rule.daily_cap - today)
            if rule.open_cap:
                room = max(0, rule.open_cap - holding)
                capacity = room if capacity is None else min(capacity, room)
            targets.append(Target(
                key=user, weight=ABILITY_WEIGHTS.get(employee.telesales_ability, 2.0),
                ability=employee.telesales_ability or "b", received_today=today,
                open_leads=holding, capacity=capacity, last_assigned=stats["last"]))
        return targets

    def _cooling_down(self, lead_ids):
        """{lead: {agents}}: leads recycled from an agent within the rule's cool-down
        are not given back to them (R-LEAD-6)."""
        rows = self.env["telesales.allocation.log"].sudo().search_fetch(
            [("lead_id", "in", lead_ids), ("level", "=", "recycle"),
             ("cooldown_until", ">", fields.Datetime.now())], ["lead_id", "from_user_id"])
        blocked = defaultdict(set)
        for row in rows:
            blocked[row.lead_id.id].add(row.from_user_id.id)
        return blocked

    def _received_today(self, field, ids):
        """{id: leads received today by allocation}: the engine's memory for fairness over
        the day. A team counts what the department gave it; an agent what they got from
        either level (a run may give pool leads straight to agents)."""
        start, stop = self.company_id._telesales_day_bounds()
        domain = [(field, "in", ids), ("date", ">=", start), ("date", "<", stop)]
        if field == "to_team_id":
            domain.append(("level", "=", "department"))
        else:
            domain.append(("level", "in", ["department", "team"]))
        rows = self.env["telesales.allocation.log"].sudo()._read_group(domain, [field], ["__count"])
        return {record.id: count for record, count in rows}

    def _write_lines(self, plan, planned=None):
        """The preview's lines: per team and agent, how many of `plan`'s leads, of which
        grades; with `planned` (an applied run), also how many the preview planned."""
        self.line_ids.sudo().unlink()
        counts = defaultdict(Counter)
        planned_counts = Counter((team, user) for team, user, *_rest in (planned or plan).values())
        self.env.cr.execute(SQL("SELECT id, telesales_grade FROM crm_lead WHERE id = ANY(%s)",
                                [int(lead) for lead in plan]))
        grades = dict(self.env.cr.fetchall())
        for lead, (team, user, *_rest) in plan.items():
            counts[(team, user)][grades.get(int(lead)) or "none"] += 1
        self.env["telesales.allocation.run.line"].sudo().create([{
            "run_id": self.id, "team_id": team, "user_id": user,
            "lead_count": sum(counts[key].values()), "planned_count": planned_count,
            "count_a": counts[key]["a"], "count_b": counts[key]["b"], "count_c": counts[key]["c"],
        } for key, planned_count in planned_counts.items() for team, user in [key]])

    # ------------------------------------------------------------
    # The cron
    # ------------------------------------------------------------

    @api.model
    def _cron_allocate(self, batch_size=None, limit=None):
        """For every company that allocates by cron: pool leads to teams and on to agents,
        and the teams' leads without an agent to agents, in one run. An hour with nothing
        to share out leaves no run behind. In batches of companies (`telesales.cron`): a
        run is one fair share-out, planned and applied whole (its large batches are a few
        SQL statements). A run cut short starts again from the first company: one done
        already shares out only what came in since (usually nothing: no run left behind)."""
        companies = self.env["res.company"].search([("telesales_allocation_cron", "=", True)])
        for batch in self.env["telesales.cron"]._batches(companies, batch_size, limit):
            for company in batch:
                run = self.with_company(company).create(
                    {"company_id": company.id, "level": "department", "to_agents": True})
                if run.plan:
                    run._apply()
                else:
                    run.unlink()

