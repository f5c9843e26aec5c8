from odoo import fields, models

COMPLAINT_STATES = [
    ("new", "New"),
    ("acknowledged", "Acknowledged"),
    ("forwarded", "Forwarded"),
    ("in_progress", "In Progress"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
# Stages past these the SLA clock has stopped.
DONE_STATES = ("resolved", "closed", "cancelled")


class TelesalesComplaintStage(models.Model):
    """A column of the complaints kanban. Each stage stands for one step of R-CMP-1…3
    (its `state`), which carries the rules: admins may rename, reorder and fold them."""

    _name = "telesales.complaint.stage"
    _description = "Complaint Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    state = fields.Selection(COMPLAINT_STATES, "Step", required=True, default="in_progress",
                             help="What reaching this stage means: the rules of that step apply.")
    fold = fields.Boolean("Folded in Kanban")
    description = fields.Text(translate=True)
