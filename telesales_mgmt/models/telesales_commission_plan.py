from typing import NamedTuple

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engines.commission import Band, check_bands, commission
from .crm_lead import WON_DEAL_CONDITION


class DealSource(NamedTuple):
    """Where a basis finds its deals: both tables record the agent and the day a deal
    was won (`telesales_won_user_id`, `telesales_won_date`)."""

    model: str
    table: str
    line_field: str  # the commission line's link to the deal
    amount: str  # in company currency, on alias d
    counted: str  # the deal still counts; once false, a confirmed line is clawed back


_WON_LEAD = ("crm.lead", "crm_lead", "lead_id")
_CONFIRMED_ORDER = ("sale.order", "sale_order", "order_id")
# An order counts while confirmed and not refunded: posted credit notes on its lines
# reaching its untaxed amount undo it, like a cancellation.
_ORDER_COUNTED = """d.state = 'sale' AND NOT EXISTS (
    SELECT 1 FROM sale_order_line sol
      JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
      JOIN account_move_line aml ON aml.id = rel.invoice_line_id
      JOIN account_move m ON m.id = aml.move_id AND m.move_type = 'out_refund' AND m.state = 'posted'
     WHERE sol.order_id = d.id
    HAVING SUM(aml.price_subtotal) >= d.amount_untaxed)"""
# Order amounts are in the order's currency; currency_rate is its rate against the company's.
DEAL_SOURCES = {
    # The deals every screen counts (crm_lead.WON_DEAL_DOMAIN).
    "won_revenue": DealSource(*_WON_LEAD, "COALESCE(d.expected_revenue, 0)", WON_DEAL_CONDITION.format(d="d")),
    "order_untaxed": DealSource(*_CONFIRMED_ORDER, "COALESCE(d.amount_untaxed / NULLIF(d.currency_rate, 0), 0)",
                                _ORDER_COUNTED),
    "order_margin": DealSource(*_CONFIRMED_ORDER, "COALESCE(d.margin / NULLIF(d.currency_rate, 0), 0)",
                               _ORDER_COUNTED),
}


class TelesalesCommissionPlan(models.Model):
    """How sales commission (提成) is earned in a month (R-INC-1): on which sales, for
    whom, behind which gate, and the tier table, progressive or on the whole amount."""

    _name = "telesales.commission.plan"
    _description = "Commission Plan"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True,
                                 default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    basis = fields.Selection(
        [("won_revenue", "Won Opportunities' Expected Revenue"),
         ("order_untaxed", "Confirmed Sale Orders' Untaxed Amount"),
         ("order_margin", "Confirmed Sale Orders' Margin")], "Sales Counted",
        default="won_revenue", required=True, tracking=True,
        help="Won opportunities count in the month they were won, for the agent who owned "
        "them at that moment; sale orders in the month they were confirmed, for their "
        "salesperson at that moment. A deal lost or cancelled after its statement was "
        "confirmed is clawed back on the next one.")
    rank_ids = fields.Many2many("telesales.rank", string="Ranks", help="Agents of these ranks.")
    team_ids = fields.Many2many("crm.team", string="Teams", domain=[("is_telesales", "=", True)],
                                help="Agents of these teams.")
    user_ids = fields.Many2many("res.users", string="Named Agents")
    gate = fields.Float(
        "Gate (% of Target)", default=100.0, tracking=True,
        help="Below this share of the month's target, no commission at all.")
    measure = fields.Selection(
        [("achievement", "Target Achievement (%)"), ("amount", "Amount")], "Bands On",
        default="achievement", required=True, tracking=True)
    mode = fields.Selection(
        [("progressive", "Progressive (each band at its rate)"),
         ("whole", "Whole Amount (the band reached)")], default="progressive", required=True,
        tracking=True)
    tier_ids = fields.One2many("telesales.commission.tier", "plan_id", "Tiers", copy=True)

    @api.constrains("tier_ids", "gate")
    def _check_tiers(self):
        for plan in self:
            if plan.gate < 0:
                raise ValidationError(self.env._("Plan %(plan)s: the gate cannot be negative.", plan=plan.name))
            problems = check_bands(plan._bands())
            if problems:
                raise ValidationError(self.env._(
                    "Plan %(plan)s: the tier table is not valid: %(problems)s.",
                    plan=plan.name, problems="; ".join(problems)))

    @api.constrains("rank_ids", "team_ids", "user_ids", "active", "company_id")
    def _check_one_plan_per_agent(self):
        """One plan per agent and month: two active plans may not reach the same agent."""
        for plan in self.filtered("active"):
            mine = plan._agents()
            for other in self.search([("id", "!=", plan.id), ("company_id", "=", plan.company_id.id)]):
                both = mine & other._agents()
                if both:
                    raise ValidationError(self.env._(
                        "Plans %(plan)s and %(other)s both apply to %(agents)s: an agent has one plan a month.",
                        plan=plan.name, other=other.name, agents=", ".join(both[:5].mapped("name"))))

    def _deal_source(self):
        self.ensure_one()
        return DEAL_SOURCES[self.basis]

    def _bands(self):
        self.ensure_one()
        return [Band(tier.lower, tier.upper or None, tier.rate) for tier in self.tier_ids.sorted("lower")]

    def _agents(self):
        """The users this plan applies to: the agents of its ranks and teams, and the
        agents (or anyone else) named."""
        self.ensure_one()
        Employee = self.env["hr.employee"].sudo()
        employees = Employee.browse()
        if self.rank_ids:
            employees |= Employee.search([("telesales_rank_id", "in", self.rank_ids.ids),
                                          ("telesales_role", "=", "agent")])
        if self.team_ids:
            employees |= Employee.search([("telesales_team_id", "in", self.team_ids.ids),
                                          ("telesales_role", "=", "agent")])
        return (employees.user_id | self.user_ids).filtered(
            lambda user: self.company_id in user.company_ids)

    def _commission(self, total, target):
        self.ensure_one()
        return commission(total, target, self._bands(), self.mode, self.measure, self.gate)
