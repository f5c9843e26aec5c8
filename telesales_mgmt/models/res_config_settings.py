from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


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
    telesales_cti_enabled = fields.Boolean(related="company_id.telesales_cti_enabled", readonly=False)
    telesales_cti_provider = fields.Char(related="company_id.telesales_cti_provider", readonly=False)
    telesales_cti_secret = fields.Char(
        related="company_id.telesales_cti_secret", readonly=False, groups="telesales_mgmt.group_telesales_admin")
    telesales_cti_dial_url = fields.Char(related="company_id.telesales_cti_dial_url", readonly=False)
    telesales_cti_typed_counts = fields.Boolean(related="company_id.telesales_cti_typed_counts", readonly=False)
    telesales_recording_retention_days = fields.Integer(
        related="company_id.telesales_recording_retention_days", readonly=False)
    telesales_forced_distribution = fields.Boolean(
        related="company_id.telesales_forced_distribution", readonly=False)
    telesales_forced_s_share = fields.Float(related="company_id.telesales_forced_s_share", readonly=False)
    telesales_forced_a_share = fields.Float(related="company_id.telesales_forced_a_share", readonly=False)
    telesales_min_connected = fields.Integer(related="company_id.telesales_min_connected", readonly=False)
    telesales_min_talk_hours = fields.Float(related="company_id.telesales_min_talk_hours", readonly=False)
    telesales_cutoff_hour = fields.Float(related="company_id.telesales_cutoff_hour", readonly=False)
    telesales_first_call_morning = fields.Float(related="company_id.telesales_first_call_morning", readonly=False)
    telesales_first_call_afternoon = fields.Float(related="company_id.telesales_first_call_afternoon", readonly=False)
    telesales_behind_check_hour = fields.Float(related="company_id.telesales_behind_check_hour", readonly=False)
    telesales_overtime_hours = fields.Float(related="company_id.telesales_overtime_hours", readonly=False)
    telesales_coaching_days = fields.Integer(related="company_id.telesales_coaching_days", readonly=False)
    telesales_quality_sample_share = fields.Float(related="company_id.telesales_quality_sample_share", readonly=False)
    telesales_quality_sample_min = fields.Integer(related="company_id.telesales_quality_sample_min", readonly=False)
    telesales_quality_trainee_factor = fields.Float(
        related="company_id.telesales_quality_trainee_factor", readonly=False)
    telesales_quality_complaint_factor = fields.Float(
        related="company_id.telesales_quality_complaint_factor", readonly=False)
    telesales_quality_pass_score = fields.Float(related="company_id.telesales_quality_pass_score", readonly=False)
    telesales_onboarding_min_days = fields.Integer(
        related="company_id.telesales_onboarding_min_days", readonly=False)
    telesales_training_reward_amount = fields.Float(
        related="company_id.telesales_training_reward_amount", readonly=False)
    telesales_training_reward_min_score = fields.Float(
        related="company_id.telesales_training_reward_min_score", readonly=False)
    telesales_grade_recency_days = fields.Integer(related="company_id.telesales_grade_recency_days", readonly=False)
    telesales_grade_a_amount = fields.Float(related="company_id.telesales_grade_a_amount", readonly=False)
    telesales_grade_a_deals = fields.Integer(related="company_id.telesales_grade_a_deals", readonly=False)
    telesales_grade_b_amount = fields.Float(related="company_id.telesales_grade_b_amount", readonly=False)
    telesales_grade_b_deals = fields.Integer(related="company_id.telesales_grade_b_deals", readonly=False)
    telesales_allocation_cron = fields.Boolean(related="company_id.telesales_allocation_cron", readonly=False)
    telesales_allocation_checked_in = fields.Boolean(
        related="company_id.telesales_allocation_checked_in", readonly=False)
    # The allocation cron serves every company: its schedule is the database's.
    telesales_allocation_interval_number = fields.Integer(
        "Allocate Every", compute="_compute_telesales_allocation_interval", readonly=False, store=True,
        help="How often the cron shares out leads (R-LEAD-2).")
    telesales_allocation_interval_type = fields.Selection(
        [("minutes", "Minutes"), ("hours", "Hours"), ("days", "Days")], "Allocation Interval Unit",
        compute="_compute_telesales_allocation_interval", readonly=False, store=True)
    telesales_allowance_min_share = fields.Float(related="company_id.telesales_allowance_min_share", readonly=False)
    telesales_referral_bonus = fields.Monetary(related="company_id.telesales_referral_bonus", readonly=False)
    telesales_gate_min_achievement = fields.Float(related="company_id.telesales_gate_min_achievement", readonly=False)
    telesales_gate_min_sales_per_head = fields.Float(
        related="company_id.telesales_gate_min_sales_per_head", readonly=False)
    telesales_gate_max_attrition = fields.Float(related="company_id.telesales_gate_max_attrition", readonly=False)
    telesales_gate_min_quality = fields.Float(related="company_id.telesales_gate_min_quality", readonly=False)
    telesales_service_model_min_deals = fields.Integer(
        related="company_id.telesales_service_model_min_deals", readonly=False)
    telesales_bonus_coef_s = fields.Float(related="company_id.telesales_bonus_coef_s", readonly=False)
    telesales_bonus_coef_a = fields.Float(related="company_id.telesales_bonus_coef_a", readonly=False)
    telesales_bonus_coef_b = fields.Float(related="company_id.telesales_bonus_coef_b", readonly=False)
    telesales_bonus_coef_c = fields.Float(related="company_id.telesales_bonus_coef_c", readonly=False)
    telesales_bonus_coef_d = fields.Float(related="company_id.telesales_bonus_coef_d", readonly=False)
    telesales_allowance_min_achievement = fields.Float(
        related="company_id.telesales_allowance_min_achievement", readonly=False)
    telesales_allowance_needs_daily_minimum = fields.Boolean(
        related="company_id.telesales_allowance_needs_daily_minimum", readonly=False)
    telesales_annual_weighting = fields.Selection(related="company_id.telesales_annual_weighting", readonly=False)
    telesales_complaint_sla_days = fields.Integer(related="company_id.telesales_complaint_sla_days", readonly=False)
    telesales_complaint_risk_share = fields.Float(related="company_id.telesales_complaint_risk_share", readonly=False)
    telesales_grade_s_min = fields.Float(related="company_id.telesales_grade_s_min", readonly=False)
    telesales_grade_a_min = fields.Float(related="company_id.telesales_grade_a_min", readonly=False)
    telesales_grade_b_min = fields.Float(related="company_id.telesales_grade_b_min", readonly=False)
    telesales_grade_c_min = fields.Float(related="company_id.telesales_grade_c_min", readonly=False)
    telesales_appraisal_due_day = fields.Integer(related="company_id.telesales_appraisal_due_day", readonly=False)
    telesales_complaint_alias = fields.Char("Complaints E-mail", compute="_compute_telesales_complaint_alias",
                                            help="E-mails sent here become complaints, linked to the sender.")
    telesales_allocation_full_write = fields.Boolean(
        related="company_id.telesales_allocation_full_write", readonly=False)
    telesales_claim_daily_limit = fields.Integer(related="company_id.telesales_claim_daily_limit", readonly=False)
    telesales_claim_open_cap = fields.Integer(related="company_id.telesales_claim_open_cap", readonly=False)

    # ------------------------------------------------------------
    # The telesales administrator sets the department's rules (R-ORG-2) without being an
    # Odoo administrator: the telesales settings, and nothing else of Settings.
    # ------------------------------------------------------------

    def _telesales_admin_only(self):
        return not self.env.is_admin() and self.env.user.has_group("telesales_mgmt.group_telesales_admin")

    @api.model
    def _get_view_cache_key(self, view_id=None, view_type="form", **options):
        key = super()._get_view_cache_key(view_id, view_type, **options)
        return key + (bool(self.env.context.get("telesales_settings_only")) or self._telesales_admin_only(),)

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """Telesales › Configuration › Settings shows the Telesales app alone: the other
        apps' settings are for Odoo administrators, and loading them needs their rights.
        The web client keeps only lang and *_view_ref of the context when it loads views:
        a telesales administrator who is no Odoo administrator gets this view anyway."""
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "form" and (self.env.context.get("telesales_settings_only") or self._telesales_admin_only()):
            for app in arch.xpath("//app[@name!='telesales_mgmt']"):
                app.getparent().remove(app)
        return arch, view

    def _compute_display_name(self):
        if not self._telesales_admin_only():
            return super()._compute_display_name()
        # Named after the settings action, which only Odoo administrators read.
        action = self.env["ir.actions.act_window"].sudo().search([("res_model", "=", self._name)], limit=1)
        self.display_name = action.name or self._name
        return None

    @api.model
    def default_get(self, fields):
        if self._telesales_admin_only():
            # Settings read other apps' configuration too, which needs more than our rights.
            return super(ResConfigSettings, self.sudo()).default_get(fields)
        return super().default_get(fields)

    def _telesales_check_only_telesales(self, vals):
        """Refuse a value other than the current one for any setting outside Telesales."""
        foreign = [name for name in vals if name in self._fields and not name.startswith("telesales_")
                   and name not in models.MAGIC_COLUMNS]
        current = self.sudo().default_get(foreign)
        changed = [name for name in foreign
                   if self._fields[name].convert_to_cache(vals[name], self.sudo())
                   != self._fields[name].convert_to_cache(current.get(name, False), self.sudo())]
        if changed:
            raise AccessError(self.env._(
                "Only Odoo administrators change %(settings)s: the telesales administrator sets the "
                "Telesales settings.", settings=", ".join(self._fields[name].string for name in changed)))

    @api.model_create_multi
    def create(self, vals_list):
        if not self._telesales_admin_only():
            return super().create(vals_list)
        for vals in vals_list:
            self._telesales_check_only_telesales(vals)
        # The rules live on the company, which only Odoo administrators write.
        return super(ResConfigSettings, self.sudo()).create(vals_list).sudo(False)

    def write(self, vals):
        if self._telesales_admin_only():
            self._telesales_check_only_telesales(vals)
            return super(ResConfigSettings, self.sudo()).write(vals)
        return super().write(vals)

    def execute(self):
        if self._telesales_admin_only():
            return super(ResConfigSettings, self.sudo()).execute()
        return super().execute()

    def _telesales_allocation_cron(self):
        return self.env.ref("telesales_mgmt.ir_cron_allocate_leads", raise_if_not_found=False).sudo()

    def _compute_telesales_allocation_interval(self):
        cron = self._telesales_allocation_cron()
        for settings in self:
            settings.telesales_allocation_interval_number = cron.interval_number or 1
            settings.telesales_allocation_interval_type = cron.interval_type or "hours"

    @api.onchange("telesales_allocation_interval_number")
    def _onchange_telesales_allocation_interval_number(self):
        self._check_telesales_allocation_interval()

    def _check_telesales_allocation_interval(self):
        if not 1 <= self.telesales_allocation_interval_number <= 99:
            raise UserError(self.env._(
                "Allocate Every: give a number from 1 to 99 (change the unit for longer intervals)."))

    def set_values(self):
        super().set_values()
        cron = self._telesales_allocation_cron()
        if not cron:
            return
        self._check_telesales_allocation_interval()
        values = {"interval_number": self.telesales_allocation_interval_number,
                  "interval_type": self.telesales_allocation_interval_type}
        values = {name: value for name, value in values.items() if cron[name] != value}
        if values:
            cron.write(values)

    def _compute_telesales_complaint_alias(self):
        alias = self.env.ref("telesales_mgmt.mail_alias_complaint", raise_if_not_found=False)
        for settings in self:
            settings.telesales_complaint_alias = alias.sudo().alias_full_name if alias else False

    def action_telesales_attendance_policy(self):
        """The company's attendance policy (R-ATT-2 … R-ATT-5), made on first use."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Attendance Policy"),
            "res_model": "telesales.attendance.policy",
            "res_id": self.env["telesales.attendance.policy"]._for(self.env.company).id,
            "view_mode": "form",
            "target": "current",
        }
