from odoo import api, fields, models
from odoo.exceptions import ValidationError

WEEKDAYS = [("0", "Monday"), ("1", "Tuesday"), ("2", "Wednesday"), ("3", "Thursday"),
            ("4", "Friday"), ("5", "Saturday"), ("6", "Sunday")]


class TelesalesCallWindow(models.Model):
    """Hours of a weekday in which customers may be called (R-CALL-4). Meal and noon-rest
    times are the gaps between a day's windows; a make-up working day uses Monday's."""

    _name = "telesales.call.window"
    _description = "Calling Window"
    _order = "company_id, dayofweek, hour_from"

    company_id = fields.Many2one(
        "res.company", required=True, index=True, ondelete="cascade",
        default=lambda self: self.env.company)
    dayofweek = fields.Selection(WEEKDAYS, "Day of Week", required=True, default="0")
    hour_from = fields.Float("From", required=True, help="Local time, e.g. 9.5 for 09:30.")
    hour_to = fields.Float("To", required=True)

    @api.constrains("hour_from", "hour_to")
    def _check_hours(self):
        for window in self:
            if not 0 <= window.hour_from < window.hour_to <= 24:
                raise ValidationError(self.env._(
                    "Calling window %(day)s: 'From' must be before 'To', both within 0:00-24:00.",
                    day=window._fields["dayofweek"].convert_to_export(window.dayofweek, window)))
