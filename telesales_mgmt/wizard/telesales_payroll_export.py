import base64
import io

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import fields, models

from ..engines import bonus as bonus_engine

COLUMNS = ["employee", "rank", "base_pay", "commission", "allowance", "referral_bonus",
           "performance_bonus", "bonus_deduction", "bonus_paid", "wage_deduction", "deduction_carried", "net"]


class TelesalesPayrollExport(models.TransientModel):
    """A month's pay figures for payroll, one sheet per company (R-INC-1, R-ORG-3 …
    R-ORG-5, R-ATT-2 … R-ATT-4): base pay of the rank, then what the confirmed
    commission statements and the attendance incidents say, with totals. The bonus
    deductions come off the statement's performance bonus first, line by line, as the
    incidents stand at export time; what the bonus cannot cover is carried to the wage
    or dropped, as the attendance policy says."""

    _name = "telesales.payroll.export"
    _description = "Payroll Export"

    month = fields.Date(required=True, default=lambda self: (
        fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)))
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    def action_export(self):
        self.ensure_one()
        titles = {"employee": self.env._("Employee"), "rank": self.env._("Rank"),
                  "base_pay": self.env._("Base Pay"), "commission": self.env._("Commission"),
                  "allowance": self.env._("Allowance"), "referral_bonus": self.env._("Referral Bonus"),
                  "performance_bonus": self.env._("Performance Bonus"),
                  "bonus_deduction": self.env._("Bonus Deduction"), "bonus_paid": self.env._("Bonus Paid"),
                  "wage_deduction": self.env._("Wage Deduction"),
                  "deduction_carried": self.env._("Deduction Carried to Wage"), "net": self.env._("Net")}
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        bold = book.add_format({"bold": True})
        money = book.add_format({"num_format": "#,##0.00"})
        total_money = book.add_format({"num_format": "#,##0.00", "bold": True})
        for company in self.env.companies:
            sheet = book.add_worksheet(company.name[:31])
            sheet.write_row(0, 0, [titles[column] for column in COLUMNS], bold)
            rows = self._rows(company)
            for number, row in enumerate(rows, start=1):
                sheet.write_row(number, 0, [row["employee"], row["rank"]])
                for column, key in enumerate(COLUMNS[2:], start=2):
                    sheet.write_number(number, column, row[key], money)
            sheet.write(len(rows) + 1, 0, self.env._("Total"), bold)
            for column, key in enumerate(COLUMNS[2:], start=2):
                sheet.write_number(len(rows) + 1, column, sum(row[key] for row in rows), total_money)
            sheet.set_column(0, 1, 18)
            sheet.set_column(2, len(COLUMNS) - 1, 14)
        book.close()
        self.write({"file": base64.b64encode(buffer.getvalue()),
                    "filename": f"payroll-{self.month:%Y-%m}.xlsx"})
        return {"type": "ir.actions.act_url", "target": "self",
                "url": f"/web/content/{self._name}/{self.id}/file/{self.filename}?download=true"}

    def _rows(self, company):
        """[{column: value}] for the company's employees with a confirmed statement."""
        month = self.month.replace(day=1)
        statements = self.env["telesales.commission.statement"].search([
            ("month", "=", month), ("company_id", "=", company.id), ("state", "in", ("confirmed", "paid"))])
        deductions = {row.employee_id: row for row in self.env["telesales.attendance.summary"].search(
            [("month", "=", month), ("company_id", "=", company.id)])}
        incidents = self.env["telesales.attendance.incident"].search(
            [("company_id", "=", company.id), ("date", ">=", month), ("date", "<", month + relativedelta(months=1)),
             ("state", "!=", "waived"), ("bonus_deduction", ">", 0)], order="date, id").grouped("employee_id")
        excess = self.env["telesales.attendance.policy"]._for(company).excess_deduction
        rows = []
        for statement in statements.sorted(lambda s: s.user_id.name):
            employee = statement.user_id.employee_ids.filtered(lambda e: e.company_id == company)[:1]
            summary = deductions.get(employee)
            splits = bonus_engine.split_deductions(statement.performance_bonus, [
                (incident.id, incident.bonus_deduction) for incident in incidents.get(employee, [])], excess)
            _deducted, paid, carried, _dropped = bonus_engine.totals(statement.performance_bonus, splits)
            row = {
                "employee": employee.name or statement.user_id.name, "rank": employee.telesales_rank_id.name or "",
                "base_pay": employee.telesales_rank_id.base_pay, "commission": statement.commission,
                "allowance": statement.allowance, "referral_bonus": statement.referral_bonus,
                "performance_bonus": statement.performance_bonus,
                "bonus_deduction": sum(split.amount for split in splits), "bonus_paid": paid,
                "wage_deduction": summary.wage_deduction if summary else 0.0, "deduction_carried": carried,
            }
            row["net"] = (row["base_pay"] + row["commission"] + row["allowance"] + row["referral_bonus"]
                          + row["bonus_paid"] - row["wage_deduction"] - row["deduction_carried"])
            rows.append(row)
        return rows
