from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
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
    include_trainees = fields.Boolean(
        "Trainees Too", help="Trainees (见习) receive leads from this rule (R-TRN-2).")
    daily_cap = fields.Integer(
        "Daily Cap per Agent", default=30, tracking=True,
        help="Leads an agent may receive per day from allocation. 0: no cap.")
    open_cap = fields.Integer(
        "Open Leads Cap per Agent", default=200, tracking=True,
        help="An agent holding this many open leads receives no more. 0: no cap.")

    _check_caps = models.Constraint(
        "CHECK(daily_cap >= 0 AND open_cap >= 0)", "Caps cannot be negative.")

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

    def _lead_domain(self):
        self.ensure_one()
        return Domain(safe_eval(self.domain or "[]"))
