from collections import Counter

from odoo import api, fields, models


class TelesalesCtiLog(models.Model):
    """Phone-system events Odoo could not apply (an extension no employee has): kept for
    the administrator, never dropped silently."""

    _name = "telesales.cti.log"
    _description = "Phone System Error"
    _order = "id desc"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    call_ref = fields.Char("Phone System Call ID", required=True, readonly=True)
    event = fields.Char(required=True, readonly=True)
    extension = fields.Char(readonly=True)
    number = fields.Char(readonly=True)
    at = fields.Datetime("Event Time", readonly=True)
    reason = fields.Char(required=True, readonly=True)
    count = fields.Integer(
        "Received", default=1, readonly=True, help="How many times the phone system sent it.")

    _event_unique = models.Constraint(
        "UNIQUE(company_id, call_ref, event)", "An event is logged once; repeats are counted.")

    @api.model
    def _log_unknown(self, company, events):
        """Log events whose extension no employee of `company` has; a repeat counts up."""
        received = Counter((event.call_id, event.event) for event in events)
        if not received:
            return
        Log = self.sudo()
        logged = Log.search([("company_id", "=", company.id),
                             ("call_ref", "in", [call_ref for call_ref, _event in received])])
        for log in logged.filtered(lambda log: (log.call_ref, log.event) in received):
            log.count += received.pop((log.call_ref, log.event))
        first = {(event.call_id, event.event): event for event in reversed(events)}
        Log.create([{
            "company_id": company.id, "call_ref": call_ref, "event": name, "count": count,
            "extension": first[call_ref, name].extension, "number": first[call_ref, name].number,
            "at": first[call_ref, name].at,
            "reason": self.env._("No employee has extension %(extension)s (Phone Extension).",
                                 extension=first[call_ref, name].extension),
        } for (call_ref, name), count in received.items()])
