from odoo import fields, models, tools
from odoo.tools import SQL

from .crm_lead import CUSTOMER_GRADES


class TelesalesPoolLead(models.Model):
    """The shared lead pool (公海, R-LEAD-6) as agents see it: leads taken back from
    agents (recycled, or pulled back by a leader) that nobody holds, with the phone
    number masked. New leads are not here: allocation shares them out fairly, and
    agents cannot snatch them first. Agents cannot read unassigned leads themselves (a
    global rule on crm.lead), so the number stays masked in lists, forms, search,
    export and RPC alike; it shows in full once the lead is claimed. Do-not-call leads
    are not in the pool. The record id is the lead's id."""

    _name = "telesales.pool.lead"
    _description = "Shared Lead Pool"
    _auto = False
    _order = "telesales_grade, pool_date desc, id"
    # What the view reads: pending writes to these are flushed before it is queried.
    _depends = {
        "crm.lead": ["name", "partner_name", "phone", "city", "country_id", "source_id",
                     "medium_id", "tag_ids", "telesales_grade", "company_id",
                     "telesales_call_count", "telesales_last_call_date", "user_id", "active",
                     "telesales_do_not_call", "telesales_in_pool"],
        "telesales.allocation.log": ["lead_id", "date", "reason"],
    }

    lead_id = fields.Many2one("crm.lead", "Full Lead", readonly=True,
                              groups="telesales_mgmt.group_telesales_leader")
    name = fields.Char("Lead", readonly=True)
    partner_name = fields.Char("Company Name", readonly=True)
    phone_masked = fields.Char(
        "Phone", readonly=True,
        help="Masked until the lead is claimed: 138****5678 (a mobile number, without the "
        "country code), ****5678 (a shorter one).")
    city = fields.Char(readonly=True)
    country_id = fields.Many2one("res.country", "Country", readonly=True)
    source_id = fields.Many2one("utm.source", "Source", readonly=True)
    medium_id = fields.Many2one("utm.medium", "Medium", readonly=True)
    tag_ids = fields.Many2many("crm.tag", "crm_tag_rel", "lead_id", "tag_id", "Tags", readonly=True)
    telesales_grade = fields.Selection(CUSTOMER_GRADES, "Customer Grade", readonly=True)
    pool_date = fields.Datetime("In the Pool Since", readonly=True)
    pool_reason = fields.Char("Why", readonly=True, help="Why the lead came back to the pool.")
    company_id = fields.Many2one("res.company", readonly=True)
    create_date = fields.Datetime("Created On", readonly=True)
    telesales_call_count = fields.Integer("Calls", readonly=True)
    telesales_last_call_date = fields.Datetime("Last Call", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("""
            CREATE OR REPLACE VIEW %(view)s AS (
                SELECT l.id, l.id AS lead_id, l.name, l.partner_name, l.city, l.country_id,
                       l.source_id, l.medium_id, l.telesales_grade, l.company_id,
                       l.create_date, l.telesales_call_count, l.telesales_last_call_date,
                       g.date AS pool_date, g.reason AS pool_reason,
                       CASE WHEN length(d.digits) >= 11
                            THEN left(right(d.digits, 11), 3) || '****' || right(d.digits, 4)
                            WHEN length(d.digits) > 6 THEN '****' || right(d.digits, 4)
                            WHEN d.digits <> '' THEN '****' END AS phone_masked
                  FROM crm_lead l
                 CROSS JOIN LATERAL (
                       SELECT regexp_replace(COALESCE(l.phone, ''), '[^0-9]', '', 'g') AS digits) d
             LEFT JOIN LATERAL (
                       SELECT date, reason FROM telesales_allocation_log
                        WHERE lead_id = l.id ORDER BY date DESC, id DESC LIMIT 1) g ON true
                 WHERE l.telesales_in_pool AND l.active AND l.user_id IS NULL
                   AND NOT COALESCE(l.telesales_do_not_call, false)
            )
        """, view=SQL.identifier(self._table)))

    def action_claim(self):
        """Claim through the lead's one door, then open it: its number shows now."""
        self.ensure_one()
        lead = self.env["crm.lead"].browse(self.id)
        lead.action_telesales_claim()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": lead.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
