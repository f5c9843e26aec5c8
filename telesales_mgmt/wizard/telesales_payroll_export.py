import base64
import io

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import fields, models

COLUMNS = ["employee", "rank", "base_pay", "commission", "allowance", "referral_bonus",
           "bonus_deduction", "wage_deduction", "net"]


class TelesalesPayrollExport(models.TransientModel):
    """A month's pay figures for payroll, one sheet per company (R-INC-1, R-ORG-3 …
    R-ORG-5, R-ATT-2 … R-ATT-4): base pay of the rank, then what the confirmed
    commission statements and the attendance incidents say, with totals."""

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
                  "bonus_deduction": self.env._("Bonus Deduction"),
                  "wage_deduction": self.env._("Wage Deduction"), "net": self.env._("Net")}
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
        rows = []
        for statement in statements.sorted(lambda s: s.user_id.name):
            employee = statement.user_id.employee_ids.filtered(lambda e: e.company_id == company)[:1]
            summary = deductions.get(employee)
            row = {
                "employee": employee.name or statement.user_id.name, "rank": employee.telesales_rank_id.name or "",
                "base_pay": employee.telesales_rank_id.base_pay, "commission": statement.commission,
                "allowance": statement.allowance, "referral_bonus": statement.referral_bonus,
                "bonus_deduction": summary.bonus_deduction if summary else 0.0,
                "wage_deduction": summary.wage_deduction if summary else 0.0,
            }
            row["net"] = (row["base_pay"] + row["commission"] + row["allowance"] + row["referral_bonus"]
                          - row["bonus_deduction"] - row["wage_deduction"])
            rows.append(row)
        return rows
