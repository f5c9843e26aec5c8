"""Bad input gets a clear message (issue 12 §6).

Over XML-RPC and JSON-RPC a client can send anything: a string for a number, a talk time
beyond PostgreSQL's integer, a NUL byte in a note, an id that does not exist. Odoo hands
most of these to PostgreSQL, which answers with a raw error echoing SQL (DataError,
NumericValueOutOfRange, "A string literal cannot contain NUL", a foreign-key violation
worded as a deletion). This guard checks each value against its field's type before
`create` and `write` reach the database and refuses bad ones with a `ValidationError`
that names the field (its label, translated) and the value.

Scope: every field of the models this addon defines, and the fields this addon adds to
other models (crm.lead, res.partner, hr.employee, crm.team, res.company, settings...).
A field's introducing module is `field._modules[0]`: Odoo collects the modules that
define a field base definition first (`Field._get_attrs` in `orm/fields.py`); for a
field delegated through `_inherits` (hr.employee -> hr.version) the parent's field is
the one that counts. The fields to check are computed once per registry setup, in
`_post_model_setup__`; a create or write then costs one pass over its values, plus one
query per comodel for the existence of many2one ids (batched over all the records, and
only for ids not already in the transaction's cache).
"""
import math

from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.fields import Date, Datetime
from odoo.orm.identifiers import NewId

MODULE = "telesales_mgmt"
INT4_MIN, INT4_MAX = -2**31, 2**31 - 1
CHECKED_TYPES = frozenset({
    "integer", "float", "monetary", "char", "text", "html", "selection", "many2one",
    "date", "datetime", "boolean"})


def _introduced_by_addon(field):
    """Whether this addon introduced `field` (not merely extended another module's)."""
    while field.inherited and field.related_field is not None:
        field = field.related_field
    return bool(field._modules) and field._modules[0] == MODULE


def _shown(value, limit=40):
    """The value as the user sent it, short, without control characters."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


class Base(models.AbstractModel):
    _inherit = "base"

    def _post_model_setup__(self):
        super()._post_model_setup__()
        cls = type(self)
        ours = cls._original_module == MODULE
        cls._telesales_guarded_fields = {
            name: field for name, field in cls._fields.items()
            if field.type in CHECKED_TYPES and name != "id"
            and (ours or _introduced_by_addon(field))}

    @api.model_create_multi
    def create(self, vals_list):
        if type(self).__dict__.get("_telesales_guarded_fields"):
            self._telesales_check_input(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if type(self).__dict__.get("_telesales_guarded_fields"):
            self._telesales_check_input([vals])
        return super().write(vals)

    # ------------------------------------------------------------------------------------
    @api.model
    def _telesales_check_input(self, vals_list):
        """Refuse values that do not fit their field's type (see the module docstring)."""
        guarded = self._telesales_guarded_fields
        wanted = {}  # {comodel: {id: field}} for the existence check
        for vals in vals_list:
            for name, value in vals.items():
                field = guarded.get(name)
                if field is None or value is None or value is False:
                    continue
                check = getattr(self, f"_telesales_check_{field.type}")
                record_id = check(field, value)
                if record_id:
                    wanted.setdefault(field.comodel_name, {}).setdefault(record_id, field)
        for comodel, ids in wanted.items():
            Comodel = self.env[comodel]
            # Records this transaction created or read are in the cache: they exist.
            known = self.env.transaction.field_data.get(Comodel._fields.get("write_date"), ())
            unknown = [record_id for record_id in ids if record_id not in known]
            if not unknown:
                continue
            found = set(Comodel.browse(unknown).sudo().exists().ids)
            missing = [record_id for record_id in unknown if record_id not in found]
            if missing:
                self._telesales_missing(ids[missing[0]], missing[0])

    def _telesales_missing(self, field, record_id):
        model = self.env["ir.model"].sudo()._get(field.comodel_name)
        raise ValidationError(self.env._(
            "%(field)s: %(model)s %(id)s does not exist.",
            field=field._description_string(self.env), model=model.name or field.comodel_name,
            id=record_id))

    def _telesales_check_integer(self, field, value):
        # A float without a fraction (3.0, as SQL sums and JSON clients give) is stored as
        # is; 12.5 would be truncated by Odoo without a word, so it is refused.
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        if isinstance(value, bool) or not whole or not INT4_MIN <= value <= INT4_MAX:
            raise ValidationError(self.env._(
                "%(field)s: %(value)s is not a whole number between %(min)s and %(max)s.",
                field=field._description_string(self.env), value=_shown(value),
                min=INT4_MIN, max=INT4_MAX))

    def _telesales_check_float(self, field, value):
        try:
            finite = not isinstance(value, bool) and isinstance(value, (int, float)) \
                and math.isfinite(float(value))
        except OverflowError:
            finite = False
        if not finite:
            raise ValidationError(self.env._(
                "%(field)s: %(value)s is not a finite number.",
                field=field._description_string(self.env), value=_shown(value)))

    _telesales_check_monetary = _telesales_check_float

    def _telesales_check_char(self, field, value):
        if not isinstance(value, str):
            raise ValidationError(self.env._(
                "%(field)s: %(value)s is not text.",
                field=field._description_string(self.env), value=_shown(value)))
        if "\x00" in value:
            raise ValidationError(self.env._(
                "%(field)s: the text contains a NUL character (\\x00), which cannot be stored.",
                field=field._description_string(self.env)))

    _telesales_check_text = _telesales_check_char
    _telesales_check_html = _telesales_check_char

    def _telesales_check_selection(self, field, value):
        allowed = field.get_values(self.env)
        if value not in allowed:
            raise ValidationError(self.env._(
                "%(field)s: %(value)s is not one of the allowed values (%(allowed)s).",
                field=field._description_string(self.env), value=_shown(value),
                allowed=", ".join(str(key) for key in allowed)))

    def _telesales_check_many2one(self, field, value):
        """Return the id to look up, or None when there is nothing to look up."""
        if isinstance(value, (models.BaseModel, NewId)):
            return None  # a record from the server's own code: it exists
        if isinstance(value, (tuple, list)) and value:
            value = value[0]  # Odoo also accepts (id, name) pairs
        if value == 0 and not isinstance(value, bool):
            return None  # Odoo stores 0 as "no record"
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValidationError(self.env._(
                "%(field)s: %(value)s is not a record id.",
                field=field._description_string(self.env), value=_shown(value)))
        if value > INT4_MAX:
            self._telesales_missing(field, value)
        return value

    def _telesales_check_date(self, field, value):
        try:
            parsed = Date.to_date(value) if isinstance(value, str) or hasattr(value, "year") else None
        except (ValueError, TypeError):
            parsed = None
        if parsed is None:
            raise ValidationError(self.env._(
                "%(field)s: %(value)s is not a date (expected YYYY-MM-DD).",
                field=field._description_string(self.env), value=_shown(value)))

    def _telesales_check_datetime(self, field, value):
        try:
            parsed = Datetime.to_datetime(value) if isinstance(value, str) or hasattr(value, "year") else None
        except (ValueError, TypeError):
            parsed = None
        if parsed is None:
            raise ValidationError(self.env._(
                "%(field)s: %(value)s is not a date and time (expected YYYY-MM-DD HH:MM:SS, UTC).",
                field=field._description_string(self.env), value=_shown(value)))

    def _telesales_check_boolean(self, field, value):
        if not isinstance(value, bool):
            raise ValidationError(self.env._(
                "%(field)s: %(value)s is not true or false.",
                field=field._description_string(self.env), value=_shown(value)))
