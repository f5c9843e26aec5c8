from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .crm_lead import CUSTOMER_GRADES


class ResPartner(models.Model):
    _inherit = "res.partner"

    telesales_grade = fields.Selection(
        CUSTOMER_GRADES, "Customer Grade", tracking=True, index=True,
        help="A: key attention and best service; B: strengthen contact; C: periodic "
        "revisit to find needs (R-LEAD-3).")
    telesales_do_not_call = fields.Boolean(
        "Do Not Call", tracking=True, index=True,
        help="The customer refused further calls: nobody may call them (R-CALL-4). Their "
        "numbers are on Odoo's phone blacklist, so other leads and contacts with the same "
        "number are blocked too.")
    telesales_do_not_call_date = fields.Datetime("Do Not Call Since", readonly=True)
    telesales_do_not_call_reason = fields.Char("Do Not Call Reason")

    telesales_call_count = fields.Integer("Calls", compute="_compute_telesales_call_count")
    telesales_complaint_count = fields.Integer("Number of Complaints", compute="_compute_telesales_complaint_count")

    telesales_grade_manual = fields.Boolean(
        "Grade Set by Hand", readonly=True,
        help="A leader set the grade by hand: the suggestion no longer overwrites it.")
    telesales_grade_suggested = fields.Selection(
        CUSTOMER_GRADES, "Suggested Grade", compute="_compute_telesales_grade_suggested",
        help="From the won deals of the last 12 months: their amount, their number and "
        "how recent the last one is, against the thresholds in Settings (R-LEAD-3).")

    def _compute_telesales_call_count(self):
        counts = dict(self.env["telesales.call"]._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        for partner in self:
            partner.telesales_call_count = counts.get(partner, 0)

    def _compute_telesales_complaint_count(self):
        counts = self.env["telesales.complaint"]._counts("partner_id", self)
        for partner in self:
            partner.telesales_complaint_count = counts.get(partner, 0)

    def action_telesales_view_complaints(self):
        self.ensure_one()
        return self.env["telesales.complaint"]._action_list([("partner_id", "=", self.id)], {"partner_id": self.id})

    def action_telesales_view_calls(self):
        """The customer's contact history (R-DATA-1)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("telesales_mgmt.telesales_call_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.depends_context("company")
    def _compute_telesales_grade_suggested(self):
        suggestions = self._telesales_grade_suggestions()
        for partner in self:
            partner.telesales_grade_suggested = suggestions.get(partner.id, "c")

    def _telesales_grade_suggestions(self):
        """{partner id: grade} from won opportunities: A reaches the A amount or count
        within the recency window, B the B thresholds, anything else C."""
        company = self.env.company
        since = fields.Datetime.now() - relativedelta(days=company.telesales_grade_recency_days or 365)
        rows = self.env["crm.lead"].sudo()._read_group(
            [("partner_id", "in", self.ids), ("won_status", "=", "won"), ("date_closed", ">=", since)],
            ["partner_id"], ["expected_revenue:sum", "__count"])
        grades = {}
        for partner, amount, count in rows:
            if amount >= company.telesales_grade_a_amount or count >= company.telesales_grade_a_deals:
                grades[partner.id] = "a"
            elif amount >= company.telesales_grade_b_amount or count >= company.telesales_grade_b_deals:
                grades[partner.id] = "b"
        return grades

    def _telesales_apply_suggested_grades(self):
        """Give each customer not graded by hand its suggested grade (one write per grade)."""
        partners = self.filtered(lambda p: not p.telesales_grade_manual)
        suggestions = partners._telesales_grade_suggestions()
        by_grade = {}
        for partner in partners:
            grade = suggestions.get(partner.id, "c")
            if partner.telesales_grade != grade:
                by_grade.setdefault(grade, self.browse())
                by_grade[grade] |= partner
        for grade, group in by_grade.items():
            group.with_context(telesales_grade_auto=True).write({"telesales_grade": grade})

    @api.model
    def _cron_suggest_grades(self):
        customers = self.env["crm.lead"].sudo().search([("partner_id", "!=", False)]).partner_id
        customers._telesales_apply_suggested_grades()

    def action_telesales_apply_suggested_grade(self):
        self.write({"telesales_grade_manual": False})
        self._telesales_apply_suggested_grades()

    def write(self, vals):
        if "telesales_grade" in vals and not self.env.context.get("telesales_grade_auto"):
            # A grade set by hand is a leader's call, and the suggestion leaves it alone.
            if not (self.env.su or self.env.user.has_group("telesales_mgmt.group_telesales_leader")):
                raise UserError(self.env._(
                    "Only a team leader or the manager can set a customer's grade by hand (R-LEAD-3)."))
            vals["telesales_grade_manual"] = bool(vals["telesales_grade"])
        # Marked by hand or by a refusal, the flag also blacklists the numbers, so the
        # same number on another lead or contact is blocked too.
        if "telesales_do_not_call" in vals:
            if vals["telesales_do_not_call"]:
                vals.setdefault("telesales_do_not_call_date", fields.Datetime.now())
                vals.setdefault("telesales_do_not_call_reason",
                                self.env._("Marked by %(user)s", user=self.env.user.name))
            else:
                vals.update(telesales_do_not_call_date=False, telesales_do_not_call_reason=False)
        res = super().write(vals)
        if "telesales_do_not_call" in vals:
            numbers = [number for number in self.mapped("phone_sanitized") if number]
            if numbers:
                Blacklist = self.env["phone.blacklist"].sudo()
                if vals["telesales_do_not_call"]:
                    Blacklist._add(numbers, message=vals["telesales_do_not_call_reason"])
                else:
                    Blacklist._remove(numbers, message=self.env._("Do-not-call lifted"))
        return res

    def _telesales_set_do_not_call(self, reason):
        self.write({"telesales_do_not_call": True, "telesales_do_not_call_reason": reason})
