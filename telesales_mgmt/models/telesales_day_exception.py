from odoo import fields, models


class TelesalesDayException(models.Model):
    """A day that breaks the weekly schedule for the whole company: a public holiday on a
    weekday (放假) or a make-up working day on a weekend (调休上班). Odoo's calendars can
    remove days but not add a Saturday, hence this table (design notes)."""

    _name = "telesales.day.exception"
    _description = "Working Day Exception"
    _order = "date desc, id desc"

    name = fields.Char(required=True, translate=True, help="e.g. National Day (国庆节).")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    date = fields.Date(required=True, index=True)
    kind = fields.Selection(
        [("holiday", "Public holiday"), ("workday", "Make-up working day")],
        required=True, default="holiday")
    calendar_id = fields.Many2one(
        "resource.calendar", "Schedule of the Day", check_company=True,
        help="Make-up day only: whose Monday hours apply that day. Empty: Monday's hours "
        "of each employee's own schedule.")

    _unique_day = models.UniqueIndex(
        "(company_id, date)", "A day can have only one exception per company.")
