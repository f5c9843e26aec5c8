import json
import time

from odoo import SUPERUSER_ID, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from ..engines import cti


class TelesalesCti(http.Controller):
    """The phone system's webhook: signed batches of call events (see README, Phone system)."""

    @http.route("/telesales/cti/events", type="http", auth="none", methods=["POST"], csrf=False,
                save_session=False)
    def telesales_cti_events(self, **_params):
        httprequest = request.httprequest
        if (httprequest.content_length or 0) > cti.MAX_BODY_BYTES:
            return _error(413, "body", f"at most {cti.MAX_BODY_BYTES} bytes")
        body = httprequest.get_data()
        if len(body) > cti.MAX_BODY_BYTES:
            return _error(413, "body", f"at most {cti.MAX_BODY_BYTES} bytes")
        company = _signed_company(httprequest.headers, body)
        if not company:
            return _error(401, "X-Telesales-Signature", "missing, wrong or outside the time window")
        try:
            events = cti.parse_events(json.loads(body))
        except ValueError as error:  # malformed JSON, or an EventError naming the field
            return _error(400, getattr(error, "field", "body"), str(error))
        try:
            # A savepoint: a refused batch leaves nothing half-written.
            with request.env.cr.savepoint():
                # auth="none" has no user: the phone system acts as the superuser, after the
                # signature proved it is the phone system.
                results = request.env["telesales.call"].with_user(SUPERUSER_ID)._cti_receive(company, events)
        except (UserError, ValidationError) as error:
            return _error(400, "body", str(error))
        return request.make_json_response({"results": results})


def _signed_company(headers, body):
    """The company whose secret signed this body within the time window, or None."""
    company_id = headers.get("X-Telesales-Company", "")
    if not company_id.isdigit() or request.env is None:
        return None
    company = request.env["res.company"].sudo().browse(int(company_id)).exists()
    if not company or not company.telesales_cti_enabled:
        return None
    if not cti.signature_ok(company.telesales_cti_secret, headers.get("X-Telesales-Timestamp"),
                            body, headers.get("X-Telesales-Signature"), int(time.time())):
        return None
    return company


def _error(status, field, message):
    return request.make_json_response({"error": message, "field": field}, status=status)
