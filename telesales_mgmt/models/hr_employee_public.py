from odoo import fields, models

from .hr_employee import ABILITY_GRADES, TELESALES_ROLES, TELESALES_STATUSES


class HrEmployeePublic(models.Model):
    """Colleagues without HR rights read employees through this view: it carries the
    telesales profile, except the ability grade, which is for leaders and up."""

    _inherit = "hr.employee.public"

    telesales_role = fields.Selection(TELESALES_ROLES, "Telesales Role", readonly=True)
    telesales_team_id = fields.Many2one("crm.team", "Telesales Team", readonly=True)
    telesales_rank_id = fields.Many2one("telesales.rank", "Rank", readonly=True)
    telesales_hire_date = fields.Date("Telesales Hire Date", readonly=True)
    telesales_live_date = fields.Date("Go-Live Date", readonly=True)
    telesales_status = fields.Selection(
        TELESALES_STATUSES, "Telesales Status", readonly=True)
    telesales_ability = fields.Selection(
        ABILITY_GRADES, "Ability Grade", readonly=True,
        groups="telesales_mgmt.group_telesales_leader,hr.group_hr_user")
