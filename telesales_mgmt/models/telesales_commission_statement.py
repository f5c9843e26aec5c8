from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, groupby

from ..engines import bonus as bonus_engine
from ..engines.commission import band_reached, below_gate, commission
from .telesales_commission_plan import DEAL_SOURCES


class TelesalesCommissionStatement(models.Model):
    """An agent's commission for a month (R-INC-1): the deals counted, each as a line
    linked to its opportunity, the achievement, the tier reached and the commission.
    Draft statements are computed again at will; a confirmed one never changes: a deal
    lost after it was confirmed comes back as a negative line on the next statement."""

    _name = "telesales.commission.statement"
    _description = "Commission Statement"
    _inherit = ["mail.thread", "telesales.computed.record"]
    _order = "month desc, user_id"
    _telesales_system_fields = (
        "user_id", "team_id", "month", "plan_id", "company_id", "currency_id", "state", "line_ids",
        "sales_total", "target", "achievement", "tier", "commission", "allowance", "allowance_note",
        "referral_bonus", "performance_bonus", "attendance_deduction", "bonus_paid", "deduction_carried",
        "bonus_note", "total_pay", "deal_ids", "order_ids")

    user_id = fields.Many2one("res.users", "Agent", required=True, index=True)
    team_id = fields.Many2one("crm.team", "Team")
    month = fields.Date(required=True, index=True)
    plan_id = fields.Many2one("telesales.commission.plan", "Plan", required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    # Stored, not related: the month's statements are written in one INSERT.
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id", store=True, precompute=True)
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed"), ("paid", "Paid")],
        default="draft", required=True, tracking=True, index=True)
    line_ids = fields.One2many("telesales.commission.line", "statement_id", "Deals")
    sales_total = fields.Monetary("Sales", help="Deals won this month, less clawbacks.")
    target = fields.Monetary()
    achievement = fields.Float("Achievement (%)", digits=(16, 1))
    tier = fields.Char("Tier Reached")
    tier_label = fields.Char(
        "Tier", compute="_compute_tier_label",
        help="The tier the month's sales reached, or why no commission is due: below the plan's "
        "gate (a share of the month's target; without a target, any gate is out of reach) no tier "
        "pays anything (R-INC-1).")
    is_below_gate = fields.Boolean("Below the Gate", compute="_compute_tier_label")
    commission = fields.Monetary(tracking=True)
    allowance = fields.Monetary(
        "New-hire Allowance", help="R-ORG-4: trainees, when the month's appraisal shows the target achieved.")
    allowance_note = fields.Char("Allowance", help="Why the allowance was paid or withheld.")
    referral_bonus = fields.Monetary(help="R-ORG-5: hires referred by this agent who completed a "
                                          "month or were confirmed (转正) this month.")
    performance_bonus = fields.Monetary(
        help="R-INC-1: the rank's bonus base times the coefficient of the month's done appraisal grade.")
    attendance_deduction = fields.Monetary(
        help="R-ATT-2/4: the month's attendance incidents' bonus deductions (waived ones count nothing).")
    bonus_paid = fields.Monetary("Bonus Paid", help="The performance bonus less the deductions it covers.")
    deduction_carried = fields.Monetary(
        "Deduction Carried to Wage",
        help="Deductions beyond the bonus, taken from the wage when the attendance policy says so.")
    bonus_note = fields.Text("Bonus", help="How the bonus was made and what each deduction took from it.")
    total_pay = fields.Monetary(
        "Total", help="Commission, allowance, referral bonus and the performance bonus paid; deductions "
        "carried to the wage come off the base pay (payroll export).")

    deal_ids = fields.Many2many(
        "crm.lead", string="Deals Won", compute="_compute_deals",
        help="The month's won deals this statement counts (written as lines when confirmed).")
    order_ids = fields.Many2many(
        "sale.order", string="Orders Confirmed", compute="_compute_deals",
        help="The month's confirmed orders this statement counts (written as lines when confirmed).")

    _user_month_uniq = models.Constraint("UNIQUE(user_id, month)", "An agent has one statement a month.")

    @api.depends("user_id.name", "month")
    def _compute_display_name(self):
        """"张敏 · 2026-11": whose statement, of which month."""
        for statement in self:
            month = statement.month.strftime("%Y-%m") if statement.month else ""
            statement.display_name = " · ".join(filter(None, [statement.user_id.name, month]))

    @api.depends("tier", "commission", "sales_total", "target", "plan_id.gate")
    def _compute_tier_label(self):
        """The tier, unless the month stayed below the gate (no commission at all): then
        say so, rather than show a tier next to a commission of 0 (R-INC-1)."""
        for statement in self:
            gate = statement.plan_id.gate
            below = (not statement.commission and bool(statement.plan_id)
                     and below_gate(statement.sales_total, statement.target, gate))
            statement.is_below_gate = below
            if not below:
                statement.tier_label = statement.tier
            elif not statement.target:
                statement.tier_label = self.env._("No target: no commission")
            else:
                statement.tier_label = self.env._("Below the gate: no commission")

    @api.depends("company_id")
    def _compute_currency_id(self):
        for statement in self:
            statement.currency_id = statement.company_id.currency_id

    @api.depends("user_id", "month", "state", "plan_id.basis")
    def _compute_deals(self):
        """A draft's deals: exactly those its total sums (same SQL)."""
        for model in ("crm.lead", "sale.order", "account.move", "telesales.commission.line", self._name):
            self.env[model].flush_model()
        for statement in self:
            statement.deal_ids = statement.order_ids = False
            if statement.state == "draft" and statement.id and statement.plan_id:
                source = statement.plan_id._deal_source()
                self.env.cr.execute(SQL("SELECT d.id %s", self._counted_deals(source, SQL(
                    "(SELECT %s AS user_id, %s AS plan_id) v", statement.user_id.id, statement.plan_id.id),
                    statement.month)))
                deals = self.env[source.model].browse([row[0] for row in self.env.cr.fetchall()])
                statement["deal_ids" if source.model == "crm.lead" else "order_ids"] = deals

    def action_confirm(self):
        """Freeze the statement: its figures are computed once more and its deals
        written as lines; it never changes again."""
        if not (self.env.su or self.env.user.has_group("telesales_mgmt.group_telesales_manager")):
            raise UserError(self.env._("Only the department manager confirms commission statements."))
        drafts = self.filtered(lambda s: s.state == "draft").sudo()
        for month, batch in drafts.grouped("month").items():
            self._make_month_statements(month, batch.user_id)
        self.env.flush_all()
        for (month, plan), batch in drafts.grouped(lambda s: (s.month, s.plan_id)).items():
            source = plan._deal_source()
            self.env.cr.execute(SQL("""
                INSERT INTO telesales_commission_line (statement_id, plan_id, %(line_field)s, date, amount)
                SELECT v.id, v.plan_id, d.id, d.telesales_won_date, %(amount)s
                %(deals)s
            """, line_field=SQL.identifier(source.line_field), amount=SQL(source.amount),
                deals=self._counted_deals(source, SQL(
                    "(SELECT id, user_id, plan_id FROM telesales_commission_statement WHERE id = ANY(%s)) v",
                    batch.ids), month)))
        drafts.invalidate_recordset(["line_ids"])
        drafts.write({"state": "confirmed"})

    def action_paid(self):
        self.action_confirm()  # checks the caller is the manager
        self.sudo().write({"state": "paid"})

    def action_compute_months(self):
        """What the nightly run does, now: last month's and this month's drafts (a list
        button: called with the selection, which does not matter)."""
        self._cron_compute()
        return {"type": "ir.actions.client", "tag": "reload"}

    def action_recompute(self):
        for month in set(self.mapped("month")):
            self._make_month_statements(month, self.filtered(lambda s: s.month == month).user_id)

    @api.model
    def _counted_deals(self, source, agents, month):
        """FROM and WHERE of the month's deals of `agents` (a relation v(user_id,
        plan_id, ...)) not yet counted on a plan's statement: each deal counts once per plan."""
        return SQL("""
              FROM %(agents)s
              JOIN %(table)s d ON d.telesales_won_user_id = v.user_id
             WHERE %(counted)s AND d.telesales_won_date >= %(start)s AND d.telesales_won_date < %(end)s
               AND NOT EXISTS (SELECT 1 FROM telesales_commission_line c
                                WHERE c.%(line_field)s = d.id AND c.plan_id = v.plan_id AND c.amount > 0)
        """, agents=agents, table=SQL.identifier(source.table), counted=SQL(source.counted),
                   line_field=SQL.identifier(source.line_field), start=month, end=month + relativedelta(months=1))

    @api.model
    def _cron_compute(self, batch_size=None, limit=None):
        """Last month's and this month's statements, drafts only, in batches of agents
        (`telesales.cron`)."""
        today = fields.Date.context_today(self).replace(day=1)
        todo = [(month, user) for month in (today - relativedelta(months=1), today)
                for user in self._users_to_compute(month)]
        for batch in self.env["telesales.cron"]._batches(todo, batch_size, limit):
            for month, items in groupby(batch, key=lambda item: item[0]):
                self._make_month_statements(month, self.env["res.users"].browse([user for _month, user in items]))

    @api.model
    def _plan_of(self):
        """{user id: plan} of every agent with a commission plan."""
        plans = self.env["telesales.commission.plan"].sudo().search([])
        return {user.id: plan for plan in plans for user in plan._agents()}

    @api.model
    def _users_to_compute(self, month):
        """The agents with a plan whose statement of `month` is still a draft, or missing.
        Run by the cron, a draft the cron computed today counts as done: a run cut short
        resumes with the others, and what it did is not done again."""
        users = set(self._plan_of())
        statements = self.sudo().search([("month", "=", month), ("user_id", "in", list(users))])
        done = set(statements.filtered(lambda s: s.state != "draft").user_id.ids)
        if self.env["telesales.cron"]._from_cron():
            # Today by the database's clock, the one that dates the drafts' upsert.
            self.env.cr.execute(SQL("""
                SELECT user_id FROM telesales_commission_statement
                 WHERE id = ANY(%s) AND write_uid = %s AND write_date >= date_trunc('day', NOW() AT TIME ZONE 'UTC')
            """, statements.ids, self.env.uid))
            done.update(row[0] for row in self.env.cr.fetchall())
        return sorted(users - done)

    @api.model
    def _make_month_statements(self, month, users=None):
        """Compute the month's draft statements of every agent with a plan (or `users`)
        in one aggregation: the deals they won that month (each counted once per plan),
        less clawbacks: deals of their confirmed statements lost since, written as
        negative lines linked to the original, once."""
        month = fields.Date.to_date(month).replace(day=1)
        Statement = self.sudo().with_context(tracking_disable=True, mail_create_nolog=True)
        plan_of = self._plan_of()
        if users is not None:
            plan_of = {user: plan for user, plan in plan_of.items() if user in users.ids}
        existing = {s.user_id.id: s
                    for s in Statement.search([("month", "=", month), ("user_id", "in", list(plan_of))])}
        todo = [user for user in plan_of if existing.get(user, Statement).state in (False, "draft")]
        if not todo:
            return Statement
        self.env.flush_all()
        totals = {}
        for plan, users in groupby(sorted(todo, key=lambda u: plan_of[u].id), key=plan_of.get):
            users = list(users)
            source = plan._deal_source()
            self.env.cr.execute(SQL(
                "SELECT v.user_id, SUM(%s) %s GROUP BY v.user_id", SQL(source.amount),
                self._counted_deals(source, SQL("unnest(%s::int[], %s::int[]) AS v(user_id, plan_id)", users,
                                                [plan.id] * len(users)), month)))
            totals.update(self.env.cr.fetchall())
        clawbacks = []
        for source in {source.table: source for source in DEAL_SOURCES.values()}.values():
            self.env.cr.execute(SQL("""
                SELECT s.user_id, c.id, c.plan_id, c.lead_id, c.order_id, c.amount
                  FROM telesales_commission_statement s
                  JOIN telesales_commission_line c ON c.statement_id = s.id AND c.amount > 0
                  JOIN %(table)s d ON d.id = c.%(line_field)s
                 WHERE s.user_id = ANY(%(users)s) AND s.month < %(start)s AND s.state IN ('confirmed', 'paid')
                   AND NOT (%(counted)s)
                   AND NOT EXISTS (SELECT 1 FROM telesales_commission_line k
                                    JOIN telesales_commission_statement ks ON ks.id = k.statement_id
                                    WHERE k.clawback_of_id = c.id AND ks.month != %(start)s)
            """, table=SQL.identifier(source.table), line_field=SQL.identifier(source.line_field),
                counted=SQL(source.counted), users=todo, start=month))
            clawbacks += self.env.cr.fetchall()
        for user, *_deal, amount in clawbacks:
            totals[user] = totals.get(user, 0.0) - amount
        targets = {t.user_id.id: t.amount for t in self.env["telesales.sales.target"].sudo().search(
            [("month", "=", month), ("user_id", "in", todo)])}
        teams = {e.user_id.id: e.telesales_team_id.id for e in self.env["hr.employee"].sudo().search(
            [("user_id", "in", todo)])}
        tables = {plan: (plan._bands(), plan.tier_ids.sorted("lower").mapped("display_name"))
                  for plan in set(plan_of.values())}
        values = {}
        for user in todo:
            plan, total, target = plan_of[user], totals.get(user, 0.0), targets.get(user, 0.0)
            bands, names = tables[plan]
            reached = band_reached(total, target, bands, plan.measure)
            values[user] = {
                "team_id": teams.get(user, False), "plan_id": plan.id, "sales_total": total,
                "target": target, "achievement": total * 100.0 / target if target else 0.0,
                "tier": names[reached] if reached is not None else False,
                "commission": commission(total, target, bands, plan.mode, plan.measure, plan.gate),
            }
        self._add_incentives(values, month)
        Statement.browse([existing[user].id for user in todo if user in existing]).line_ids.unlink()
        by_user = self._upsert_drafts(values, month, {user: plan.company_id for user, plan in plan_of.items()})
        drafts = Statement.browse(by_user.values())
        self.env["telesales.commission.line"].sudo().create([{
            "statement_id": by_user[user], "plan_id": plan, "lead_id": lead, "order_id": order, "date": month,
            "amount": -amount, "clawback_of_id": line} for user, line, plan, lead, order, amount in clawbacks])
        return drafts

    @api.model
    def _upsert_drafts(self, values, month, company_of):
        """Write the month's drafts ({user id: values}) in one statement, new or not:
        a thousand agents' statements are one INSERT, not a thousand ORM creates. A
        statement confirmed meanwhile is left alone. Returns {user id: statement id}."""
        monetary = ("sales_total", "target", "commission", "allowance", "referral_bonus", "total_pay",
                    "performance_bonus", "attendance_deduction", "bonus_paid", "deduction_carried")
        users = list(values)
        columns = {name: [values[user].get(name) for user in users]
                   for name in monetary + ("team_id", "plan_id", "achievement", "tier", "allowance_note",
                                           "bonus_note")}
        for name in monetary:
            columns[name] = [company_of[user].currency_id.round(amount or 0.0)
                             for user, amount in zip(users, columns[name])]
        self.env.flush_all()
        self.env.cr.execute(SQL("""
            INSERT INTO telesales_commission_statement (
                   user_id, month, company_id, currency_id, team_id, plan_id, state, sales_total, target,
                   achievement, tier, commission, allowance, allowance_note, referral_bonus, total_pay,
                   performance_bonus, attendance_deduction, bonus_paid, deduction_carried, bonus_note,
                   create_uid, create_date, write_uid, write_date)
            SELECT v.user_id, %(month)s, v.company_id, v.currency_id, v.team_id, v.plan_id, 'draft',
                   v.sales_total, v.target, v.achievement, v.tier, v.commission, v.allowance,
                   v.allowance_note, v.referral_bonus, v.total_pay,
                   v.performance_bonus, v.attendance_deduction, v.bonus_paid, v.deduction_carried, v.bonus_note,
                   %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM unnest(%(users)s::int[], %(companies)s::int[], %(currencies)s::int[], %(teams)s::int[],
                          %(plans)s::int[], %(sales_total)s::numeric[], %(target)s::numeric[],
                          %(achievement)s::float8[], %(tier)s::varchar[], %(commission)s::numeric[],
                          %(allowance)s::numeric[], %(allowance_note)s::varchar[],
                          %(referral_bonus)s::numeric[], %(total_pay)s::numeric[],
                          %(performance_bonus)s::numeric[], %(attendance_deduction)s::numeric[],
                          %(bonus_paid)s::numeric[], %(deduction_carried)s::numeric[], %(bonus_note)s::text[])
                AS v(user_id, company_id, currency_id, team_id, plan_id, sales_total, target, achievement,
                     tier, commission, allowance, allowance_note, referral_bonus, total_pay,
                     performance_bonus, attendance_deduction, bonus_paid, deduction_carried, bonus_note)
            ON CONFLICT (user_id, month) DO UPDATE SET
                   team_id = EXCLUDED.team_id, plan_id = EXCLUDED.plan_id, sales_total = EXCLUDED.sales_total,
                   target = EXCLUDED.target, achievement = EXCLUDED.achievement, tier = EXCLUDED.tier,
                   commission = EXCLUDED.commission, allowance = EXCLUDED.allowance,
                   allowance_note = EXCLUDED.allowance_note, referral_bonus = EXCLUDED.referral_bonus,
                   total_pay = EXCLUDED.total_pay, performance_bonus = EXCLUDED.performance_bonus,
                   attendance_deduction = EXCLUDED.attendance_deduction, bonus_paid = EXCLUDED.bonus_paid,
                   deduction_carried = EXCLUDED.deduction_carried, bonus_note = EXCLUDED.bonus_note,
                   write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
             WHERE telesales_commission_statement.state = 'draft'
            RETURNING user_id, id
        """, month=month, uid=self.env.uid, users=users,
            companies=[company_of[user].id for user in users],
            currencies=[company_of[user].currency_id.id for user in users],
            teams=[team or None for team in columns["team_id"]], plans=columns["plan_id"],
            tier=[tier or None for tier in columns["tier"]],
            allowance_note=[note or None for note in columns["allowance_note"]],
            bonus_note=[note or None for note in columns["bonus_note"]],
            **{name: columns[name] for name in monetary + ("achievement",)}))
        by_user = dict(self.env.cr.fetchall())
        self.invalidate_model()
        return by_user

    @api.model
    def _add_incentives(self, values, month):
        """The new-hire allowance (R-ORG-4), referral bonuses (R-ORG-5) and the performance
        bonus less attendance deductions (R-INC-1, R-ATT-2/4) of each agent's month, into
        `values` ({user id: statement values})."""
        end = month + relativedelta(months=1)
        employees = self.env["hr.employee"].sudo().search([("user_id", "in", list(values))])
        appraisals = {appraisal.employee_id: appraisal for appraisal in self.env["telesales.appraisal"].sudo().search(
            [("employee_id", "in", employees.ids), ("period", "=", "month"), ("date_from", "=", month)])}
        minimums = self.env["telesales.daily.minimum"].sudo()._read_group(
            [("employee_id", "in", employees.ids), ("date", ">=", month), ("date", "<", end)],
            ["employee_id", "met"], ["__count"])
        judged, met = {}, {}
        for employee, was_met, count in minimums:
            judged[employee.id] = judged.get(employee.id, 0) + count
            if was_met:
                met[employee.id] = count
        incidents = self.env["telesales.attendance.incident"].sudo().search(
            [("employee_id", "in", employees.ids), ("date", ">=", month), ("date", "<", end),
             ("state", "!=", "waived"), ("bonus_deduction", ">", 0)], order="date, id").grouped("employee_id")
        referred = self.env["hr.employee"].sudo().search([("telesales_referred_by_id", "in", employees.ids)])
        Policy = self.env["telesales.attendance.policy"]
        excess_of = {company: Policy._for(company).excess_deduction for company in employees.company_id}
        for row in values.values():
            row.update(allowance=0.0, allowance_note=False, referral_bonus=0.0, performance_bonus=0.0,
                       attendance_deduction=0.0, bonus_paid=0.0, deduction_carried=0.0, bonus_note=False)
        for employee in employees:
            row = values[employee.user_id.id]
            rank, company = employee.telesales_rank_id, employee.company_id
            appraisal = appraisals.get(employee, self.env["telesales.appraisal"])
            if rank.is_trainee and rank.new_hire_allowance:
                row.update(self._allowance(employee, appraisal, judged.get(employee.id, 0),
                                           met.get(employee.id, 0)))
            row.update(self._performance_bonus(employee, appraisal, incidents.get(
                employee, self.env["telesales.attendance.incident"]), excess_of[company]))
            for hire in referred.filtered(lambda h: h.telesales_referred_by_id == employee):
                # R-ORG-5: a month after the hire, then at confirmation (转正, end of
                # probation), not at go-live.
                milestones = [hire.telesales_hire_date and hire.telesales_hire_date + relativedelta(months=1),
                              hire.telesales_confirmation_date]
                row["referral_bonus"] += company.telesales_referral_bonus * sum(
                    1 for day in milestones if day and month <= day < end)
        for row in values.values():
            row["total_pay"] = (row["commission"] + row.get("allowance", 0.0) + row.get("referral_bonus", 0.0)
                                + row.get("bonus_paid", 0.0))

    @api.model
    def _allowance(self, employee, appraisal, days, days_met):
        """The trainee's allowance of the month (R-ORG-4): paid when the month's appraisal
        shows the target achieved (its achievement, frozen when it opened, at least the
        Settings' minimum), and, when Settings ask for it, the daily minimum met on enough
        of the judged days. {allowance, allowance_note}."""
        rank, company = employee.telesales_rank_id, employee.company_id
        amount, needed = rank.new_hire_allowance, company.telesales_allowance_min_achievement
        if not appraisal:
            return {"allowance": 0.0, "allowance_note": self.env._(
                "Withheld (%(amount)s): no appraisal of the month to show the target achieved (R-ORG-4)",
                amount=amount)}
        reasons = [self.env._("target achievement %(done)s %%, %(needed)s %% needed",
                              done=round(appraisal.achievement, 1), needed=needed)]
        paid = appraisal.achievement >= needed
        if company.telesales_allowance_needs_daily_minimum:
            share = company.telesales_allowance_min_share
            done = days_met * 100.0 / days if days else 0.0
            reasons.append(self.env._("minimum met on %(done)s %% of %(days)s days, %(share)s %% needed",
                                      done=round(done), days=days, share=share))
            paid = paid and bool(days) and done >= share
        if paid:
            return {"allowance": amount, "allowance_note": self.env._(
                "Paid: %(reasons)s (R-ORG-4)", reasons="; ".join(reasons))}
        return {"allowance": 0.0, "allowance_note": self.env._(
            "Withheld (%(amount)s): %(reasons)s (R-ORG-4)", amount=amount, reasons="; ".join(reasons))}

    @api.model
    def _performance_bonus(self, employee, appraisal, incidents, excess):
        """The month's performance bonus (R-INC-1): the rank's base times the coefficient
        of the done appraisal's grade (none without a done appraisal); the attendance
        incidents' bonus deductions (R-ATT-2/4) come off it line by line, by date, and
        what it cannot cover goes to the wage or is dropped (`excess`: the attendance policy's
        'wage' or 'drop')."""
        rank, company = employee.telesales_rank_id, employee.company_id
        currency = company.currency_id
        notes = []
        if appraisal.state == "done" and appraisal.grade:
            coefficient = company[f"telesales_bonus_coef_{appraisal.grade}"]
            amount = currency.round(bonus_engine.bonus(rank.performance_bonus_base, coefficient))
            notes.append(self.env._(
                "Grade %(grade)s × %(coefficient)s on the base of %(rank)s (%(base)s) = %(amount)s (R-INC-1)",
                grade=appraisal.grade.upper(), coefficient=coefficient, rank=rank.name or "-",
                base=rank.performance_bonus_base, amount=amount))
        else:
            amount = 0.0
            notes.append(self.env._("No bonus: the month's appraisal is not done (R-INC-1)") if appraisal
                         else self.env._("No bonus: no appraisal of the month (R-INC-1)"))
        splits = bonus_engine.split_deductions(
            amount, [(incident, incident.bonus_deduction) for incident in incidents], excess)
        kinds = dict(incidents._fields["kind"]._description_selection(self.env))
        for split in splits:
            incident = split.key
            parts = [self.env._("%(amount)s off the bonus", amount=split.from_bonus)] if split.from_bonus else []
            if split.carried:
                parts.append(self.env._("%(amount)s carried to the wage", amount=split.carried))
            if split.dropped:
                parts.append(self.env._("%(amount)s dropped", amount=split.dropped))
            notes.append(self.env._("%(kind)s on %(date)s (%(amount)s): %(parts)s (R-ATT-2/4)",
                                    kind=kinds[incident.kind], date=incident.date,
                                    amount=split.amount, parts=", ".join(parts)))
        _deducted, paid, carried, _dropped = bonus_engine.totals(amount, splits)
        return {"performance_bonus": amount, "attendance_deduction": sum(split.amount for split in splits),
                "bonus_paid": paid, "deduction_carried": carried, "bonus_note": "\n".join(notes)}
