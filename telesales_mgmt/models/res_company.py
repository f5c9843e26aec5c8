from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.base.models.res_partner import _tz_get

from .telesales_call import day_bounds_utc, local_hour_and_day
from .telesales_workday import MAKE_UP_WEEKDAY

DEFAULT_TZ = "Asia/Shanghai"


class ResCompany(models.Model):
    _inherit = "res.company"

    telesales_department_id = fields.Many2one(
        "hr.department", "Telesales Department",
        help="The department (电销部) whose employees the telesales rules apply to.")
    telesales_default_rank_id = fields.Many2one(
        "telesales.rank", "Rank of New Agents",
        help="Rank given to a new agent who has none yet (usually the trainee rank).")

    telesales_tz = fields.Selection(
        _tz_get, "Telesales Time Zone", default=DEFAULT_TZ, required=True,
        help="Local time of the department: calling windows, days and daily figures.")

    # Calls (R-CALL-2, R-CALL-4, R-LEAD-5)
    telesales_connected_min_seconds = fields.Integer(
        "Connected From (s)", default=1,
        help="Minimum talk time for an answered call to count as connected (接通).")
    telesales_effective_min_seconds = fields.Integer(
        "Effective From (s)", default=60,
        help="Minimum talk time for an effective, intent or deal call to count as an "
        "effective conversation (有效沟通).")
    telesales_window_mode = fields.Selection(
        [("block", "Block the call"), ("warn", "Log it with a warning")],
        "Outside Calling Hours", default="block", required=True)
    telesales_call_window_ids = fields.One2many(
        "telesales.call.window", "company_id", "Calling Windows")
    telesales_dnc_on_refusal = fields.Boolean(
        "Do-Not-Call on Refusal", default=True,
        help="A call with the outcome 'Refused' puts the customer on the do-not-call list.")
    telesales_no_progress_limit = fields.Integer(
        "Contacts Without Progress", default=3,
        help="After this many contacts without progress a further call needs the "
        "manager's approval (R-LEAD-5). 0 disables the rule.")

    # Daily work minimum (R-CALL-5)
    telesales_min_connected = fields.Integer(
        "Connected Calls per Day", default=40, help="Connected calls (接通) due by the cut-off.")
    telesales_min_talk_hours = fields.Float(
        "Talk Hours per Day", default=3.5, help="Talk time (通时) due by the cut-off.")
    telesales_cutoff_hour = fields.Float(
        "Daily Cut-off", default=18.0, help="Local time by which the daily minimum is due.")
    telesales_first_call_morning = fields.Float(
        "First Call Before (Morning)", default=9.5,
        help="The first call of the day is dialled before this time.")
    telesales_first_call_afternoon = fields.Float(
        "First Call Before (Afternoon)", default=14.0,
        help="The first call after lunch is dialled before this time.")
    telesales_overtime_hours = fields.Float(
        "Overtime When Short", default=1.0,
        help="Overtime (加班) owed by an agent who missed the day's minimum.")
    telesales_behind_check_hour = fields.Float(
        "Behind-the-Minimum Check At", default=16.0,
        help="Local time from which the team board flags agents behind the daily minimum, and "
        "at which each team leader gets one activity per agent behind (R-CALL-5). Behind: on a "
        "working day, the connected calls or the talk time counted for the minimum are below "
        "the share of the minimum that the calling hours elapsed by then represent (at 16:00 "
        "with calling windows 09:00-12:00 and 13:30-18:30 and an 18:00 cut-off, 73 %: 30 of 40 "
        "calls, 2.6 of 3.5 hours), or a first-call deadline was missed. Agents on leave or on "
        "a holiday are never behind.")

    telesales_coaching_days = fields.Integer(
        "Coaching After Days Without a Deal", default=2,
        help="A trainee without a deal for this many working days is coached by their "
        "leader (R-CALL-6). 0 disables it.")

    # Call quality inspection (质检, R-CALL-7): the weekly sample and the pass score
    telesales_quality_sample_share = fields.Float(
        "Calls Sampled (%)", default=5.0,
        help="Share of each agent's recorded effective calls of last week drawn for inspection (R-CALL-7).")
    telesales_quality_sample_min = fields.Integer(
        "Calls Sampled at Least", default=2,
        help="Each agent gets at least this many calls inspected a week, when they made that many.")
    telesales_quality_trainee_factor = fields.Float(
        "Sample Factor for Trainees", default=2.0, help="Trainees get this many times the sample.")
    telesales_quality_complaint_factor = fields.Float(
        "Sample Factor after Complaints", default=2.0,
        help="Agents with a complaint in the last four weeks get this many times the sample.")
    telesales_quality_pass_score = fields.Float(
        "Quality Pass Score", default=80.0,
        help="An inspection passes from this score (out of 100) when no fatal criterion failed (R-CALL-7).")

    # Training (R-TRN-2, R-INC-3)
    telesales_onboarding_min_days = fields.Integer(
        "Onboarding Days Before Go-Live", default=5,
        help="Days of attended onboarding training a new hire needs before Go Live (R-TRN-2).")
    telesales_training_reward_amount = fields.Float(
        "Training Reward", default=0.0,
        help="Reward for an evaluated, passed training whose exam score reaches the "
        "threshold (R-INC-3); 0 pays no reward.")
    telesales_training_reward_min_score = fields.Float(
        "Training Reward From Score", default=90.0,
        help="The exam score (%) from which a passed training earns the reward (R-INC-3).")

    # Customer grades (R-LEAD-3), from won deals within the recency window
    telesales_grade_recency_days = fields.Integer("Grade Window (days)", default=365)
    telesales_grade_a_amount = fields.Float("A From Amount", default=50000)
    telesales_grade_a_deals = fields.Integer("A From Deals", default=3)
    telesales_grade_b_amount = fields.Float("B From Amount", default=10000)
    telesales_grade_b_deals = fields.Integer("B From Deals", default=1)

    # Lead allocation (R-LEAD-2)
    telesales_allocation_cron = fields.Boolean(
        "Allocate by Cron", default=True,
        help="Share pool leads among teams, and team leads among agents, on the cron's schedule.")
    telesales_allocation_checked_in = fields.Boolean(
        "Only Checked-in Agents",
        help="Agents receive leads only once they have checked in today (R-ATT-1).")
    telesales_allocation_full_write = fields.Boolean(
        "Track Every Assignment",
        help="Write every assignment through the full ORM: a chatter line on each lead, "
        "automation rules and notifications. Much slower on large runs; off, large "
        "batches are written in a few SQL statements and logged in the allocation log.")

    telesales_claim_daily_limit = fields.Integer(
        "Claims per Day", default=20,
        help="Leads an agent may claim from the pool per day (R-LEAD-6). 0: no claiming.")
    telesales_claim_open_cap = fields.Integer(
        "Open Leads Cap", default=200,
        help="An agent holding this many open leads receives no more by a claim, a move or an "
        "edit (allocation rules have caps of their own). 0: no cap.")

    # Incentives (R-ORG-4, R-ORG-5)
    telesales_allowance_min_share = fields.Float(
        "Allowance: Minimum Met on (%)", default=80.0,
        help="The new-hire allowance is paid only when the daily work minimum was met on at "
        "least this share of the month's judged working days (R-ORG-4).")
    telesales_referral_bonus = fields.Monetary(
        "Referral Bonus", default=100.0, currency_field="currency_id",
        help="Paid to the referrer when the referred hire completes one month, and again when "
        "they are confirmed at the end of probation (转正, R-ORG-5).")

    # Hiring gate (增员, R-ORG-6): what a team must have met last month to hire
    telesales_gate_min_achievement = fields.Float(
        "Hiring: Minimum Achievement (%)", default=85.0,
        help="The team's sales against its targets last month (R-ORG-6).")
    telesales_gate_min_sales_per_head = fields.Float(
        "Hiring: Minimum Sales per Head", default=12000.0,
        help="The team's sales last month divided by its average number of agents (R-ORG-6).")
    telesales_gate_max_attrition = fields.Float(
        "Hiring: Maximum Attrition (%)", default=40.0,
        help="Agents who left the team last month divided by its average number of agents (R-ORG-6).")
    telesales_gate_min_quality = fields.Float(
        "Hiring: Minimum Call Quality (%)", default=90.0,
        help="Share of the team's inspected calls that passed last month (R-ORG-6, R-CALL-7).")

    telesales_service_model_min_deals = fields.Integer(
        "Service Model: Minimum Deals", default=3,
        help="Deals an agent needs in the month to be Customer Service Model (R-INC-2).")

    # Performance bonus, allowance and the annual appraisal (R-INC-1, R-ORG-4, R-KPI-3)
    telesales_bonus_coef_s = fields.Float("Bonus Coefficient S", default=1.5, digits=(16, 2))
    telesales_bonus_coef_a = fields.Float("Bonus Coefficient A", default=1.2, digits=(16, 2))
    telesales_bonus_coef_b = fields.Float("Bonus Coefficient B", default=1.0, digits=(16, 2))
    telesales_bonus_coef_c = fields.Float("Bonus Coefficient C", default=0.6, digits=(16, 2))
    telesales_bonus_coef_d = fields.Float("Bonus Coefficient D", default=0.0, digits=(16, 2))
    telesales_allowance_min_achievement = fields.Float(
        "Allowance: Minimum Achievement (%)", default=100.0,
        help="The new-hire allowance is paid when the month's appraisal shows at least this "
        "target achievement (R-ORG-4).")
    telesales_allowance_needs_daily_minimum = fields.Boolean(
        "Allowance: Daily Minimum Too",
        help="Also require the daily work minimum on the share of days set above (R-ORG-4).")
    telesales_annual_weighting = fields.Selection(
        [("equal", "Equal Months"), ("recent", "Last Quarter Double")], "Annual Appraisal Weighting",
        default="equal", required=True,
        help="How the twelve monthly results make the annual appraisal (R-KPI-3).")

    # Phone system (R-CALL-2, R-CALL-5)
    telesales_cti_enabled = fields.Boolean(
        "Phone System", help="Calls come from the phone system's events: it measures start, "
        "ring and talk time; agents log what was said.")
    telesales_cti_provider = fields.Char("Phone System Provider", help="Name of the phone system or cloud call centre.")
    telesales_cti_secret = fields.Char(
        "Phone System Secret", groups="telesales_mgmt.group_telesales_admin", copy=False,
        help="Shared secret that signs the phone system's events and Odoo's dial requests "
        "(HMAC-SHA256). At least 16 characters.")
    telesales_cti_dial_url = fields.Char(
        "Dial URL", help="Optional: Odoo POSTs a signed dial request with the agent's "
        "extension here. Empty: the Call button opens a tel: link (softphone or phone).")
    telesales_cti_typed_counts = fields.Boolean(
        "Typed Calls Count", help="Calls typed by hand still count toward the daily minimum "
        "while the phone system is on. Off: they stay in the log, marked typed (R-CALL-5).")
    telesales_recording_retention_days = fields.Integer(
        "Keep Recordings (days)", default=180,
        help="Recordings older than this are removed every night; the call stays. 0 keeps them.")

    # Appraisal: forced distribution (R-KPI-4)
    telesales_forced_distribution = fields.Boolean(
        "Forced Distribution", help="At HR consolidation, at most a share of each team's "
        "appraisals of a period get S, then A; the others step down one grade, with the rule shown.")
    telesales_forced_s_share = fields.Float("S at Most (%)", default=10.0)
    telesales_forced_a_share = fields.Float("A at Most (%)", default=20.0)

    # Complaints (R-CMP-2)
    telesales_complaint_sla_days = fields.Integer(
        "Complaint Deadline (Working Days)", default=2,
        help="Working days to answer and solve a general complaint, unless a deadline rule "
        "for its category or severity says otherwise (R-CMP-2).")
    telesales_complaint_risk_share = fields.Float(
        "Complaint At Risk From (%)", default=75.0,
        help="A complaint is at risk once this share of the time to its deadline is used: "
        "its responsible person gets an activity.")

    # Appraisal grades and due day (R-KPI-3, R-KPI-4)
    telesales_grade_s_min = fields.Float("Grade S From", default=95.0, help="Lowest total score graded S.")
    telesales_grade_a_min = fields.Float("Grade A From", default=85.0, help="Lowest total score graded A.")
    telesales_grade_b_min = fields.Float("Grade B From", default=70.0, help="Lowest total score graded B.")
    telesales_grade_c_min = fields.Float(
        "Grade C From", default=60.0, help="Lowest total score graded C; below it, D.")
    telesales_appraisal_due_day = fields.Integer(
        "Appraisal Due Day", default=10,
        help="Day of the next month by which a monthly appraisal is done (R-KPI-3).")

    @api.constrains("telesales_grade_s_min", "telesales_grade_a_min", "telesales_grade_b_min",
                    "telesales_grade_c_min", "telesales_appraisal_due_day")
    def _check_telesales_appraisal(self):
        for company in self:
            s, a, b, c = (company.telesales_grade_s_min, company.telesales_grade_a_min,
                          company.telesales_grade_b_min, company.telesales_grade_c_min)
            if not s > a > b > c > 0:
                raise ValidationError(self.env._(
                    "Grade bands: the lowest scores must descend, S > A > B > C > 0, not S %(s)s, A %(a)s, "
                    "B %(b)s, C %(c)s (R-KPI-4).", s=s, a=a, b=b, c=c))
            if not 1 <= company.telesales_appraisal_due_day <= 28:
                raise ValidationError(self.env._(
                    "Appraisal Due Day: a day from 1 to 28 of the next month, not %(day)s (R-KPI-3).",
                    day=company.telesales_appraisal_due_day))

    @api.constrains("telesales_behind_check_hour")
    def _check_telesales_behind_check_hour(self):
        for company in self:
            if not 0 <= company.telesales_behind_check_hour < 24:
                raise ValidationError(self.env._(
                    "Behind-the-Minimum Check At: a time of day from 00:00 to 23:59, not %(hour)s (R-CALL-5).",
                    hour=company.telesales_behind_check_hour))

    @api.constrains("telesales_forced_s_share", "telesales_forced_a_share")
    def _check_telesales_forced_distribution(self):
        for company in self:
            for share in (company.telesales_forced_s_share, company.telesales_forced_a_share):
                if not 0 <= share <= 100:
                    raise ValidationError(self.env._(
                        "S at Most and A at Most (Forced Distribution) are shares between 0 and 100 % (R-KPI-4)."))

    @api.constrains("telesales_cti_enabled", "telesales_cti_secret", "telesales_recording_retention_days")
    def _check_telesales_cti(self):
        for company in self.sudo():
            if company.telesales_cti_enabled and len(company.telesales_cti_secret or "") < 16:
                raise ValidationError(self.env._(
                    "Set a shared secret of at least 16 characters (Phone System Secret) before "
                    "turning the phone system on: it signs every call event."))
            if company.telesales_recording_retention_days < 0:
                raise ValidationError(self.env._("Keep Recordings (days) cannot be negative."))

    @api.constrains("telesales_complaint_sla_days", "telesales_complaint_risk_share")
    def _check_telesales_complaint_sla(self):
        for company in self:
            if company.telesales_complaint_sla_days < 1:
                raise ValidationError(self.env._(
                    "Complaint Deadline: at least 1 working day (R-CMP-2), not %(days)s.",
                    days=company.telesales_complaint_sla_days))
            if not 0 < company.telesales_complaint_risk_share < 100:
                raise ValidationError(self.env._(
                    "Complaint At Risk From: a share between 0 and 100 %%, not %(share)s.",
                    share=company.telesales_complaint_risk_share))

    # Attendance (R-ATT-1 … R-ATT-5)
    telesales_attendance_judged_until = fields.Date(
        "Attendance Judged Until", readonly=True,
        help="The daily judge has judged every day up to this one: a correction to an "
        "attendance on or before it judges that day again.")

    def _telesales_today(self):
        """Today in the department's time zone."""
        self.ensure_one()
        return local_hour_and_day(fields.Datetime.now(), self.telesales_tz or DEFAULT_TZ)[1]

    def _telesales_day_bounds(self):
        """Start and end of today in the department's time zone, as naive UTC."""
        return day_bounds_utc(self._telesales_today(), self.telesales_tz or DEFAULT_TZ)

    def _telesales_in_calling_window(self, when):
        """Whether `when` (naive UTC) is inside this company's calling windows on a
        calling day. No window configured: any hour of a working day."""
        return when not in self._telesales_outside_calling_window([when])

    def _telesales_outside_calling_window(self, instants):
        """The `instants` (naive UTC) outside this company's calling windows: each local
        day's calendar is read once, however many calls fall on it."""
        self.ensure_one()
        Workday = self.env["telesales.workday"]
        windows = self.sudo().telesales_call_window_ids
        weekday_of = {}  # local day → the windows' weekday key, or None on a rest day
        outside = set()
        for when in instants:
            hour, day = local_hour_and_day(when, self.telesales_tz or DEFAULT_TZ)
            if day not in weekday_of:
                working = Workday._is_company_working_day(self, day)
                weekday_of[day] = None if not working else (
                    MAKE_UP_WEEKDAY if Workday._exception_of(self, day).kind == "workday" else str(day.weekday()))
            weekday = weekday_of[day]
            if weekday is None or (windows and not any(
                    window.dayofweek == weekday and window.hour_from <= hour < window.hour_to for window in windows)):
                outside.add(when)
        return outside

    def _telesales_cti_agents(self, extensions):
        """{extension: user} of this company's employees with those extensions."""
        self.ensure_one()
        employees = self.env["hr.employee"].sudo().search([
            ("company_id", "=", self.id), ("telesales_extension", "in", list(extensions)),
            ("user_id", "!=", False)])
        return {employee.telesales_extension: employee.user_id for employee in employees}

    def _telesales_normalise_number(self, number):
        """The number as Odoo stores it sanitized on leads and contacts (E.164 with the
        company's country), or as given when it cannot be read as a phone number."""
        self.ensure_one()
        return self.env["res.partner"]._phone_format(
            number=number, country=self.country_id, force_format="E164") or (number or "").strip()

    def _telesales_grade_bands(self):
        """The lowest scores of S, A, B and C, as Settings set them; below C is D."""
        self.ensure_one()
        return [self.telesales_grade_s_min, self.telesales_grade_a_min,
                self.telesales_grade_b_min, self.telesales_grade_c_min]
