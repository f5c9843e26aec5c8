from collections import defaultdict
from contextlib import contextmanager

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..engines import kpi as kpi_engine
from .telesales_commission_plan import DEAL_SOURCES

KPI_SOURCES = [
    ("computed", "Computed"),
    ("rated_leader", "Rated by the Leader"),
    ("rated_peer", "Rated by Peers"),
    ("rated_self", "Self-rated"),
]
# Which batch computes which indicator: each method gives the values of its codes for
# every user at once ({code: {user id: (value, evidence)}}).
COMPUTERS = {
    "sales_amount": "_telesales_kpi_sales",
    "target_achievement": "_telesales_kpi_sales",
    "profit": "_telesales_kpi_profit",
    "new_customers": "_telesales_kpi_customers",
    "loyalty": "_telesales_kpi_customers",
    "calls_dialled": "_telesales_kpi_calls",
    "effective_conversations": "_telesales_kpi_calls",
    "sales_cycle": "_telesales_kpi_sales_cycle",
    "daily_minimum_days": "_telesales_kpi_daily_minimum",
    "satisfaction": "_telesales_kpi_complaints",
    "complaints": "_telesales_kpi_complaints",
    "call_quality": "_telesales_kpi_call_quality",
    "training": "_telesales_kpi_training",
}
# A deal won earlier by the same customer: the table's own "won" mark (an order
# refunded later still made the customer a returning one).
_EARLIER_WON = {"crm_lead": "e.won_status = 'won'", "sale_order": "e.state = 'sale'"}


@contextmanager
def checks_after_write(records, key):
    """While `records` (a parent) write their lines, the lines' own constraint waits for
    the parent's, which sees every line at once: changing two weights in one save goes
    through a sum that is briefly off. The mark lives in the cursor, not the context,
    so no caller can set it."""
    pending = records.env.cr.cache.setdefault(key, set())
    marked = set(records.ids) - pending
    pending.update(marked)
    try:
        yield
    finally:
        pending.difference_update(marked)


def checked_now(records, key):
    """The parents in `records` not writing their lines right now (see checks_after_write)."""
    return records.filtered(lambda record: record.id not in records.env.cr.cache.get(key, ()))


