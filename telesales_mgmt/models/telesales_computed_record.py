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

    # The fields only the system writes.
    _telesales_system_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._(
                "%(model)s records are made by the system, not by hand.", model=self._description))
        return super().create(vals_list)

    def write(self, vals):
        self._telesales_refuse_system_fields(vals)
        return super().write(vals)

    def _telesales_refuse_system_fields(self, fnames):
        if self.env.su:
            return
        closed = sorted(set(fnames) & set(self._telesales_system_fields))
        if closed:
            raise AccessError(self.env._(
                "%(fields)s of %(model)s are computed by the system: use the record's buttons.",
                fields=", ".join(self._fields[name].string for name in closed),
                model=self._description))
