from odoo import fields, models, tools
from odoo.tools import SQL


class TelesalesAttendanceSummary(models.Model):
    """Per employee and month: incidents of each kind, deductions and warnings, for
    payroll (export to XLSX from the list). Waived incidents count for nothing."""

    _name = "telesales.attendance.summary"
    _description = "Attendance Month Summary"
    _auto = False
    _order = "month desc, employee_id"
    _depends = {
        "telesales.attendance.incident": ["employee_id", "date", "kind", "state", "bonus_deduction",
                                          "wage_deduction", "company_id", "user_id", "team_id"],
        "telesales.discipline": ["employee_id", "date", "kind", "state"],
    }

    month = fields.Date(readonly=True, help="First day of the month.")
    employee_id = fields.Many2one("hr.employee", "Employee", readonly=True)
    user_id = fields.Many2one("res.users", "User", readonly=True)
    team_id = fields.Many2one("crm.team", "Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    late_count = fields.Integer("Late", readonly=True)
    early_count = fields.Integer("Early Leave", readonly=True)
    half_day_count = fields.Integer("Half-day Absences", readonly=True)
    full_day_count = fields.Integer("Full-day Absences", readonly=True)
    missing_checkout_count = fields.Integer("Missing Check-outs", readonly=True)
    overtime_count = fields.Integer("Overtime Not Worked", readonly=True)
    bonus_deduction = fields.Monetary("Bonus Deduction", readonly=True)
    wage_deduction = fields.Monetary("Wage Deduction", readonly=True)
    warning_count = fields.Integer("Warnings", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("""
            CREATE OR REPLACE VIEW %(view)s AS (
                WITH months AS (
                    SELECT MIN(i.id) AS id,
                           date_trunc('month', i.date)::date AS month,
                           i.employee_id, MIN(i.user_id) AS user_id, MIN(i.team_id) AS team_id,
                           MIN(i.company_id) AS company_id,
                           COUNT(*) FILTER (WHERE i.kind = 'late') AS late_count,
                           COUNT(*) FILTER (WHERE i.kind = 'early') AS early_count,
                           COUNT(*) FILTER (WHERE i.kind = 'half_day') AS half_day_count,
                           COUNT(*) FILTER (WHERE i.kind = 'full_day') AS full_day_count,
                           COUNT(*) FILTER (WHERE i.kind = 'missing_checkout') AS missing_checkout_count,
                           COUNT(*) FILTER (WHERE i.kind = 'overtime') AS overtime_count,
                           COALESCE(SUM(i.bonus_deduction), 0) AS bonus_deduction,
                           COALESCE(SUM(i.wage_deduction), 0) AS wage_deduction
                      FROM telesales_attendance_incident i
                     WHERE i.state != 'waived'
                  GROUP BY date_trunc('month', i.date), i.employee_id
                ), warnings AS (
                    SELECT employee_id, date_trunc('month', date)::date AS month, COUNT(*) AS warning_count
                      FROM telesales_discipline
                     WHERE kind = 'warning' AND state != 'cancelled'
                  GROUP BY 1, 2
                )
                SELECT m.*, COALESCE(w.warning_count, 0) AS warning_count
                  FROM months m
             LEFT JOIN warnings w ON w.employee_id = m.employee_id AND w.month = m.month
            )
        """, view=SQL.identifier(self._table)))
