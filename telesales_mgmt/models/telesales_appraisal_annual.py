from datetime import date

from odoo import api, fields, models

# Months of the last quarter, weighted double when Settings say "recent" (R-KPI-3).
LAST_QUARTER = (10, 11, 12)


class TelesalesAppraisal(models.Model):
    """The annual appraisal (R-KPI-3): in January, the composite of the employee's twelve
    monthly results, then the same flow as a month's. And the three-month rule (R-KPI-5):
    opening a month's appraisals opens the reviews they complete."""

    _inherit = "telesales.appraisal"

    @api.model
    def _telesales_open_month(self, month, company=None):
        appraisals = super()._telesales_open_month(month, company)
        self.env["telesales.performance.review"]._telesales_open_for(appraisals)
        return appraisals

    @api.model
    def _cron_open_last_year(self):
        """Daily, in January after the monthly appraisals' due day (December's should be
        done): last year's annual appraisals and the annual titles (R-INC-2), once."""
        for company in self.env["res.company"].search([]):
            today = company._telesales_today()
            if today.month == 1 and today.day > (company.telesales_appraisal_due_day or 10):
                self.with_company(company)._telesales_open_year(today.year - 1, company)
                self.env["telesales.honour.title"].with_company(company)._award_year(today.year - 1, company)

    @api.model
    def _telesales_open_year(self, year, company=None):
        """Open `year`'s appraisal for every employee of `company` with a done monthly
        appraisal that year and no annual one yet. Its indicators are the done months:
        one line each, worth the month's final score, weighted equally or with the last
        quarter double (Settings: Annual Appraisal Weighting); its achievement the
        months' achievements weighted alike. Run twice, it adds nothing."""
        company = company or self.env.company
        date_from, date_to = date(year, 1, 1), date(year + 1, 1, 1)
        months = self.sudo().search([
            ("company_id", "=", company.id), ("period", "=", "month"), ("state", "=", "done"),
            ("date_from", ">=", date_from), ("date_from", "<", date_to)], order="date_from")
        done = self.sudo().search([("employee_id", "in", months.employee_id.ids), ("period", "=", "year"),
                                   ("date_from", "=", date_from)]).employee_id
        kpi = self.env.ref("telesales_mgmt.telesales_kpi_monthly_result").sudo()
        double = company.telesales_annual_weighting == "recent"
        due = date_to.replace(day=31)  # by the end of January
        vals_list = []
        for employee, results in months.grouped("employee_id").items():
            if employee in done or not employee.user_id:
                continue
            weights = [2.0 if double and result.date_from.month in LAST_QUARTER else 1.0 for result in results]
            total = sum(weights)
            vals_list.append({
                **self._agent_values(employee), "period": "year", "date_from": date_from, "date_to": date_to,
                "template_id": self.env["telesales.appraisal.template"].sudo()._telesales_template_for(employee).id,
                "due_date": due,
                "achievement": round(sum(weight * result.achievement
                                         for weight, result in zip(weights, results)) / total, 2),
                "line_ids": [fields.Command.create({
                    "kpi_id": kpi.id, "weight": round(100.0 * weight / total, 4), "target": 100.0,
                    "sequence": result.date_from.month, "value": result.final_score, "has_value": True,
                    "label": result.date_from.strftime("%Y-%m"),
                    "evidence_model": self._name, "evidence_domain": repr([("id", "=", result.id)]),
                }) for weight, result in zip(weights, results)],
            })
        appraisals = self.sudo().with_context(tracking_disable=True).create(vals_list)
        for appraisal in appraisals:
            missing = 12 - len(appraisal.line_ids)
            appraisal.message_post(body=self.env._(
                "Annual appraisal of %(year)s: %(count)s done monthly results, %(weighting)s%(missing)s (R-KPI-3).",
                year=year, count=len(appraisal.line_ids),
                weighting=self.env._("the last quarter counted double") if double else self.env._("equally weighted"),
                missing=self.env._("; %(missing)s months without a done appraisal are left out", missing=missing)
                if missing else ""))
        return appraisals

