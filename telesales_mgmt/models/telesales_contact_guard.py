import re
from contextvars import ContextVar

from odoo import models
from odoo.exceptions import AccessError
from odoo.tools import SQL

# While the ORM loads rows into its cache, columns are read as stored: the cache is shared
# by every environment of the transaction (sudo included), and a masked value there would
# end up in stored computations. Values are masked where they leave the server (read,
# export) and wherever SQL compares, sorts or groups them for the user.
_loading_cache = ContextVar("telesales_loading_cache", default=False)


def mask_phone(number):
    """138****5678 for a mobile number, ****5678 for a shorter one, as the pool shows."""
    digits = re.sub(r"\D", "", number or "")
    if len(digits) >= 11:
        return f"{digits[-11:-8]}****{digits[-4:]}"
    if len(digits) > 6:
        return f"****{digits[-4:]}"
    return "****" if digits else ""


def mask_email(email):
    local, _at, _domain = (email or "").partition("@")
    return f"{local[:1]}***@***" if email else email


class TelesalesContactGuard(models.AbstractModel):
    """Customer contact data (phone, e-mail, address) that only the people entitled to a
    customer may see (R-DATA-2). A model lists its guarded fields and says, as an SQL
    condition on a row, who is entitled; the guard then masks those fields in every door:
    read, search_read, web_read, export, and the SQL of search domains, ordering and
    read_group, so that guessing digits with `like` or sorting reveals nothing either."""

    _name = "telesales.contact.guard"
    _description = "Customer Contact Data Guard"

    # Field names whose values are masked for rows the user is not entitled to.
    _telesales_contact_fields = ()

    def _field_to_sql(self, alias, field_expr, query=None):
        sql = super()._field_to_sql(alias, field_expr, query)
        if self._telesales_masking(field_expr.split(".")[0]):
            # a hook: None here, the models that mix this in return their condition
            condition = self._telesales_entitled_sql(alias)  # pylint: disable=assignment-from-none
            if condition is not None:
                sql = SQL("(CASE WHEN %s THEN %s END)", condition, sql)
        return sql

    def _fetch_query(self, query, fields):
        token = _loading_cache.set(True)
        try:
            return super()._fetch_query(query, fields)
        finally:
            _loading_cache.reset(token)

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load)
        guarded = [fname for fname in fnames if self._telesales_masking(fname)]
        masked = self._telesales_masked_ids() if guarded else ()
        for values in result:
            if values["id"] in masked:
                for fname in guarded:
                    values[fname] = self._telesales_mask_value(fname, values[fname])
        return result

    def write(self, vals):
        # What one may not read, one does not overwrite either.
        guarded = [fname for fname in vals if self._telesales_masking(fname)]
        if guarded and self._telesales_masked_ids():
            raise AccessError(self.env._(
                "You cannot change %(fields)s of a customer you do not work (R-DATA-2).",
                fields=", ".join(self._fields[fname].string for fname in guarded)))
        return super().write(vals)

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        columns = [index for index, path in enumerate(fields) if path and self._telesales_masking(path[0])]
        masked = self._telesales_masked_ids() if columns else ()
        if not masked:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        # One record at a time, so that each record's first line can be masked.
        lines = []
        for record in self:
            record_lines = super(TelesalesContactGuard, record)._export_rows(
                fields, _is_toplevel_call=_is_toplevel_call)
            if record.id in masked and record_lines:
                for index in columns:
                    record_lines[0][index] = self._telesales_mask_value(fields[index][0], record_lines[0][index]) or ""
            lines += record_lines
        return lines

    def _telesales_entitled_sql(self, alias):
        """An SQL condition on the row `alias` that holds when the current user may see its
        contact data, or None when the user may see every row's."""
        return None

    def _telesales_masking(self, fname):
        return fname in self._telesales_contact_fields and not self.env.su and not _loading_cache.get()

    def _telesales_masked_ids(self):
        """The ids of these records whose contact data the current user may not see."""
        ids = tuple(id_ for id_ in self._ids if isinstance(id_, int))
        condition = self._telesales_entitled_sql(self._table) if ids and not self.env.su else None
        if condition is None:
            return set()
        self.flush_model()
        rows = self.env.execute_query(SQL(
            "SELECT id FROM %s WHERE id IN %s AND NOT COALESCE(%s, FALSE)",
            SQL.identifier(self._table), ids, condition))
        return {id_ for [id_] in rows}

    def _telesales_mask_value(self, fname, value):
        if not value:
            return value
        if isinstance(value, str) and "phone" in fname:
            return mask_phone(value)
        if isinstance(value, str) and "email" in fname:
            return mask_email(value)
        return False
