from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, groupby

DECISIONS = [("promote", "Promote (晋升)"), ("keep", "Keep (维持)"), ("demote", "Demote (降级)"),
             ("not_judged", "Not Judged")]
# What "sales recorded for the whole quarter" means (R-ORG-3), shown as help.
SALES_COVERED_HELP = (
    "A quarter's sales count as recorded when the company's records start on or before the "
    "quarter's first day (its first won deal, by win date, or its first month of commission "
    "statements) and every month of the quarter holds some: a deal won or a commission "
    "statement. Otherwise the quarter's totals may be missing sales, and the review proposes "
    "no change (R-ORG-3).")


def quarter_start(day):
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def quarter_label(day):
    """The quarter of `day` as the lists show it: 2026 Q3."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


class TelesalesRankReview(models.Model):
    """The quarterly rank review of an agent (R-ORG-3): their 3-month sales total
    against the ladder proposes promote, keep or demote; the manager confirms in bulk;
    the new rank (and its base pay) applies from the first day of the next month.

    A review judges only what the data supports: an agent who joined after the quarter
    started, or a quarter whose start predates the company's sales records, gets no
    change ("not judged") with the reason."""

    _name = "telesales.rank.review"
    _description = "Quarterly Rank Review"
    _inherit = ["telesales.agent.mixin", "mail.thread", "telesales.computed.record"]
    _order = "quarter desc, decision, promotion_order, employee_id"
    # The quarter's figures are the system's; the manager decides and confirms (R-ORG-3).
    _telesales_system_fields = ("employee_id", "user_id", "team_id", "company_id", "quarter",
                                "sales_total", "rank_id", "state", "effective_date", "appraisal_score",
                                "appraisal_rank", "promotion_order", "present_from", "sales_recorded_from",
                                "month_without_sales")

    # Who and where, as when the record was written (telesales.agent.mixin): a later
    # team change leaves it under the leader it was written for.
    user_id = fields.Many2one(readonly=True)
    team_id = fields.Many2one(readonly=True)
    company_id = fields.Many2one(readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    quarter = fields.Date(required=True, help="First day of the quarter reviewed.")
    quarter_label = fields.Char("Quarter Reviewed", compute="_compute_quarter_label", store=True,
                                help="The quarter reviewed, as 2026 Q3.")
    sales_total = fields.Monetary("3-Month Sales", help="Deals won in the quarter (R-ORG-3).")
    rank_id = fields.Many2one("telesales.rank", "Rank", required=True)
    threshold = fields.Monetary(related="rank_id.review_threshold", string="Threshold")
    decision = fields.Selection(DECISIONS, required=True, tracking=True)
    new_rank_id = fields.Many2one("telesales.rank", "New Rank", required=True, tracking=True)
    state = fields.Selection(
        [("proposed", "Proposed"), ("confirmed", "Confirmed"), ("applied", "Applied"),
         ("cancelled", "Cancelled")], default="proposed", required=True, tracking=True)
    effective_date = fields.Date("Effective From", tracking=True)
    # Promotion preference by appraisal ranking (R-INC-3).
    appraisal_score = fields.Float(
        "Appraisal Score", readonly=True, digits=(16, 1), aggregator="avg",
        help="Average final score of the quarter's done monthly appraisals (R-INC-3).")
    appraisal_rank = fields.Integer(
        "Appraisal Ranking", readonly=True,
        help="Place of the appraisal score among the department's agents reviewed this quarter "
        "(1 = best; empty: no done appraisal in the quarter).")
    # What the data supports (R-ORG-3): the agent present and sales recorded for the whole quarter.
    present_from = fields.Date(
        "Present From", readonly=True,
        help="The agent's first day in the telesales department (hire date, else go-live date) "
        "when the review was proposed. After the quarter's first day the agent was not there for "
        "the whole quarter, so the review proposes no change. Empty: no date recorded, taken as "
        "present.")
    sales_recorded_from = fields.Date(
        "Sales Recorded From", readonly=True,
        help="The first day of the company's sales records when the review was proposed: its "
        "first won deal or its first month of commission statements. " + SALES_COVERED_HELP)
    month_without_sales = fields.Date(
        "Month Without Sales", readonly=True,
        help="The first month of the quarter with no sales record at all in the company (no "
        "deal won, no commission statement). " + SALES_COVERED_HELP)
    judgement_note = fields.Char(
        "Why Not Judged", compute="_compute_judgement_note",
        help="Why the review proposes no change: the agent joined during the quarter, or the "
        "company's sales are not recorded for the whole quarter (R-ORG-3).")
    promotion_order = fields.Integer(
        "Promotion Order", readonly=True,
        help="Among the quarter's promotions: higher sales first, at equal sales the better "
        "appraisal (R-INC-3); the order they are listed and confirmed in.")

    _employee_quarter_uniq = models.Constraint(
        "UNIQUE(employee_id, quarter)", "An agent is reviewed once a quarter.")

    @api.depends("employee_id", "quarter")
    def _compute_display_name(self):
        for review in self:
            quarter = review.quarter
            review.display_name = (f"{review.employee_id.name} · {quarter_label(quarter)}"
                                   if quarter else review.employee_id.name or "")

    @api.depends("quarter")
    def _compute_quarter_label(self):
        for review in self:
            review.quarter_label = quarter_label(review.quarter) if review.quarter else False

    @api.depends("decision", "quarter", "present_from", "sales_recorded_from", "month_without_sales")
    def _compute_judgement_note(self):
        for review in self:
            reasons = review._reasons_not_judged() if review.decision == "not_judged" else []
            review.judgement_note = "; ".join(reasons) or False

    def _reasons_not_judged(self):
        """Why the data cannot support a judgement of this review's quarter ([] if it can)."""
        self.ensure_one()
        reasons = []
        if self.present_from and self.quarter and self.present_from > self.quarter:
            reasons.append(self.env._("Joined on %(date)s", date=format_date(self.env, self.present_from)))
        if not self.sales_recorded_from:
            reasons.append(self.env._("No sales recorded yet"))
        elif self.quarter and self.sales_recorded_from > self.quarter:
            reasons.append(self.env._("No sales recorded before %(date)s",
                                      date=format_date(self.env, self.sales_recorded_from)))
        elif self.month_without_sales:
            reasons.append(self.env._("No sales recorded in %(month)s",
                                      month=format_date(self.env, self.month_without_sales, date_format="MMMM y")))
        return reasons

    def action_confirm(self):
        """The manager confirms in bulk; the change applies on the first of next month."""
        self._check_manager()
        next_month = (fields.Date.context_today(self) + relativedelta(months=1)).replace(day=1)
        self.filtered(lambda r: r.state == "proposed").sudo().write(
            {"state": "confirmed", "effective_date": next_month})
        self._apply_due()

    def action_cancel(self):
        self._check_manager()
        self.filtered(lambda r: r.state in ("proposed", "confirmed")).sudo().write({"state": "cancelled"})

    @api.model
    def _propose(self, quarter, agents=None):
        """Proposals for every live agent with a rank (or those of `agents` not reviewed
        yet), for the quarter starting `quarter`: promote at the rank's threshold, demote
        below the threshold that led to it (on the top rank: below the one to keep it),
        otherwise keep. Only what the data supports is judged: an agent who joined after
        the quarter started, or a quarter before the company's sales records begin, gets
        "not judged" (no change), with the dates that say why. Reruns add nothing."""
        end = quarter + relativedelta(months=3)
        if agents is None:
            agents = self._agents_to_review(quarter)
        if not agents:
            return self
        totals = {user: won[0] for user, won in self.env["crm.lead"]._telesales_won_totals(
            agents.user_id, quarter, end).items()}
        coverage = self._sales_coverage(agents.company_id, quarter)
        values = []
        for agent in agents:
            rank, total = agent.telesales_rank_id, totals.get(agent.user_id.id, 0.0)
            above, below = rank._next_rank(), rank._previous_rank()
            present_from = agent.telesales_hire_date or agent.telesales_live_date
            since, gap = coverage.get(agent.company_id.id, (False, False))
            if (present_from and present_from > quarter) or not since or since > quarter or gap:
                decision = "not_judged"
            elif not above:  # the top rank: its threshold is what keeps it
                decision = "keep" if total >= rank.review_threshold or not below else "demote"
            elif total >= rank.review_threshold:
                decision = "promote"
            elif below and not below.is_trainee and total < below.review_threshold:
                decision = "demote"
            else:
                decision = "keep"
            values.append({
                "employee_id": agent.id, "quarter": quarter, "sales_total": total, "rank_id": rank.id,
                "decision": decision, "present_from": present_from or False, "sales_recorded_from": since,
                "month_without_sales": gap,
                "new_rank_id": {"promote": above, "demote": below}.get(decision, rank).id,
            })
        reviews = self.sudo().with_context(tracking_disable=True).create(values)
        self._telesales_rank_appraisals(quarter, reviews.company_id)
        return reviews

    @api.model
    def _telesales_rank_appraisals(self, quarter, companies):
        """Each review of `quarter` in `companies`: its agent's appraisal score (average
        final score of the quarter's done monthly appraisals), its place in the department
        by that score, and the order of promotions: higher sales first, at equal sales the
        better appraisal, then the lower employee id (R-INC-3). Over the whole quarter, so
        that proposals made in batches rank alike."""
        reviews = self.sudo().search([("quarter", "=", quarter), ("company_id", "in", companies.ids)])
        scores = dict(self.env["telesales.appraisal"].sudo()._read_group(
            [("employee_id", "in", reviews.employee_id.ids), ("period", "=", "month"), ("state", "=", "done"),
             ("date_from", ">=", quarter), ("date_from", "<", quarter + relativedelta(months=3))],
            ["employee_id"], ["final_score:avg"]))
        for department in reviews.grouped("company_id").values():
            scored = sorted((scores[review.employee_id] for review in department if review.employee_id in scores),
                            reverse=True)
            promotions = department.filtered(lambda r: r.decision == "promote").sorted(
                lambda r: (-r.sales_total, -scores.get(r.employee_id, -1.0), r.employee_id.id))
            order = {review: number for number, review in enumerate(promotions, start=1)}
            for review in department:
                score = scores.get(review.employee_id)
                values = {"appraisal_score": score or 0.0,
                          "appraisal_rank": scored.index(score) + 1 if score is not None else 0,
                          "promotion_order": order.get(review, 0)}
                if any(review[name] != value for name, value in values.items()):
                    review.write(values)

    @api.model
    def _sales_coverage(self, companies, quarter):
        """{company id: (first day of its sales records, first month of `quarter` without
        any)}, False where there is none (see SALES_COVERED_HELP): the records are its won
        deals (by win date) and its commission statements (by month)."""
        end = quarter + relativedelta(months=3)
        firsts, months = {}, {}
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        Statement = self.env["telesales.commission.statement"].sudo()
        for model, field in ((Lead, "telesales_won_date"), (Statement, "month")):
            base = [(field, "!=", False), ("company_id", "in", companies.ids)]
            for company, first in model._read_group(base, ["company_id"], [f"{field}:min"]):
                firsts[company.id] = min(first, firsts.get(company.id, first))
            for company, month in model._read_group(
                    base + [(field, ">=", quarter), (field, "<", end)], ["company_id", f"{field}:month"]):
                months.setdefault(company.id, set()).add(fields.Date.to_date(month).replace(day=1))
        quarter_months = [quarter + relativedelta(months=n) for n in range(3)]
        return {company.id: (firsts.get(company.id, False),
                             next((month for month in quarter_months if month not in months.get(company.id, ())),
                                  False))
                for company in companies}

    @api.model
    def _agents_to_review(self, quarter):
        """Agents with a rank and a user without a review of `quarter` yet."""
        done = set(self.search([("quarter", "=", quarter)]).employee_id.ids)
        return self.env["hr.employee"].sudo().search([
            ("telesales_role", "=", "agent"), ("telesales_rank_id", "!=", False),
            ("user_id", "!=", False), ("id", "not in", list(done))])

    def _check_manager(self):
        if not (self.env.su or self.env.user.has_group("telesales_mgmt.group_telesales_manager")):
            raise UserError(self.env._("Only the department manager confirms rank reviews (R-ORG-3)."))

    @api.model
    def _apply_due(self, due=None):
        """Confirmed reviews whose day has come (or those of `due`): the employee's rank
        changes, with its history line and a chatter message."""
        if due is None:
            due = self._due_reviews()
        for review in due:
            if review.new_rank_id != review.employee_id.telesales_rank_id:
                review.employee_id.with_context(telesales_rank_reason=self.env._(
                    "Quarterly review from %(quarter)s: %(decision)s on %(total)s of sales",
                    quarter=review.quarter,
                    decision=review._fields["decision"].convert_to_export(review.decision, review),
                    total=review.sales_total)).telesales_rank_id = review.new_rank_id
        due.write({"state": "applied"})

    @api.model
    def _due_reviews(self):
        return self.sudo().search([("state", "=", "confirmed"),
                                   ("effective_date", "<=", fields.Date.context_today(self))])

    @api.model
    def _cron_reviews(self, batch_size=None, limit=None):
        """Daily: propose for the last complete quarter once, apply what is due, in
        batches (`telesales.cron`): an agent proposed and a review applied leave the
        work, so a run cut short resumes with the rest."""
        quarter = quarter_start(fields.Date.context_today(self)) - relativedelta(months=3)
        todo = [("propose", agent) for agent in self._agents_to_review(quarter)]
        todo += [("apply", review) for review in self._due_reviews()]
        for batch in self.env["telesales.cron"]._batches(todo, batch_size, limit):
            for step, items in groupby(batch, key=lambda item: item[0]):
                records = items[0][1].browse([record.id for _step, record in items])
                if step == "propose":
                    self._propose(quarter, records)
                else:
                    self._apply_due(records)
