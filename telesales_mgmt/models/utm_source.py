from odoo import api, fields, models


class UtmSource(models.Model):
    """Lead sources (R-LEAD-1) read in the user's language. Odoo keys sources by their
    untranslated, unique name, so the translation lives in a label beside it."""

    _inherit = "utm.source"
    _rec_names_search = ["name", "telesales_label"]

    telesales_label = fields.Char(
        "Label", translate=True,
        help="The source's name as users read it, in their own language. The Source Name stays "
             "the unique key the website and mailings match on.")

    @api.depends("telesales_label")
    @api.depends_context("lang")
    def _compute_display_name(self):
        super()._compute_display_name()
        for source in self.filtered("telesales_label"):
            source.display_name = source.telesales_label
