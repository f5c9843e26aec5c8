from odoo import api, models
from odoo.exceptions import AccessError


class TelesalesComputedRecord(models.AbstractModel):
    """A record whose figures pay or penalise someone (statements, daily minimum results,
    attendance incidents): the system computes it, nobody types it (issue 12). Only the
    system (sudo, after the caller's right was checked by the button that asked) creates
    it or writes the fields listed in `_telesales_system_fields`; a context key changes
    nothing."""

    _name = "telesales.computed.record"
    _description = "Telesales Computed Record"
    _inherit = ["telesales.system.fields"]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._(
                "%(model)s records are made by the system, not by hand.", model=self._description))
        return super().create(vals_list)
