from odoo import models


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    def _filter_has_field_access(self, env):
        """The chatter shows changes of a customer's phone, e-mail or address only to
        whoever may see them now (R-DATA-2): the old and new values are contact data too."""
        visible = super()._filter_has_field_access(env)
        if env.su:
            return visible
        hidden = self.browse()
        for model_name, trackings in visible.grouped(lambda tracking: tracking.field_id.model).items():
            Model = env[model_name] if model_name in env else None
            guarded = trackings.filtered(
                lambda tracking: tracking.field_id.name in getattr(Model, "_telesales_contact_fields", ()))
            if guarded:
                masked = Model.browse(guarded.mail_message_id.mapped("res_id"))._telesales_masked_ids()
                hidden |= guarded.filtered(lambda tracking: tracking.mail_message_id.res_id in masked)
        return visible - hidden
