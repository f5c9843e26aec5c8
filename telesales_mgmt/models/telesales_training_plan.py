from odoo import api, fields, models

TRAINING_TOPICS = [
    ("onboarding", "Onboarding"),
    ("product", "Product Knowledge"),
    ("sales_skills", "Sales Skills"),
    ("communication", "Communication"),
    ("teamwork", "Teamwork"),
]
TRAINING_METHODS = [
    ("classroom", "Classroom"),
    ("online", "Online"),
    ("on_the_job", "On the Job"),
    ("role_play", "Role Play"),
]


class TelesalesTrainingPlan(models.Model):
    """The department's annual training plan (培训计划, R-TRN-1): goals, topics, method,
    schedule and budget; its sessions carry it out."""

    _name = "telesales.training.plan"
    _description = "Training Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "year desc, id desc"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    responsible_id = fields.Many2one(
        "res.users", "Responsible", tracking=True, default=lambda self: self.env.user,
        domain=[("share", "=", False)])
    session_ids = fields.One2many("telesales.training.session", "plan_id", "Sessions")
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("done", "Done")],
        required=True, default="draft", tracking=True)
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year, tracking=True)
    goals = fields.Html(help="What the year's training should achieve (R-TRN-1).")
    topics = fields.Char(
        help="Topics covered: product knowledge, sales skills, communication, teamwork (R-TRN-1).")
    method = fields.Selection(TRAINING_METHODS, default="classroom", tracking=True)
    schedule = fields.Text(help="When the training takes place over the year.")
    currency_id = fields.Many2one(related="company_id.currency_id")
    budget = fields.Monetary(tracking=True)
    cost = fields.Monetary(compute="_compute_figures", help="The sessions' cost so far.")
    hours = fields.Float(compute="_compute_figures", help="Training hours of the sessions.")
    session_count = fields.Integer(compute="_compute_figures")

    _budget_positive = models.Constraint("CHECK(budget >= 0)", "A training plan's budget cannot be negative (R-TRN-1).")

    @api.depends("session_ids.cost", "session_ids.hours", "session_ids.state")
    def _compute_figures(self):
        for plan in self:
            sessions = plan.session_ids.filtered(lambda s: s.state != "cancelled")
            plan.cost = sum(sessions.mapped("cost"))
            plan.hours = sum(sessions.mapped("hours"))
            plan.session_count = len(sessions)

    def action_approve(self):
        self.write({"state": "approved"})

    def action_done(self):
        self.write({"state": "done"})

    def action_view_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("telesales_mgmt.telesales_training_session_action")
        action.update(domain=[("plan_id", "=", self.id)], context={"default_plan_id": self.id})
        return action
