from collections import Counter, defaultdict

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
    the cron applies at once. The plan applied is exactly the plan previewed."""

    _name = "telesales.allocation.run"
    _description = "Lead Allocation Run"
    _order = "id desc"

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one("res.company", required=True, index=True,
                                 default=lambda self: self.env.company)
    level = fields.Selection([lvl for lvl in ALLOCATION_LEVELS if lvl[0] in ("department", "team")],
                             required=True, default="team")
    team_id = fields.Many2one("crm.team", "Team", domain=[("is_telesales", "=", True)],
                              help="Team level: the team whose leads are shared out.")
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
        "Skipped", readonly=True, help="Leads taken by someone else between preview and apply.")

    @api.depends("level", "team_id", "date")
    def _compute_name(self):
        for run in self:
            where = run.team_id.name if run.level == "team" and run.team_id else self.env._("Department")
            run.name = f"{where} · {fields.Datetime.to_string(run.date) or ''}"

    # ------------------------------------------------------------
    # CRUD: a run is planned when it is made
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Checked before the insert, for a clear message rather than an access error.
        self._check_runner(vals_list)
        runs = super().create(vals_list)
        runs._make_plan()
        return runs

    # ------------------------------------------------------------
    # Actions: applying the plan
    # ------------------------------------------------------------

    def action_apply(self):
        """Apply the previewed plan. Leads claimed or moved since the preview, archived,
        or being claimed right now are skipped (and counted), not waited for."""
        for run in self:
            if run.state != "preview":
                raise UserError(self.env._("Run %(run)s was already applied or cancelled.", run=run.name))
            plan = {int(lead): value for lead, value in (run.plan or {}).items()}
            reason = self.env._("Allocation run %(run)s", run=run.name)
            Lead = self.env["crm.lead"]
            done = 0
            # Leads from the pool were shared by the department, the others within a team.
            for level, came_from_pool in (("department", True), ("team", False)):
                part = {lead: value for lead, value in plan.items() if (not value[3]) == came_from_pool}
                done += len(Lead._telesales_set_owners(
                    {lead: tuple(value[:3]) for lead, value in part.items()}, level, reason, run=run,
                    expected={lead: (value[3], False) for lead, value in part.items()}))
            run.write({"state": "done", "skipped_count": len(plan) - done})
        return True

    def action_cancel(self):
        self.filtered(lambda r: r.state == "preview").write({"state": "cancel"})

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
            if run.level == "department":
                plan = run._plan_department()
                if run.to_agents:
                    plan.update(run._plan_teams(incoming=plan))
            else:
                plan = run._plan_teams()
            run.write({"plan": {str(lead): value for lead, value in plan.items()},
                       "lead_count": len(plan)})
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
            self.env.cr.execute(query.select(*(SQL.identifier(query.table, name)
                                               for name in ("id", "telesales_grade", "team_id"))))
            leads = []
            for lead, grade, current_team in self.env.cr.fetchall():
                team = team_of.get(lead) or current_team or False
                if lead not in taken and (not rule.team_id or rule.team_id.id == team):
                    leads.append((lead, grade, team))
            leads.sort(key=lambda row: GRADE_ORDER.get(row[1], 3))  # stable: oldest first
            taken.update(lead for lead, _grade, _team in leads)
            result.append((rule, leads))
        return result

    def _plan_department(self):
        """{lead: [team, False, rule, False]}: pool leads shared among the teams."""
        teams = self._teams()
        if not teams:
            return {}
        received = self._received_today("to_team_id", teams.ids)
        open_leads = dict(self.env["crm.lead"].sudo()._read_group(
            [("team_id", "in", teams.ids), ("active", "=", True), ("won_status", "=", "pending")],
            ["team_id"], ["__count"]))
        plan = {}
        planned = Counter()  # what this run already gave each team, rule after rule
        pool = [("team_id", "=", False), ("user_id", "=", False)]
        for rule, leads in self._leads_by_rule(self._rules("department"), pool):
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

    def _plan_teams(self, incoming=None):
        """{lead: [team, agent, rule, team before]}: each team's leads without an agent,
        and those `incoming` from the department level of this run, shared among its
        agents."""
        incoming = incoming or {}
        teams = self.team_id or self._teams()
        pool = Domain.OR([[("team_id", "in", teams.ids), ("user_id", "=", False)],
                          [("id", "in", list(incoming))]])
        by_rule = self._leads_by_rule(
            self._rules("team"), pool, {lead: value[0] for lead, value in incoming.items()})
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
        return plan

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

    def _write_lines(self, plan):
        self.line_ids.unlink()
        counts = defaultdict(Counter)
        self.env.cr.execute(SQL("SELECT id, telesales_grade FROM crm_lead WHERE id = ANY(%s)",
                                [int(lead) for lead in plan]))
        grades = dict(self.env.cr.fetchall())
        for lead, (team, user, *_rest) in plan.items():
            counts[(team, user)][grades.get(int(lead)) or "none"] += 1
        self.env["telesales.allocation.run.line"].create([{
            "run_id": self.id, "team_id": team, "user_id": user,
            "lead_count": sum(grade_counts.values()), "count_a": grade_counts["a"],
            "count_b": grade_counts["b"], "count_c": grade_counts["c"],
        } for (team, user), grade_counts in counts.items()])

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
                    run.action_apply()
                else:
                    run.unlink()

