from odoo import api, fields, models
from odoo.tools import SQL


class TelesalesRank(models.Model):
    """A step of the agents' rank ladder (职级, R-ORG-3): base pay and the quarterly
    3-month sales total that moves an agent up (or, on the top step, keeps them there)."""

    _name = "telesales.rank"
    _description = "Telesales Rank"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10, help="Position on the ladder: lower is more junior.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True,
        help="Leave empty to share the rank between all companies.")
    currency_id = fields.Many2one(
        "res.currency", required=True,
        default=lambda self: self.env.company.currency_id)
    is_trainee = fields.Boolean(
        "Trainee Rank",
        help="Rank of new hires before they go live (见习, R-TRN-2).")
    base_pay = fields.Monetary(
        required=True, help="Monthly base pay (底薪) of an agent at this rank.")
    new_hire_allowance = fields.Monetary(
        help="Monthly new-hire allowance (新人津贴), paid only when the month's KPI "
        "targets were met (R-ORG-4).")
    performance_bonus_base = fields.Monetary(
        "Performance Bonus Base",
        help="Monthly performance bonus (绩效奖金) of this rank at coefficient 1 (grade B); the "
        "appraisal grade's coefficient in Settings multiplies it (R-INC-1).")
    review_threshold = fields.Monetary(
        "3-Month Sales Threshold",
        help="Sales total over the last three months needed at the quarterly review to "
        "be promoted out of this rank; on the top rank, the total needed to keep it.")
    target_weight = fields.Float(
        default=1.0, help="Share of a team's monthly target an agent of this rank gets, against the "
        "other agents' weights, when a plan is broken down by rank weight (R-KPI-1).")
    _check_target_weight = models.Constraint("CHECK(target_weight >= 0)", "A rank's target weight cannot be negative.")
    employee_ids = fields.One2many("hr.employee", "telesales_rank_id", "Employees")
    employee_count = fields.Integer(compute="_compute_employee_count")

    _check_amounts = models.Constraint(
        "CHECK(base_pay >= 0 AND COALESCE(new_hire_allowance, 0) >= 0 "
        "AND COALESCE(review_threshold, 0) >= 0)",
        "A rank's base pay, allowance and 3-month threshold cannot be negative.")

    @api.depends("employee_ids")
    def _compute_employee_count(self):
        counts = dict(self.env["hr.employee"]._read_group(
            [("telesales_rank_id", "in", self.ids)], ["telesales_rank_id"], ["__count"]))
        for rank in self:
            rank.employee_count = counts.get(rank, 0)

    def action_view_employees(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "telesales_mgmt.hr_employee_public_action_telesales")
        action["domain"] = [("telesales_rank_id", "=", self.id)]
        return action

    def _next_rank(self):
        """The rank one step up the ladder of the same company (empty on the top step)."""
        self.ensure_one()
        return self.search([
            ("company_id", "in", [False, self.company_id.id]),
            "|", ("sequence", ">", self.sequence),
            "&", ("sequence", "=", self.sequence), ("id", ">", self.id),
        ], limit=1)

    def _previous_rank(self):
        """The rank one step down the ladder (empty on the first step)."""
        self.ensure_one()
        return self.search([
            ("company_id", "in", [False, self.company_id.id]),
            "|", ("sequence", "<", self.sequence),
            "&", ("sequence", "=", self.sequence), ("id", "<", self.id),
        ], order="sequence desc, id desc", limit=1)

    @api.model
    def _telesales_fill_bonus_bases(self, bases):
        """Data file: give the shipped ranks ({xml id: amount}) their performance bonus base
        where they have none yet (NULL: a database installed before R-INC-1); an amount an
        admin set, 0 included, stays."""
        for xml_id, amount in bases.items():
            rank = self.env.ref(f"telesales_mgmt.{xml_id}", raise_if_not_found=False)
            if rank:
                self.env.cr.execute(SQL(
                    "UPDATE telesales_rank SET performance_bonus_base = %s WHERE id = %s "
                    "AND performance_bonus_base IS NULL", amount, rank.id))
        self.invalidate_model(["performance_bonus_base"])
