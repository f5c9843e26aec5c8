from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    telesales_department_id = fields.Many2one(
        related="company_id.telesales_department_id", readonly=False)
    telesales_default_rank_id = fields.Many2one(
        related="company_id.telesales_default_rank_id", readonly=False)
    telesales_tz = fields.Selection(related="company_id.telesales_tz", readonly=False)
    telesales_connected_min_seconds = fields.Integer(
        related="company_id.telesales_connected_min_seconds", readonly=False)
    telesales_effective_min_seconds = fields.Integer(
        related="company_id.telesales_effective_min_seconds", readonly=False)
    telesales_window_mode = fields.Selection(
        related="company_id.telesales_window_mode", readonly=False)
    telesales_dnc_on_refusal = fields.Boolean(
        related="company_id.telesales_dnc_on_refusal", readonly=False)
    telesales_no_progress_limit = fields.Integer(
        related="company_id.telesales_no_progress_limit", readonly=False)
    telesales_min_connected = fields.Integer(related="company_id.telesales_min_connected", readonly=False)
    telesales_min_talk_hours = fields.Float(related="company_id.telesales_min_talk_hours", readonly=False)
    telesales_cutoff_hour = fields.Float(related="company_id.telesales_cutoff_hour", readonly=False)
    telesales_first_call_morning = fields.Float(related="company_id.telesales_first_call_morning", readonly=False)
    telesales_first_call_afternoon = fields.Float(related="company_id.telesales_first_call_afternoon", readonly=False)
    telesales_overtime_hours = fields.Float(related="company_id.telesales_overtime_hours", readonly=False)
    telesales_coaching_days = fields.Integer(related="company_id.telesales_coaching_days", readonly=False)
    telesales_grade_recency_days = fields.Integer(related="company_id.telesales_grade_recency_days", readonly=False)
    telesales_grade_a_amount = fields.Float(related="company_id.telesales_grade_a_amount", readonly=False)
    telesales_grade_a_deals = fields.Integer(related="company_id.telesales_grade_a_deals", readonly=False)
    telesales_grade_b_amount = fields.Float(related="company_id.telesales_grade_b_amount", readonly=False)
    telesales_grade_b_deals = fields.Integer(related="company_id.telesales_grade_b_deals", readonly=False)
    telesales_allocation_cron = fields.Boolean(related="company_id.telesales_allocation_cron", readonly=False)
    telesales_allocation_checked_in = fields.Boolean(
        related="company_id.telesales_allocation_checked_in", readonly=False)
    telesales_allocation_full_write = fields.Boolean(
        related="company_id.telesales_allocation_full_write", readonly=False)
    telesales_claim_daily_limit = fields.Integer(related="company_id.telesales_claim_daily_limit", readonly=False)
    telesales_claim_open_cap = fields.Integer(related="company_id.telesales_claim_open_cap", readonly=False)
