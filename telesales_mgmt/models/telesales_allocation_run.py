from collections import Counter, defaultdict
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

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
    plan = fields.Json(readonly=True, help="{lead id: [team id, user id, rule id]}")
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
    # Who may run what
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Checked before the insert, for a clear message rather than an access error.
        self._check_runner(vals_list)
        runs = super().create(vals_list)
        runs._compute_plan()
        return runs

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

    def _compute_plan(self):
        for run in self:
            plan = run._plan_department() if run.level == "department" else run._plan_teams()
            run.write({"plan": {str(lead): value for lead, value in plan.items()},
                       "lead_count": len(plan)})
            run._write_lines(plan)

    def _rules(self, level):
        return self.env["telesales.allocation.rule"].search(
            [("company_id", "=", self.company_id.id), ("level", "=", level)])

    def _leads_by_rule(self, rules, base_domain):
        """[(rule, [(lead id, grade)])] in serving order (grade, then oldest); a lead
        goes to the first rule that matches it. Do-not-call leads are never shared."""
        base = Domain.AND([base_domain, [("telesales_do_not_call", "=", False),
                                         ("company_id", "in", [False, self.company_id.id])]])
        taken, result = set(), []
        Lead = self.env["crm.lead"].sudo()
        for rule in rules:
            rows = Lead.search_fetch(Domain.AND([base, rule._lead_domain()]),
                                     ["telesales_grade"], order="create_date, id")
            leads = [(lead.id, lead.telesales_grade) for lead in rows if lead.id not in taken]
            leads.sort(key=lambda pair: GRADE_ORDER.get(pair[1], 3))  # stable: oldest first
            taken.update(lead for lead, _grade in leads)
            result.append((rule, leads))
        return result

    def _plan_department(self):
        teams = self.env["crm.team"].sudo().search(
            [("is_telesales", "=", True), ("company_id", "in", [False, self.company_id.id])])
        if not teams:
            return {}
        received = self._received_today("to_team_id", teams.ids, "department")
        open_leads = dict(self.env["crm.lead"].sudo()._read_group(
            [("team_id", "in", teams.ids), ("active", "=", True), ("won_status", "=", "pending")],
            ["team_id"], ["__count"]))
        plan = {}
        pool = [("team_id", "=", False), ("user_id", "=", False), ("type", "=", "lead")]
        for rule, leads in self._leads_by_rule(self._rules("department"), pool):
            targets = [Target(key=team.id, weight=float(team.telesales_weight or 1),
                              received_today=received.get(team.id, 0),
                              open_leads=open_leads.get(team, 0)) for team in teams]
            strategy = "weighted" if rule.strategy == "grade_match" else rule.strategy
            for lead, team in allocate(leads, targets, strategy).items():
                plan[lead] = [team, False, rule.id]
        return plan

    def _plan_teams(self):
        teams = self.team_id or self.env["crm.team"].sudo().search(
            [("is_telesales", "=", True), ("company_id", "in", [False, self.company_id.id])])
        rules = self._rules("team")
        plan = {}
        planned = Counter()  # what this run already gave each agent, rule after rule
        for team in teams:
            team_rules = rules.filtered(lambda r: not r.team_id or r.team_id == team)
            pool = [("team_id", "=", team.id), ("user_id", "=", False)]
            for rule, leads in self._leads_by_rule(team_rules, pool):
                result = allocate(leads, self._agent_targets(team, rule, planned), rule.strategy)
                for lead, user in result.items():
                    plan[lead] = [team.id, user, rule.id]
                planned.update(result.values())
        return plan

    def _eligible_agents(self, team, rule):
        """Live agents of `team` (trainees if the rule allows, R-TRN-2) who work today
        (not on leave or holiday, R-ATT-1), checked in if Settings ask, not excluded."""
        employees = self.env["hr.employee"].sudo().search([
            ("telesales_team_id", "=", team.id), ("telesales_role", "=", "agent"),
            ("user_id", "!=", False), ("telesales_allocation_excluded", "=", False)])
        if not rule.include_trainees:
            employees = employees.filtered(lambda e: e.telesales_status == "live")
        today = self.company_id._telesales_today()
        Workday = self.env["telesales.workday"]
        employees = employees.filtered(lambda e: Workday._is_working_day(e, today))
        if self.company_id.telesales_allocation_checked_in:
            start, _stop = self.company_id._telesales_day_bounds()
            present = self.env["hr.attendance"].sudo().search(
                [("employee_id", "in", employees.ids), ("check_in", ">=", start)]).employee_id
            employees &= present
        return employees

    def _agent_targets(self, team, rule, planned):
        employees = self._eligible_agents(team, rule)
        users = employees.user_id
        received = self._received_today("to_user_id", users.ids, "team")
        open_leads = dict(self.env["crm.lead"].sudo()._read_group(
            [("user_id", "in", users.ids), ("active", "=", True), ("won_status", "=", "pending")],
            ["user_id"], ["__count"]))
        last = dict(self.env["telesales.allocation.log"].sudo()._read_group(
            [("to_user_id", "in", users.ids)], ["to_user_id"], ["date:max"]))
        targets = []
        for employee in employees:
            user = employee.user_id
            today = received.get(user.id, 0) + planned[user.id]
            holding = open_leads.get(user, 0) + planned[user.id]
            capacity = None
            if rule.daily_cap:
                capacity = max(0, rule.daily_cap - today)
            if rule.open_cap:
                room = max(0, rule.open_cap - holding)
                capacity = room if capacity is None else min(capacity, room)
            targets.append(Target(
                key=user.id, weight=ABILITY_WEIGHTS.get(employee.telesales_ability, 2.0),
                ability=employee.telesales_ability or "b", received_today=today,
                open_leads=holding, capacity=capacity,
                last_assigned=last[user].timestamp() if last.get(user) else 0.0))
        return targets

    def _received_today(self, field, ids, level):
        """{id: leads received today}: the engine's memory for fairness over the day."""
        start, stop = self.company_id._telesales_day_bounds()
        rows = self.env["telesales.allocation.log"].sudo()._read_group(
            [(field, "in", ids), ("date", ">=", start), ("date", "<", stop), ("level", "=", level)],
            [field], ["__count"])
        return {record.id: count for record, count in rows}

    def _write_lines(self, plan):
        self.line_ids.unlink()
        counts = defaultdict(Counter)
        grades = dict((lead.id, lead.telesales_grade) for lead in
                      self.env["crm.lead"].sudo().browse([int(k) for k in plan]))
        for lead, (team, user, _rule) in plan.items():
            counts[(team, user)][grades.get(int(lead)) or "none"] += 1
        self.env["telesales.allocation.run.line"].create([{
            "run_id": self.id, "team_id": team, "user_id": user,
            "lead_count": sum(grade_counts.values()), "count_a": grade_counts["a"],
            "count_b": grade_counts["b"], "count_c": grade_counts["c"],
        } for (team, user), grade_counts in counts.items()])

    # ------------------------------------------------------------
    # Applying
    # ------------------------------------------------------------

    def action_apply(self):
        for run in self:
            if run.state != "preview":
                raise UserError(self.env._("Run %(run)s was already applied or cancelled.", run=run.name))
            plan = {int(lead): value for lead, value in (run.plan or {}).items()}
            Lead = self.env["crm.lead"].sudo()
            # Still where the preview found them? Leads claimed or moved since are skipped.
            expected_team = (lambda v: False) if run.level == "department" else (lambda v: v[0])
            leads = Lead.browse(list(plan)).exists()
            still = leads.filtered(lambda l: not l.user_id and l.team_id.id == expected_team(plan[l.id]))
            groups = defaultdict(list)
            for lead in still:
                team, user, rule = plan[lead.id]
                groups[(team, user, rule)].append(lead.id)
            for (team, user, rule), ids in groups.items():
                Lead.browse(ids)._telesales_assign(
                    team_id=team, user_id=user, level=run.level, run=run,
                    rule=self.env["telesales.allocation.rule"].browse(rule),
                    reason=self.env._("Allocation run %(run)s", run=run.name))
            run.write({"state": "done", "skipped_count": len(plan) - len(still)})
        return True

    def action_cancel(self):
        self.filtered(lambda r: r.state == "preview").write({"state": "cancel"})

    @api.model
    def _cron_allocate(self):
        """Department level, then team level, for every company that allocates by cron."""
        for company in self.env["res.company"].search([("telesales_allocation_cron", "=", True)]):
            for level in ("department", "team"):
                self.with_company(company).create({"company_id": company.id, "level": level}).action_apply()

