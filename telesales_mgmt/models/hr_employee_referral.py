from odoo import api, models


class HrEmployee(models.Model):
    """A referred hire (内推) joins the referrer's telesales team (R-ORG-5), unless HR
    chooses a team: set with the referral when the hire has a user and no team yet.
    Kept apart from hr_employee.py so the referral rule reads in one place."""

    _inherit = "hr.employee"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("telesales_referred_by_id") and "telesales_team_id" not in vals and vals.get("user_id"):
                team = self._telesales_referrer_team(vals["telesales_referred_by_id"])
                if team:
                    vals["telesales_team_id"] = team.id
        return super().create(vals_list)

    def write(self, vals):
        joining = self.browse()
        if vals.get("telesales_referred_by_id") and "telesales_team_id" not in vals:
            joining = self.filtered(lambda employee: not employee.telesales_team_id)
        result = super().write(vals)
        team = self._telesales_referrer_team(vals["telesales_referred_by_id"]) if joining else None
        joining = joining.filtered("user_id")
        if team and joining:
            joining.write({"telesales_team_id": team.id})
        return result

    def _telesales_referrer_team(self, referrer_id):
        # sudo: the referrer's team is read to place the hire, by whoever may set the
        # referral (HR); it is public on the employee's profile anyway.
        return self.sudo().browse(referrer_id).telesales_team_id