class TelesalesKpi(models.Model):
    """An appraisal indicator (考核指标, R-KPI-2): computed from the module's data (sales,
    calls, complaints, the daily minimum) or rated by a person, with its direction and
    scoring rule. The catalogue is data the telesales administrator edits; appraisal
    templates weigh its indicators by rank and role."""

    _name = "telesales.kpi"
    _description = "Appraisal Indicator"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Identifies the indicator; a computed indicator's code says what computes it "
        "(sales_amount, profit, target_achievement, new_customers, satisfaction, loyalty, "
        "calls_dialled, effective_conversations, sales_cycle, daily_minimum_days, complaints).")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: every company.")
    source = fields.Selection(
        KPI_SOURCES, required=True, default="computed",
        help="Computed: from the month's data, frozen when the appraisal opens. Rated: the "
        "rating (0-100) given by the leader, the agent's peers (anonymous to the agent) or "
        "the agent is the score.")
    direction = fields.Selection(
        [("higher", "Higher Is Better"), ("lower", "Lower Is Better")], required=True, default="higher")
    scoring = fields.Selection(
        [("linear", "Linear to Target"), ("bands", "Bands")], required=True, default="linear",
        help="Linear: reaching the target scores 100, proportionally below (or above, up to "
        "the cap). Bands: the score of the band the value reaches.")
    cap = fields.Float(default=120.0, help="The highest score the indicator can earn.")
    band_ids = fields.One2many("telesales.kpi.band", "kpi_id", "Bands", copy=True)
    unit = fields.Char(help="The value's unit: CNY, %, calls, days …")
    description = fields.Text("Help", translate=True, help="What the indicator measures, shown to agents.")

    _code_company_uniq = models.UniqueIndex(
        "(code, COALESCE(company_id, 0))", "An indicator with this code already exists (R-KPI-2).")
    _cap_positive = models.Constraint("CHECK(cap > 0)", "An indicator's cap must be above 0 (R-KPI-2).")

    def write(self, vals):
        with checks_after_write(self, "telesales_kpi_bands"):
            return super().write(vals)

    @api.constrains("scoring", "direction", "cap", "band_ids")
    def _check_bands(self):
        for kpi in self:
            problems = kpi_engine.check_bands(kpi.direction, kpi._bands())
            if kpi.scoring == "bands" and not kpi.band_ids:
                problems.append(self.env._("scoring by bands needs at least one band"))
            if problems:
                raise ValidationError(self.env._(
                    "Indicator %(kpi)s: the bands are not valid: %(problems)s (R-KPI-2).",
                    kpi=kpi.name, problems="; ".join(problems)))

    def _bands(self):
        self.ensure_one()
        return [(band.threshold, band.score) for band in self.band_ids]

    def _score(self, value, target):
        """The score of this indicator for a computed `value` (or a rating) and `target`."""
        self.ensure_one()
        if self.source != "computed":
            return kpi_engine.rated_score(value, self.cap)
        return kpi_engine.score(value, target, self.direction, self.scoring, self.cap, self._bands())

    # ------------------------------------------------------------
    # Computed values: one batch per indicator for all the users at once
    # ------------------------------------------------------------

    @api.model
    def _telesales_kpi_values(self, users, date_from, date_to, company, codes=None):
        """{code: {user id: (value, evidence)}} of the computed indicators (the company's
        active computed catalogue, or `codes`) for `users` over [date_from, date_to).
        `evidence` is (model name, domain) finding the records behind the value, or None.
        Every user has a value for every code; None means no data (no judged day, no won
        deal for the sales cycle): it scores 0."""
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        if codes is None:
            codes = self.sudo().search([("source", "=", "computed"),
                                        ("company_id", "in", [False, company.id])]).mapped("code")
        codes = set(codes)
        self.env.flush_all()
        values = {}
        for method in sorted({COMPUTERS[code] for code in codes if code in COMPUTERS}):
            values.update(getattr(self.sudo(), method)(users, date_from, date_to, company))
        return {code: by_user for code, by_user in values.items() if code in codes}

    @api.model
    def _telesales_kpi_targets(self, users, date_from, date_to, company):
        """{user id: target amount} of the months in [date_from, date_to), agents with a target only."""
        rows = self.env["telesales.sales.target"].sudo()._read_group(
            [("user_id", "in", users.ids), ("month", ">=", date_from.replace(day=1)),
             ("month", "<", date_to), ("company_id", "=", company.id)], ["user_id"], ["amount:sum"])
        return {user.id: amount for user, amount in rows}

    @api.model
    def _telesales_kpi_deal_source(self, users, company):
        """{deal source: [user ids]}: each user's sales are counted as the commission plan
        that pays them counts them (the company's first plan for the others, else won
        opportunities): won opportunities or confirmed orders (a plan on margin counts
        the orders' amount as sales)."""
        plans = self.env["telesales.commission.plan"].sudo().search([("company_id", "=", company.id)])
        basis_of = {user.id: plan.basis for plan in plans for user in plan._agents()}
        default = plans[:1].basis or "won_revenue"
        by_source = defaultdict(list)
        for user_id in users.ids:
            basis = basis_of.get(user_id, default)
            by_source[DEAL_SOURCES["won_revenue" if basis == "won_revenue" else "order_untaxed"]].append(user_id)
        return by_source

    def _telesales_deal_domain(self, source, user_id, date_from, date_to, company):
        won = [("won_status", "=", "won")] if source.table == "crm_lead" else [("state", "=", "sale")]
        return [("telesales_won_user_id", "=", user_id), *won,
                ("telesales_won_date", ">=", fields.Date.to_string(date_from)),
                ("telesales_won_date", "<", fields.Date.to_string(date_to)),
                ("company_id", "in", [company.id, False])]

    def _telesales_deals_sql(self, source, user_ids, date_from, date_to, company):
        """FROM and WHERE of the deals counted for `user_ids` in the period (alias d)."""
        return SQL("""
              FROM %(table)s d
             WHERE d.telesales_won_user_id = ANY(%(users)s) AND %(counted)s
               AND d.telesales_won_date >= %(start)s AND d.telesales_won_date < %(end)s
               AND COALESCE(d.company_id, %(company)s) = %(company)s
        """, table=SQL.identifier(source.table), users=user_ids, counted=SQL(source.counted),
                   start=date_from, end=date_to, company=company.id)

    def _telesales_sum_deals(self, source, user_ids, date_from, date_to, company):
        self.env.cr.execute(SQL("SELECT d.telesales_won_user_id, SUM(%s) %s GROUP BY 1", SQL(source.amount),
                                self._telesales_deals_sql(source, user_ids, date_from, date_to, company)))
        return dict(self.env.cr.fetchall())

    def _telesales_kpi_sales(self, users, date_from, date_to, company):
        """Sales amount on the commission basis, and its achievement of the period's target (%)."""
        targets = self._telesales_kpi_targets(users, date_from, date_to, company)
        sales, achievement = {}, {}
        for source, user_ids in self._telesales_kpi_deal_source(users, company).items():
            totals = self._telesales_sum_deals(source, user_ids, date_from, date_to, company)
            for user_id in user_ids:
                total = float(totals.get(user_id) or 0.0)
                evidence = (source.model, self._telesales_deal_domain(source, user_id, date_from, date_to, company))
                target = targets.get(user_id)
                sales[user_id] = (total, evidence)
                achievement[user_id] = (total * 100.0 / target if target else 0.0, evidence)
        return {"sales_amount": sales, "target_achievement": achievement}

    def _telesales_kpi_profit(self, users, date_from, date_to, company):
        """The margin of the confirmed sale orders (sale_margin), whatever the plan's basis."""
        source = DEAL_SOURCES["order_margin"]
        totals = self._telesales_sum_deals(source, users.ids, date_from, date_to, company)
        return {"profit": {user_id: (float(totals.get(user_id) or 0.0), (
            source.model, self._telesales_deal_domain(source, user_id, date_from, date_to, company)))
            for user_id in users.ids}}

    def _telesales_kpi_customers(self, users, date_from, date_to, company):
        """New customers: customers whose first won deal is in the period (credited to
        whoever won it). Loyalty: the share (%) of the period's won deals whose customer
        had won an earlier deal, or who came by referral (R-LEAD-1)."""
        referral = self.env.ref("telesales_mgmt.utm_source_referral", raise_if_not_found=False)
        new_customers, loyalty = {}, {}
        for source, user_ids in self._telesales_kpi_deal_source(users, company).items():
            earlier = SQL("""EXISTS (SELECT 1 FROM %(table)s e
                                      WHERE e.partner_id = d.partner_id AND %(won)s
                                        AND COALESCE(e.company_id, %(company)s) = %(company)s
                                        AND %(before)s)""",
                          table=SQL.identifier(source.table), won=SQL(_EARLIER_WON[source.table]),
                          company=company.id, before=SQL("e.telesales_won_date < %s", date_from))
            repeat = SQL("""EXISTS (SELECT 1 FROM %(table)s e
                                     WHERE e.partner_id = d.partner_id AND %(won)s AND e.id != d.id
                                       AND COALESCE(e.company_id, %(company)s) = %(company)s
                                       AND (e.telesales_won_date, e.id) < (d.telesales_won_date, d.id))""",
                         table=SQL.identifier(source.table), won=SQL(_EARLIER_WON[source.table]),
                         company=company.id)
            self.env.cr.execute(SQL("""
                SELECT d.telesales_won_user_id, COUNT(*),
                       ARRAY_AGG(DISTINCT d.partner_id) FILTER (WHERE d.partner_id IS NOT NULL AND NOT %(earlier)s),
                       ARRAY_AGG(d.id) FILTER (WHERE d.source_id = %(referral)s
                                                  OR (d.partner_id IS NOT NULL AND %(repeat)s))
                %(deals)s GROUP BY 1
            """, earlier=earlier, repeat=repeat, referral=referral.id if referral else None,
                deals=self._telesales_deals_sql(source, user_ids, date_from, date_to, company)))
            rows = {row[0]: row[1:] for row in self.env.cr.fetchall()}
            for user_id in user_ids:
                count, partners, loyal = rows.get(user_id, (0, None, None))
                domain = self._telesales_deal_domain(source, user_id, date_from, date_to, company)
                new_customers[user_id] = (float(len(partners or [])),
                                          (source.model, [*domain, ("partner_id", "in", sorted(partners or []))]))
                loyalty[user_id] = (len(loyal or []) * 100.0 / count if count else None,
                                    (source.model, [("id", "in", sorted(loyal or []))]))
        return {"new_customers": new_customers, "loyalty": loyalty}

    def _telesales_kpi_calls(self, users, date_from, date_to, company):
        """Calls dialled (outbound) and effective conversations (有效沟通) in the period; with
        the phone system on and typed calls not counting (R-CALL-5), its calls only."""
        phone_only = company.telesales_cti_enabled and not company.telesales_cti_typed_counts
        self.env.cr.execute(SQL("""
            SELECT user_id, COUNT(*) FILTER (WHERE direction = 'outbound'), COUNT(*) FILTER (WHERE is_effective)
              FROM telesales_call
             WHERE user_id = ANY(%(users)s) AND call_date >= %(start)s AND call_date < %(end)s
               AND company_id = %(company)s AND (source = 'phone_system' OR NOT %(phone_only)s)
          GROUP BY user_id
        """, users=users.ids, start=date_from, end=date_to, company=company.id, phone_only=phone_only))
        rows = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        dialled, effective = {}, {}
        for user_id in users.ids:
            domain = [("user_id", "=", user_id), ("call_date", ">=", fields.Date.to_string(date_from)),
                      ("call_date", "<", fields.Date.to_string(date_to)), ("company_id", "=", company.id)]
            if phone_only:
                domain.append(("source", "=", "phone_system"))
            outbound, good = rows.get(user_id, (0, 0))
            dialled[user_id] = (float(outbound), ("telesales.call", [*domain, ("direction", "=", "outbound")]))
            effective[user_id] = (float(good), ("telesales.call", [*domain, ("is_effective", "=", True)]))
        return {"calls_dialled": dialled, "effective_conversations": effective}

    def _telesales_kpi_sales_cycle(self, users, date_from, date_to, company):
        """Average days from the first call on an opportunity (its creation if it was never
        called) to its winning, over the opportunities won in the period; None without one."""
        source = DEAL_SOURCES["won_revenue"]
        self.env.cr.execute(SQL("""
            SELECT d.telesales_won_user_id, AVG(GREATEST(0, d.telesales_won_date - COALESCE(
                       (SELECT MIN(c.call_date) FROM telesales_call c WHERE c.lead_id = d.id),
                       d.create_date::date)))
            %s GROUP BY 1
        """, self._telesales_deals_sql(source, users.ids, date_from, date_to, company)))
        averages = dict(self.env.cr.fetchall())
        return {"sales_cycle": {user_id: (
            round(float(averages[user_id]), 2) if averages.get(user_id) is not None else None,
            (source.model, self._telesales_deal_domain(source, user_id, date_from, date_to, company)))
            for user_id in users.ids}}

    def _telesales_kpi_daily_minimum(self, users, date_from, date_to, company):
        """The share (%) of the judged working days on which the daily minimum was met
        (R-CALL-5); None without a judged day."""
        domain = [("user_id", "in", users.ids), ("date", ">=", date_from), ("date", "<", date_to),
                  ("company_id", "=", company.id)]
        judged, met = defaultdict(int), defaultdict(int)
        for user, was_met, count in self.env["telesales.daily.minimum"].sudo()._read_group(
                domain, ["user_id", "met"], ["__count"]):
            judged[user.id] += count
            if was_met:
                met[user.id] += count
        return {"daily_minimum_days": {user_id: (
            met[user_id] * 100.0 / judged[user_id] if judged[user_id] else None,
            ("telesales.daily.minimum", [
                ("user_id", "=", user_id), ("date", ">=", fields.Date.to_string(date_from)),
                ("date", "<", fields.Date.to_string(date_to)), ("company_id", "=", company.id)]))
            for user_id in users.ids}}

    def _telesales_kpi_complaints(self, users, date_from, date_to, company):
        """Complaints against the agent, and satisfaction: the average rating (1-5) of
        their complaints as % of 5, 100 without a rated one (R-CMP-4)."""
        figures = self.env["telesales.complaint"]._agent_figures(users, date_from, date_to, company)
        complaints, satisfaction = {}, {}
        for user_id in users.ids:
            count, average = figures.get(user_id, (0, None))
            domain = [("agent_id", "=", user_id), ("received_date", ">=", fields.Date.to_string(date_from)),
                      ("received_date", "<", fields.Date.to_string(date_to)), ("state", "!=", "cancelled"),
                      ("company_id", "=", company.id)]
            complaints[user_id] = (float(count), ("telesales.complaint", domain))
            satisfaction[user_id] = (average * 100.0 / 5 if average else 100.0,
                                     ("telesales.complaint", [*domain, ("satisfaction", ">", 0)]))
        return {"complaints": complaints, "satisfaction": satisfaction}

    def _telesales_kpi_training(self, users, date_from, date_to, company):
        """Training results (R-TRN-3): the average score of the evaluated training results
        dated in the period; None without one."""
        scores = self.env["telesales.training.result"]._telesales_training_scores(users, date_from, date_to)
        return {"training": {user_id: (scores.get(user_id), ("telesales.training.result", [
            ("user_id", "=", user_id), ("state", "=", "evaluated"), ("company_id", "=", company.id),
            ("date", ">=", fields.Date.to_string(date_from)), ("date", "<", fields.Date.to_string(date_to))]))
            for user_id in users.ids}}

    def _telesales_kpi_call_quality(self, users, date_from, date_to, company):
        """The share (%) of final quality inspections passed (R-CALL-7); None without one."""
        Inspection = self.env["telesales.quality.inspection"]
        rates = Inspection._telesales_pass_rates(users, date_from, date_to)
        return {"call_quality": {user_id: (
            rates[user_id][0] * 100.0 / rates[user_id][1] if rates.get(user_id, (0, 0))[1] else None,
            ("telesales.quality.inspection", Inspection._telesales_pass_rate_domain(user_id, date_from, date_to)))
            for user_id in users.ids}}
