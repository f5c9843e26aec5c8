from collections import defaultdict
from datetime import date
from fractions import Fraction

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

# Fields of a plan that a confirmed plan keeps: reset it to draft to change them.
PLAN_FIELDS = {"name", "company_id", "year", "basis", "amount", "team_ids", "month_split", "agent_split", "line_ids",
               "quarter_line_ids", "month_line_ids", "team_line_ids"}


def split_amount(total, weights, digits):
    """`total` shared in proportion to `weights` (no positive weight: evenly), each share
    floored to `digits` decimals and the remainder on the last part with a positive
    weight, so that the shares add up to `total` exactly (R-KPI-1)."""
    if not weights:
        return []
    weights = [Fraction(max(weight, 0)) for weight in weights]
    if not sum(weights):
        weights = [Fraction(1)] * len(weights)
    unit = 10 ** digits
    cents = round(Fraction(total) * unit)
    parts = [cents * weight // sum(weights) for weight in weights]
    last = max(index for index, weight in enumerate(weights) if weight)
    parts[last] += cents - sum(parts)
    return [part / unit for part in parts]


class TelesalesTargetPlan(models.Model):
    """A department's sales target for a year (R-KPI-1), broken down to quarters,
    months, teams' months (lines) and agents' months (`telesales.sales.target`). The
    manager breaks it down evenly, by last year's months or by the agents' rank weights,
    or copies last year's; leaders split their team's month among its agents. A year is
    confirmed only when every level adds up."""

    _name = "telesales.target.plan"
    _description = "Annual Sales Target Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "year desc, id desc"

    name = fields.Char(compute="_compute_name", store=True, readonly=False)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company,
                                 tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    year = fields.Integer(required=True, tracking=True, default=lambda self: fields.Date.context_today(self).year)
    basis = fields.Selection(
        "_selection_basis", "Sales Counted", required=True, tracking=True,
        default=lambda self: self.env["telesales.sales.target"]._telesales_default_basis(self.env.company),
        help="What achievement counts, as commission does (R-INC-1): won opportunities' expected revenue "
        "or confirmed sale orders' amount, in company currency. Also the basis of last year's months "
        "when breaking down by seasonality.")
    team_ids = fields.Many2many(
        "crm.team", string="Teams", domain="[('is_telesales', '=', True), ('company_id', 'in', [company_id, False])]",
        default=lambda self: self._default_team_ids(), tracking=True,
        help="The department's telesales teams the year is shared among.")
    state = fields.Selection([("draft", "Draft"), ("confirmed", "Confirmed")], default="draft", required=True,
                             readonly=True, tracking=True, copy=False)
    amount = fields.Monetary("Annual Target", tracking=True)
    month_split = fields.Selection(
        [("even", "Evenly"), ("seasonal", "By Last Year's Months")], "Month Split", default="even",
        required=True, tracking=True, help="How the year was shared among its months.")
    agent_split = fields.Selection(
        [("even", "Evenly"), ("rank", "By Rank Weight")], "Agent Split", default="even", required=True,
        tracking=True, help="How each month was shared among teams and agents: evenly per agent, or in "
        "proportion to the target weight of each agent's rank (a team gets what its agents get).")
    line_ids = fields.One2many("telesales.target.plan.line", "plan_id", "Levels")
    quarter_line_ids = fields.One2many("telesales.target.plan.line", "plan_id", "Quarters",
                                       domain=[("level", "=", "quarter")])
    month_line_ids = fields.One2many("telesales.target.plan.line", "plan_id", "Months",
                                     domain=[("level", "=", "month")])
    team_line_ids = fields.One2many("telesales.target.plan.line", "plan_id", "Team Months",
                                    domain=[("level", "=", "team")])
    target_ids = fields.One2many("telesales.sales.target", "plan_id", "Agents' Targets")
    target_count = fields.Integer(compute="_compute_target_count")
    # Live checks and achievement: never stored.
    mismatch_note = fields.Text("Levels Not Adding Up", compute="_compute_mismatch")
    has_mismatch = fields.Boolean(compute="_compute_mismatch")
    achieved_amount = fields.Monetary("Achieved", compute="_compute_achievement")
    achievement = fields.Float("Achievement (%)", compute="_compute_achievement", digits=(16, 1))

    _company_year_uniq = models.Constraint("UNIQUE(company_id, year)", "A company has one target plan a year.")
    _amount_positive = models.Constraint("CHECK(amount >= 0)", "A target cannot be negative.")
    _year_range = models.Constraint("CHECK(year BETWEEN 2000 AND 2999)", "The plan's year is not valid.")

    def _default_team_ids(self):
        return self.env["crm.team"].search(
            [("is_telesales", "=", True), ("company_id", "in", [self.env.company.id, False])])

    def _selection_basis(self):
        return self.env["telesales.commission.plan"]._fields["basis"]._description_selection(self.env)

    @api.depends("year")
    def _compute_name(self):
        for plan in self:
            plan.name = self.env._("Sales Targets %(year)s", year=plan.year)

    @api.depends("target_ids")
    def _compute_target_count(self):
        counts = dict(self.env["telesales.sales.target"]._read_group(
            [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]))
        for plan in self:
            plan.target_count = counts.get(plan, 0)

    @api.depends("amount", "line_ids.amount", "target_ids.amount")
    def _compute_mismatch(self):
        for plan in self:
            problems = plan._telesales_mismatches()
            plan.has_mismatch = bool(problems)
            plan.mismatch_note = "\n".join(problems)

    @api.depends("basis", "year")
    def _compute_achievement(self):
        for plan in self:
            achieved = plan._telesales_achieved_by_key() if plan.id else {}
            plan.achieved_amount = achieved.get(("year",), 0.0)
            plan.achievement = 100.0 * plan.achieved_amount / plan.amount if plan.amount else 0.0

    # ------------------------------------------------------------------ levels
    def _telesales_months(self):
        self.ensure_one()
        return [date(self.year, month, 1) for month in range(1, 13)]

    def _telesales_level_sums(self):
        """{level key: what the level below adds up to} (keys as the lines'
        `_telesales_key`, and ("year",) for the quarters). Read as superuser: a leader
        reads their team's line, and its total counts every agent of it."""
        self.ensure_one()
        plan = self.sudo()
        sums = defaultdict(float)
        for line in plan.line_ids:
            if line.level == "quarter":
                sums["year",] += line.amount
            elif line.level == "month":
                sums["quarter", (line.month.month - 1) // 3 + 1] += line.amount
            else:
                sums["month", line.month] += line.amount
        for team, month, amount in self.env["telesales.sales.target"].sudo()._read_group(
                [("plan_id", "=", plan.id)], ["team_id", "month:day"], ["amount:sum"]):
            sums["team", team.id, month] += amount
        return sums

    def _telesales_mismatches(self):
        """Each level that does not add up (R-KPI-1), as a sentence naming the level, its
        sum and the amount expected: the quarters against the year, the months against
        their quarter, the teams against their month, the agents against their team's month."""
        self.ensure_one()
        plan = self.sudo()
        currency = plan.currency_id
        sums = plan._telesales_level_sums()
        expected = [(("year",), plan.amount, self.env._("The quarters of %(year)s", year=plan.year))]
        for line in plan.line_ids.sorted(lambda line: (line.level != "quarter", line.level != "month",
                                                       line.month or date.min, line.quarter, line.team_id.id)):
            key = line._telesales_key()
            if line.level == "quarter":
                label = self.env._("The months of Q%(quarter)s", quarter=line.quarter)
            elif line.level == "month":
                label = self.env._("The teams of %(month)s", month=line.month.strftime("%Y-%m"))
            else:
                label = self.env._("The agents of team %(team)s in %(month)s",
                                   team=line.team_id.name, month=line.month.strftime("%Y-%m"))
            expected.append((key, line.amount, label))
        known = {key for key, _amount, _label in expected}
        for key in sorted((key for key in sums if key[0] == "team" and key not in known), key=str):
            team = self.env["crm.team"].sudo().browse(key[1])
            expected.append((key, 0.0, self.env._("The agents of team %(team)s in %(month)s",
                                                  team=team.name or "-", month=key[2].strftime("%Y-%m"))))
        return [self.env._("%(level)s add up to %(sum)s, expected %(expected)s.", level=label,
                           sum=currency.format(sums.get(key, 0.0)), expected=currency.format(amount))
                for key, amount, label in expected
                if currency.compare_amounts(sums.get(key, 0.0), amount)]

    def _telesales_achieved_by_key(self):
        """{level key: achieved} of the plan's year on its basis, from one aggregate query:
        each agent's month, their team's month (by the agent's team, as their target), each
        month, quarter, and ("year",)."""
        self.ensure_one()
        Target = self.env["telesales.sales.target"]
        achieved = Target._telesales_achieved(self.company_id, self.basis, date(self.year, 1, 1),
                                              date(self.year + 1, 1, 1))
        teams = {user.id: team.id for user, team in self.env["hr.employee"].sudo()._read_group(
            [("user_id", "in", list({user for user, _month in achieved})), ("telesales_team_id", "!=", False)],
            ["user_id", "telesales_team_id"])}
        result = defaultdict(float)
        for (user, month), amount in achieved.items():
            result["agent", user, month] += amount
            if user in teams:
                result["team", teams[user], month] += amount
            result["month", month] += amount
            result["quarter", (month.month - 1) // 3 + 1] += amount
            result["year",] += amount
        return result

    # ------------------------------------------------------------------ state
    def _telesales_check_draft(self):
        confirmed = self.filtered(lambda plan: plan.state == "confirmed")
        if confirmed:
            raise UserError(self.env._(
                "The target plan %(plan)s is confirmed: reset it to draft to change it (R-KPI-1).",
                plan=confirmed[:1].name))

    def write(self, vals):
        if PLAN_FIELDS & set(vals):
            self.check_access("write")
            self._telesales_check_draft()
        return super().write(vals)

    def unlink(self):
        self.check_access("unlink")
        self._telesales_check_draft()
        return super().unlink()

    def _telesales_check_planner(self):
        """Only the department manager (or the telesales administrator) plans targets."""
        self.check_access("write")
        if not self.env.user.has_group("telesales_mgmt.group_telesales_manager"):
            raise UserError(self.env._("Only the department manager plans and confirms targets (R-KPI-1)."))

    def action_confirm(self):
        self._telesales_check_planner()
        self._telesales_check_draft()
        for plan in self:
            problems = plan._telesales_mismatches()
            if problems:
                raise UserError(self.env._(
                    "%(plan)s cannot be confirmed: every level must add up (R-KPI-1).\n%(problems)s",
                    plan=plan.name, problems="\n".join(problems)))
        self.write({"state": "confirmed"})

    def action_draft(self):
        self._telesales_check_planner()
        self.write({"state": "draft"})

    def action_view_targets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("telesales_mgmt.telesales_sales_target_action")
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"search_default_group_team": 1}
        return action

    # ------------------------------------------------------------------ break-downs
    def action_split_even(self):
        self._telesales_break_down(month_split="even", agent_split="even")

    def action_split_seasonal(self):
        self._telesales_break_down(month_split="seasonal")

    def action_split_rank(self):
        self._telesales_break_down(agent_split="rank")

    def _telesales_break_down(self, **splits):
        self._telesales_check_planner()
        self._telesales_check_draft()
        self.write(splits)
        for plan in self:
            months = plan._telesales_month_amounts()
            plan._telesales_write_levels(months, plan._telesales_people_weights())

    def _telesales_month_amounts(self):
        """The year's amount over its twelve months: evenly, or like last year's sales on
        the plan's basis (evenly when last year sold nothing)."""
        self.ensure_one()
        weights = [1] * 12
        if self.month_split == "seasonal":
            last = self.env["telesales.sales.target"]._telesales_achieved(
                self.company_id, self.basis, date(self.year - 1, 1, 1), date(self.year, 1, 1))
            weights = [0.0] * 12
            for (_user, month), amount in last.items():
                weights[month.month - 1] += amount
        return dict(zip(self._telesales_months(), split_amount(self.amount, weights, self.currency_id.decimal_places)))

    def _telesales_people_weights(self):
        """{team: [(agent user, weight)]} of the company's telesales teams: each live or
        trainee agent with a user, weighing 1 or their rank's target weight."""
        self.ensure_one()
        teams = self.sudo().team_ids.sorted(lambda team: (team.sequence, team.id))
        employees = self.env["hr.employee"].sudo().search(
            [("telesales_team_id", "in", teams.ids), ("telesales_role", "=", "agent"), ("user_id", "!=", False),
             ("company_id", "=", self.company_id.id)], order="id")
        people = {team: [] for team in teams}
        for employee in employees:
            rank = employee.telesales_rank_id
            weight = rank.target_weight if self.agent_split == "rank" and rank else 1.0
            people[employee.telesales_team_id].append((employee.user_id, weight))
        return people

    def _telesales_write_levels(self, month_amounts, people):
        """Replace the plan's lines and agents' targets by the break-down of
        `month_amounts` ({month: amount}) over `people` ({team: [(user, weight)]})."""
        self.ensure_one()
        digits = self.currency_id.decimal_places
        Line = self.env["telesales.target.plan.line"]
        self.line_ids.unlink()
        lines, targets = [], {}
        for quarter in range(1, 5):
            lines.append({"plan_id": self.id, "level": "quarter", "quarter": quarter, "amount": sum(
                amount for month, amount in month_amounts.items() if (month.month - 1) // 3 + 1 == quarter)})
        teams = list(people)
        team_weights = [sum(weight for _user, weight in people[team]) for team in teams]
        for month, amount in month_amounts.items():
            quarter = (month.month - 1) // 3 + 1
            lines.append({"plan_id": self.id, "level": "month", "quarter": quarter, "month": month,
                          "amount": amount})
            for team, team_amount in zip(teams, split_amount(amount, team_weights, digits)):
                lines.append({"plan_id": self.id, "level": "team", "quarter": quarter, "month": month,
                              "team_id": team.id, "amount": team_amount})
                users = people[team]
                for (user, _weight), user_amount in zip(users, split_amount(
                        team_amount, [weight for _user, weight in users], digits)):
                    targets[user.id, month] = user_amount
        Line.create(lines)
        self._telesales_write_targets(targets)

    def _telesales_write_targets(self, amounts):
        """The plan's agents' targets become `amounts` ({(user id, month): amount}): an
        agent's month already set (by hand, or last month's copy) is taken into the plan,
        and the plan's targets of agents no longer planned are removed."""
        self.ensure_one()
        Target = self.env["telesales.sales.target"]
        months = self._telesales_months()
        existing = Target.search([("month", "in", months), "|", ("plan_id", "=", self.id),
                                  ("user_id", "in", list({user for user, _month in amounts}))])
        by_key = {(target.user_id.id, target.month): target for target in existing}
        (existing.filtered(lambda t: (t.user_id.id, t.month) not in amounts)).unlink()
        updates = defaultdict(lambda: Target)
        for key, amount in amounts.items():
            if key in by_key:
                updates[amount] |= by_key[key]
        for amount, targets in updates.items():
            targets.write({"amount": amount, "plan_id": self.id})
        Target.create([{"user_id": user, "month": month, "amount": amount, "plan_id": self.id,
                        "company_id": self.company_id.id}
                       for (user, month), amount in amounts.items() if (user, month) not in by_key])

    def action_copy_last_year(self):
        """Last year's plan, a year on: its amount, basis and every level; the targets of
        agents who are still agents of a telesales team (the others' share shows as a
        difference on their team's months, to be split again)."""
        self._telesales_check_planner()
        self._telesales_check_draft()
        for plan in self:
            last = self.search([("company_id", "=", plan.company_id.id), ("year", "=", plan.year - 1)], limit=1)
            if not last:
                raise UserError(self.env._("There is no target plan for %(year)s to copy (R-KPI-1).",
                                           year=plan.year - 1))
            plan.write({"amount": last.amount, "basis": last.basis, "month_split": last.month_split,
                        "agent_split": last.agent_split, "team_ids": [Command.set(last.team_ids.ids)]})
            plan.line_ids.unlink()
            self.env["telesales.target.plan.line"].create([{
                "plan_id": plan.id, "level": line.level, "quarter": line.quarter, "team_id": line.team_id.id,
                "month": line.month and line.month.replace(year=plan.year), "amount": line.amount,
            } for line in last.line_ids])
            people = plan._telesales_people_weights()
            agents = {user.id for users in people.values() for user, _weight in users}
            plan._telesales_write_targets({
                (target.user_id.id, target.month.replace(year=plan.year)): target.amount
                for target in last.target_ids if target.user_id.id in agents})
