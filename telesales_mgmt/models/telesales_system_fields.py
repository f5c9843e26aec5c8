from odoo import models
from odoo.exceptions import AccessError


class TelesalesSystemFields(models.AbstractModel):
    """Fields only the system writes (figures, states, decisions), listed in
    `_telesales_system_fields`: refused to every user whatever the context; the record's
    buttons write them as the system once their own checks passed."""

    _name = "telesales.system.fields"
    _description = "Telesales System Fields"

    # The fields only the system writes.
    _telesales_system_fields = ()

    def write(self, vals):
        self._telesales_refuse_system_fields(vals)
        return super().write(vals)

    def _telesales_refuse_system_fields(self, fnames):
        if self.env.su:
            return
        closed = sorted(set(fnames) & set(self._telesales_system_fields))
        if closed:
            raise AccessError(self._telesales_system_fields_message(
                ", ".join(self._fields[name].string for name in closed)))

    def _telesales_system_fields_message(self, labels):
        return self.env._("%(fields)s of %(model)s are computed by the system: use the record's buttons.",
                          fields=labels, model=self._description)
