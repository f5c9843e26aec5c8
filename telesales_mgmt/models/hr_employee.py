from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

TELESALES_ROLES = [
    ("agent", "Agent"),
    ("leader", "Team Leader"),
    ("manager", "Department Manager"),
    ("service", "Customer Service"),
]
TELESALES_STATUSES = [("trainee", "Trainee"), ("live", "Live")]
ABILITY_GRADES = [("a", "A - strong"), ("b", "B - standard"), ("c", "C - developing")]
# Roles that work leads in CRM, and so need a user to own them.
ROLES_NEEDING_USER = ("agent", "leader", "manager")


class HrEmployee(models.Model):
    """The telesales profile of an employee: role, team, rank and go-live (R-ORG-1..3,
    R-TRN-2). The team is read from Odoo's team memberships, so CRM and HR agree."""

    _inherit = "hr.employee"

    # Fields without `groups` are mirrored on hr.employee.public so colleagues can read
    # them; HR edits them.

    telesales_role = fields.Selection(
        TELESALES_ROLES, "Telesales Role", tracking=True, index=True,
        help="The employee's job in the telesales department; empty for everyone else.")
    telesales_team_id = fields.Many2one(
        "crm.team", "Telesales Team", tracking=True, index=True, check_company=True,
        compute="_compute_telesales_team_id", inverse="_inverse_telesales_team_id",
        store=True, readonly=False, domain=[("is_telesales", "=", True)],
        help="The one telesales team the employee belongs to; it mirrors their user's "
        "membership of the team in CRM.")
    telesales_rank_id = fields.Many2one(
        "telesales.rank", "Rank", tracking=True, index=True,
        compute="_compute_telesales_rank_id", store=True, readonly=False,
        help="Rank on the agents' ladder; sets the base pay. Every change is kept in the "
        "rank history.")
    telesales_rank_history_ids = fields.One2many(
        "telesales.rank.history", "employee_id", "Rank History", groups="hr.group_hr_user")
    telesales_hire_date = fields.Date(
        "Telesales Hire Date", tracking=True,
        help="First day in the telesales department.")
    telesales_referred_by_id = fields.Many2one(
        "hr.employee", "Referred By", groups="hr.group_hr_user",
        help="Internal referral (内推, R-ORG-5): the referrer earns a bonus when this hire "
        "completes one month and again when they are confirmed (转正, Confirmation Date).")
    telesales_confirmation_date = fields.Date(
        "Confirmation Date", tracking=True, groups="hr.group_hr_user",
        help="End of probation (转正): the referrer's second referral bonus is due then (R-ORG-5).")
    telesales_live_date = fields.Date(
        "Go-Live Date", tracking=True,
        help="Day the agent passed training and started calling on their own (R-TRN-2).")
    telesales_status = fields.Selection(
        TELESALES_STATUSES, "Telesales Status",
        default="trainee", tracking=True,
        help="Trainees are not live yet: later rules (allocation, quotas) treat them apart.")
    telesales_ability = fields.Selection(
        ABILITY_GRADES, "Ability Grade", default="b", tracking=True,
        groups="telesales_mgmt.group_telesales_leader,hr.group_hr_user",
        help="Sales ability used to share out leads fairly (R-LEAD-2): A agents are "
        "offered the best leads first under grade-matching rules.")

    telesales_extension = fields.Char(
        "Phone Extension", groups="hr.group_hr_user", copy=False,
        help="The employee's extension on the phone system (分机号): its call events are "
        "matched to this employee. Unique per company.")

    telesales_allocation_excluded = fields.Boolean(
        "No New Leads", tracking=True, groups="hr.group_hr_user",
        help="Excluded by hand from lead allocation (e.g. during coaching).")

    _telesales_extension_unique = models.Constraint(
        "UNIQUE(company_id, telesales_extension)",
        "Each phone extension belongs to one employee of the company (Phone Extension).")

    @api.depends("user_id.crm_team_member_ids.active",
                 "user_id.crm_team_member_ids.crm_team_id.is_telesales")
    def _compute_telesales_team_id(self):
        for employee in self:
            memberships = employee.user_id.sudo().crm_team_member_ids.filtered(
                lambda m: m.crm_team_id.is_telesales)
            employee.telesales_team_id = memberships[:1].crm_team_id

    def _inverse_telesales_team_id(self):
        # sudo: HR officers own the profile but have no Sales rights; the membership is
        # the CRM side of the same fact and must follow it.
        Member = self.env["crm.team.member"].sudo().with_context(active_test=False)
        for employee in self:
            user = employee.user_id
            team = employee.telesales_team_id
            if not user:
                if team:
                    raise ValidationError(self.env._(
                        "%(employee)s needs a linked user to join team %(team)s: team "
                        "membership is held by the user.", employee=employee.name, team=team.name))
                continue
            memberships = Member.search([("user_id", "=", user.id),
                                         ("crm_team_id.is_telesales", "=", True)])
            memberships.filtered(lambda m: m.active and m.crm_team_id != team).active = False
            if team:
                current = memberships.filtered(lambda m: m.crm_team_id == team)
                if current:
                    current.active = True
                else:
                    Member.create({"crm_team_id": team.id, "user_id": user.id})

    @api.depends("telesales_role")
    def _compute_telesales_rank_id(self):
        for employee in self:
            if employee.telesales_role == "agent" and not employee.telesales_rank_id:
                employee.telesales_rank_id = employee.company_id.telesales_default_rank_id

    @api.constrains("telesales_role", "user_id")
    def _check_telesales_user(self):
        for employee in self:
            if employee.telesales_role in ROLES_NEEDING_USER and not employee.user_id:
                raise ValidationError(self.env._(
                    "%(employee)s has the telesales role '%(role)s' and needs a linked user "
                    "(field 'Related User'): leads, calls and targets belong to a user.",
                    employee=employee.name,
                    role=dict(self._fields["telesales_role"]._description_selection(self.env))[
                        employee.telesales_role]))

    @api.constrains("telesales_status", "telesales_live_date", "telesales_hire_date")
    def _check_telesales_dates(self):
        for employee in self:
            if employee.telesales_status == "live" and not employee.telesales_live_date:
                raise ValidationError(self.env._(
                    "%(employee)s is live but has no 'Go-Live Date': set the day they "
                    "passed training (R-TRN-2).", employee=employee.name))
            if (employee.telesales_live_date and employee.telesales_hire_date
                    and employee.telesales_live_date < employee.telesales_hire_date):
                raise ValidationError(self.env._(
                    "%(employee)s: the 'Go-Live Date' cannot be before the 'Telesales Hire "
                    "Date'.", employee=employee.name))

    @api.model_create_multi
    def create(self, vals_list):
        # A referred hire (内推) joins the referrer's team unless HR chose one (R-ORG-5).
        for vals in vals_list:
            if vals.get("telesales_referred_by_id") and "telesales_team_id" not in vals and vals.get("user_id"):
                team = self._telesales_referrer_team(vals["telesales_referred_by_id"])
                if team:
                    vals["telesales_team_id"] = team.id
        employees = super().create(vals_list)
        employees.filtered("telesales_rank_id")._log_rank_change({})
        employees.telesales_team_id._check_telesales_leader_is_member()
        return employees

    def write(self, vals):
        if not self.env.su and (vals.get("telesales_status") == "live" or "telesales_live_date" in vals):
            raise AccessError(self.env._(
                "A trainee goes live only through the Go Live button, after the onboarding training and "
                "exam (Telesales Status, Go-Live Date, R-TRN-2)."))
        old_ranks = ({employee: employee.telesales_rank_id for employee in self}
                     if "telesales_rank_id" in vals else {})
        old_teams = self.telesales_team_id if "telesales_team_id" in vals or "user_id" in vals else None
        joining = self.browse()
        if vals.get("telesales_referred_by_id") and "telesales_team_id" not in vals:
            joining = self.filtered(lambda employee: not employee.telesales_team_id)
        res = super().write(vals)
        joining = joining.filtered("user_id")
        if joining:
            team = self._telesales_referrer_team(vals["telesales_referred_by_id"])
            if team:
                joining.write({"telesales_team_id": team.id})
        if old_ranks:
            self.filtered(lambda e: e.telesales_rank_id != old_ranks[e])._log_rank_change(old_ranks)
        if old_teams is not None:
            (old_teams | self.telesales_team_id)._check_telesales_leader_is_member()
        return res

    def _telesales_referrer_team(self, referrer_id):
        # sudo: the referrer's team places the hire, for whoever may set the referral (HR);
        # it is public on the employee's profile anyway.
        return self.sudo().browse(referrer_id).telesales_team_id

    def _log_rank_change(self, old_ranks):
        if not self:
            return
        reason = self.env.context.get("telesales_rank_reason")
        self.env["telesales.rank.history"].sudo().create([{
            "employee_id": employee.id,
            "old_rank_id": old_ranks.get(employee, self.env["telesales.rank"]).id,
            "new_rank_id": employee.telesales_rank_id.id,
            "reason": reason,
        } for employee in self])

    def _telesales_onboarding_missing(self):
        """What this trainee still lacks before Go Live (R-TRN-2): the days of attended
        onboarding sessions (Settings › Onboarding Before Go-Live) and a passed attempt at
        the certification of an onboarding session. Empty when nothing is missing."""
        self.ensure_one()
        missing = []
        needed = self.company_id.telesales_onboarding_min_days
        days = {date for [date] in self.env["telesales.training.attendance"].sudo()._read_group(
            [("employee_id", "=", self.id), ("attended", "=", True), ("topic", "=", "onboarding"),
             ("session_id.state", "=", "done")], ["date:day"])}
        if len(days) < needed:
            missing.append(self.env._(
                "%(days)s of %(needed)s onboarding training days attended (Settings › Onboarding "
                "Before Go-Live)", days=len(days), needed=needed))
        surveys = self.env["telesales.training.session"].sudo().search([
            ("topic", "=", "onboarding"), ("survey_id", "!=", False),
            ("company_id", "=", self.company_id.id)]).survey_id
        partner = self.user_id.partner_id or self.work_contact_id
        passed = surveys and partner and self.env["survey.user_input"].sudo().search_count([
            ("survey_id", "in", surveys.ids), ("partner_id", "=", partner.id), ("state", "=", "done"),
            ("scoring_success", "=", True), ("test_entry", "=", False)], limit=1)
        if not passed:
            missing.append(self.env._("the onboarding exam is not passed (the certification of an "
                                      "onboarding session)"))
        return missing

    def action_telesales_view_appraisals(self):
        """The employee's appraisals (R-KPI-3): what the reader's rules let them see."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("telesales_mgmt.telesales_appraisal_action")
        action.update(domain=[("employee_id", "=", self.id)], context={"search_default_open": 0})
        return action

    def action_telesales_go_live(self):
        """Mark trainees as live from today, once they trained the days Settings ask for
        and passed the onboarding exam (R-TRN-2); otherwise say what is missing."""
        trainees = self.filtered(lambda e: e.telesales_status == "trainee")
        for employee in trainees:
            missing = employee._telesales_onboarding_missing()
            if missing:
                raise UserError(self.env._(
                    "%(employee)s cannot go live yet (R-TRN-2): %(missing)s.",
                    employee=employee.name, missing="; ".join(missing)))
        trainees.check_access("write")  # whoever edits the employee (HR) presses the button
        for employee in trainees:
            # sudo: going live is the gate's to write, once its rules were checked.
            employee.sudo().write({
                "telesales_status": "live",
                "telesales_live_date": employee.telesales_live_date or fields.Date.context_today(self),
            })
