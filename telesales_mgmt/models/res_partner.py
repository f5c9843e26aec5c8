from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL

from .crm_lead import CUSTOMER_GRADES


class ResPartner(models.Model):
    _inherit = ["res.partner", "telesales.contact.guard"]
    _name = "res.partner"
    # A customer's contact data is theirs to see who work them (R-DATA-2).
    _telesales_contact_fields = (
        "phone", "phone_sanitized", "email", "email_normalized", "email_formatted",
        "street", "street2", "zip", "city", "state_id", "contact_address",
        "contact_address_inline", "partner_latitude", "partner_longitude")

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

    # ------------------------------------------------------------
    # Who sees a customer's contact data (R-DATA-2)
    # ------------------------------------------------------------

    def _telesales_contact_restricted(self):
        """Telesales staff see contact data only of their own customers, and HR officers
        (who have no customers) none; everyone else (sales and accounting outside the
        department, administrators) keeps Odoo's own rights."""
        user = self.env.user
        return not user._is_system() and (
            user.has_group("telesales_mgmt.group_telesales_agent")
            or user.has_group("telesales_mgmt.group_telesales_service")
            or (user.has_group("hr.group_hr_user") and not user.has_group("sales_team.group_sale_salesman")))

    def _telesales_customers_sql(self):
        """SQL selecting the partners whose contact data the current user may see: the
        customers (with their whole commercial entity) of the leads and orders the user
        may read under the record rules (their own, their team's, the department's), and
        for customer service those who complained; plus the company's own people."""
        env = self.env(su=False)
        # Unassigned leads of other sales teams and unassigned orders are readable by any
        # salesperson in Odoo: they make nobody a customer of theirs.
        worked = {
            "crm.lead": ["|", "|", ("user_id", "!=", False), ("team_id.is_telesales", "=", True),
                         ("telesales_in_pool", "=", True)],
            "sale.order": [("user_id", "!=", False)],
        }
        sources = [
            env[model]._search([("partner_id", "!=", False), *domain], active_test=False).subselect("partner_id")
            for model, domain in worked.items() if env[model].has_access("read")
        ]
        if env.user.has_group("telesales_mgmt.group_telesales_service"):
            sources.append(env["telesales.complaint"]._search(
                [("partner_id", "!=", False)], active_test=False).subselect("partner_id"))
        customers = SQL(" UNION ").join(sources) if sources else SQL("SELECT NULL::int")
        return SQL("""
            SELECT p.id FROM res_partner p
             WHERE p.commercial_partner_id IN (
                   SELECT c.commercial_partner_id FROM res_partner c WHERE c.id IN (%(customers)s))
             UNION SELECT partner_id FROM res_users WHERE share IS NOT TRUE
             UNION SELECT partner_id FROM res_company
             UNION SELECT work_contact_id FROM hr_employee WHERE work_contact_id IS NOT NULL
        """, customers=customers)

    def _telesales_entitled_sql(self, alias):
        if not self._telesales_contact_restricted():
            return None
        return SQL("%s IN (%s)", SQL.identifier(alias, "id"), self._telesales_customers_sql())

    def _search_phone_mobile_search(self, operator, value):
        # Odoo searches the numbers in raw SQL: only among the partners one may see.
        domain = super()._search_phone_mobile_search(operator, value)
        if self.env.su or not self._telesales_contact_restricted():
            return domain
        return domain & Domain.custom(to_sql=lambda model, alias, query: model._telesales_entitled_sql(alias))

    @api.depends_context("uid")
    def _compute_display_name(self):
        # Names may carry the e-mail or the address on request (context): not for
        # customers the user may not contact, even when the name is computed as sudo.
        keys = ("show_email", "show_address")
        hidden = self.browse()
        if any(self.env.context.get(key) for key in keys):
            hidden = self.browse(self.sudo(False)._telesales_masked_ids())
        super(ResPartner, self - hidden)._compute_display_name()
        if hidden:
            plain = hidden.with_context(**dict.fromkeys(keys, False))
            super(ResPartner, plain)._compute_display_name()
            for partner, name in zip(hidden, plain.mapped("display_name")):
                partner.display_name = name

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

    def action_telesales_dial(self):
        """The Call button: click-to-dial a customer one works (R-DATA-2), after the desk
        rules (R-CALL-4)."""
        self.ensure_one()
        if self._telesales_masked_ids():
            raise AccessError(self.env._(
                "You cannot call %(who)s: you do not work this customer (R-DATA-2).", who=self.name))
        return self.env["telesales.call"]._telesales_dial(self.env["crm.lead"], self)

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
            # Past this class's write, which keeps grades by hand for leaders.
            super(ResPartner, group).write({"telesales_grade": grade})

    @api.model
    def _cron_suggest_grades(self, batch_size=None, limit=None):
        """Daily, in batches (`telesales.cron`): the customers whose grade differs from its
        suggestion; a batch written leaves the list, so a run cut short resumes with the rest."""
        customers = self.env["crm.lead"].sudo().search([("partner_id", "!=", False)]).partner_id
        customers = customers.filtered(lambda partner: not partner.telesales_grade_manual)
        suggestions = customers._telesales_grade_suggestions()
        todo = customers.filtered(lambda partner: partner.telesales_grade != suggestions.get(partner.id, "c"))
        for batch in self.env["telesales.cron"]._batches(todo, batch_size, limit):
            batch._telesales_apply_suggested_grades()

    def action_telesales_apply_suggested_grade(self):
        if not self.env.user.has_group("telesales_mgmt.group_telesales_leader"):
            raise AccessError(self.env._(
                "Only a team leader or the manager changes a customer's grade (R-LEAD-3)."))
        self.write({"telesales_grade_manual": False})
        self._telesales_apply_suggested_grades()

    def write(self, vals):
        if "telesales_grade_manual" in vals and not (
                self.env.su or self.env.user.has_group("telesales_mgmt.group_telesales_leader")):
            raise AccessError(self.env._("Only a team leader or the manager grades customers (R-LEAD-3)."))
        if "telesales_grade" in vals:
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
