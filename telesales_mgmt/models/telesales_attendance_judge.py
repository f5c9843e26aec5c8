from collections import defaultdict
from datetime import date, datetime, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL, groupby

from ..engines import attendance


class TelesalesAttendanceJudge(models.AbstractModel):
    """Judges attendance days (R-ATT-1 … R-ATT-5): each employee's day against their own
    schedule, public holidays and approved leave (`telesales.workday._shifts`), and
    their check-ins and check-outs (`hr.attendance`). The whole range is prepared in a
    few queries; the day itself is plain Python."""

    _name = "telesales.attendance.judge"
    _description = "Attendance Judge"

    @api.model
    def _judge(self, employees, date_from, date_to):
        """Judge every day of [date_from, date_to] for those of `employees` whose role their
        company's policy judges (agents and leaders by default). Updates the days'
        incidents still to confirm, keeps confirmed and waived ones, writes warnings for
        full-day absences and opens dismissal reviews. Returns the incidents created."""
        employees = employees.sudo().filtered("resource_id")
        policies = {company: self.env["telesales.attendance.policy"]._for(company)
                    for company in employees.company_id}
        # Only the roles the company's policy judges (R-ATT-1), whoever asks.
        employees = employees.filtered(
            lambda e: e.telesales_role in policies[e.company_id]._judged_roles())
        if not employees:
            return self.env["telesales.attendance.incident"]
        shifts = self.env["telesales.workday"]._shifts(employees, date_from, date_to, schedule_tz=True)
        attendances = self._attendances(employees, date_from, date_to)
        owed = self._overtime_owed(employees, date_from, date_to)
        now = fields.Datetime.now()
        findings = []
        for employee in employees:
            policy = policies[employee.company_id]
            for day, shift in sorted(shifts.get(employee.id, {}).items()):
                if not shift.blocks or shift.blocks[-1][1].astimezone(pytz.utc).replace(tzinfo=None) > now:
                    continue  # nothing to work that day, or the day is not over yet
                findings += [dict(found, employee_id=employee.id, date=day) for found in self._judge_day(
                    policy, shift, attendances.get(employee.id, []), owed.get((employee.id, day), 0.0))]
        return self._record(employees, date_from, date_to, findings)

    # ------------------------------------------------------------
    # One day
    # ------------------------------------------------------------

    @api.model
    def _judge_day(self, policy, shift, attendances, overtime_hours):
        """[{kind, minutes, share, detail}] for one employee's day (`engines.attendance`),
        with what the judge saw."""
        today = attendance.day_attendances(shift.blocks, attendances)
        detail = self.env._("Scheduled %(schedule)s; clocked %(clocked)s", schedule=", ".join(
            f"{begin:%H:%M}-{end:%H:%M}" for begin, end in shift.blocks), clocked=", ".join(
            f"{start:%H:%M}-{stop:%H:%M}" if stop else f"{start:%H:%M}-?" for start, stop in today) or "-")
        return [dict(found, detail=detail) for found in attendance.judge_day(
            shift.blocks, shift.planned_blocks, today, policy.grace_minutes, policy.threshold_minutes,
            overtime_hours)]

    # ------------------------------------------------------------
    # What a range needs, in a few queries
    # ------------------------------------------------------------

    @api.model
    def _attendances(self, employees, date_from, date_to):
        """{employee id: [(check in, check out or None)]}, aware in the schedule's time zone."""
        start = datetime.combine(date_from - timedelta(days=1), datetime.min.time())
        stop = datetime.combine(date_to + timedelta(days=2), datetime.min.time())
        self.env["hr.attendance"].flush_model(["employee_id", "check_in", "check_out"])
        self.env.cr.execute(SQL("""
            SELECT employee_id, check_in, check_out FROM hr_attendance
             WHERE employee_id = ANY(%s) AND check_in < %s AND (check_out IS NULL OR check_out > %s)
          ORDER BY employee_id, check_in
        """, employees.ids, stop, start))
        # The schedule's time zone, as the shifts (`telesales.workday._tz_of`).
        Workday = self.env["telesales.workday"]
        calendars = employees._get_calendars(date_from)
        zones = {employee.id: pytz.timezone(Workday._tz_of(employee, calendars.get(employee.id) or (
            employee.company_id.resource_calendar_id)))
                 for employee in employees}
        result = defaultdict(list)
        for employee, check_in, check_out in self.env.cr.fetchall():
            tz = zones[employee]
            result[employee].append((pytz.utc.localize(check_in).astimezone(tz),
                                     pytz.utc.localize(check_out).astimezone(tz) if check_out else None))
        return result

    @api.model
    def _overtime_owed(self, employees, date_from, date_to):
        """{(employee id, day): hours} of overtime owed for a missed daily minimum (R-CALL-5)."""
        rows = self.env["telesales.daily.minimum"].sudo().search_fetch(
            [("employee_id", "in", employees.ids), ("date", ">=", date_from),
             ("date", "<=", date_to), ("overtime_hours", ">", 0)], ["employee_id", "date", "overtime_hours"])
        return {(row.employee_id.id, row.date): row.overtime_hours for row in rows}

    @api.model
    def _day_wages(self, employees, days):
        """{(employee id, day): a day's wage}: the monthly wage in force on that day (the
        employee's version of that day, or their rank's base pay) over the month's
        working days in the employee's schedule."""
        wages = {}
        policies = {company: self.env["telesales.attendance.policy"]._for(company)
                    for company in employees.company_id}
        for year, month in {(day.year, day.month) for day in days}:
            first = date(year, month, 1)
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            shifts = self.env["telesales.workday"]._shifts(employees, first, last, schedule_tz=True)
            for employee in employees:
                working = sum(1 for shift in shifts.get(employee.id, {}).values() if shift.planned)
                for day in (day for day in days if (day.year, day.month) == (year, month)):
                    monthly = (employee.telesales_rank_id.base_pay
                               if policies[employee.company_id].wage_source == "rank"
                               else employee._get_version(day).wage) or 0.0
                    wages[employee.id, day] = monthly / working if working else 0.0
        return wages

    # ------------------------------------------------------------
    # Writing the outcome
    # ------------------------------------------------------------

    @api.model
    def _record(self, employees, date_from, date_to, findings):
        """Bring the range's incidents in line with `findings`: create the new ones,
        update those still to confirm that changed, remove those that no longer hold;
        confirmed and waived incidents are never touched. A rerun over unchanged
        attendances writes nothing."""
        Incident = self.env["telesales.attendance.incident"].sudo().with_context(
            tracking_disable=True, mail_create_nolog=True)
        existing = {(i.employee_id.id, i.date, i.kind): i for i in Incident.search(
            [("employee_id", "in", employees.ids), ("date", ">=", date_from), ("date", "<=", date_to)])}
        absent = employees.browse({f["employee_id"] for f in findings if f["share"]})
        wages = self._day_wages(absent, {f["date"] for f in findings if f["share"]}) if absent else {}
        by_company = {company: self.env["telesales.attendance.policy"]._for(company)
                      for company in employees.company_id}
        policies = {employee.id: by_company[employee.company_id] for employee in employees}
        amounts = {"late": "late_deduction", "early": "late_deduction", "half_day": "half_day_deduction",
                   "full_day": "full_day_deduction", "overtime": "overtime_deduction"}
        to_create, found = [], set()
        for f in findings:
            key = (f["employee_id"], f["date"], f["kind"])
            found.add(key)
            values = {
                "minutes": f["minutes"], "detail": f["detail"],
                "bonus_deduction": policies[key[0]][amounts[f["kind"]]] if f["kind"] in amounts else 0.0,
                "wage_deduction": round(wages.get((key[0], key[1]), 0.0) * f["share"], 2),
            }
            incident = existing.get(key)
            if not incident:
                to_create.append(dict(values, employee_id=key[0], date=key[1], kind=key[2]))
            elif incident.state == "draft" and any(
                    round(incident[name], 2) != round(value, 2) if isinstance(value, float)
                    else incident[name] != value for name, value in values.items()):
                incident.write(values)
        Incident.browse([i.id for key, i in existing.items()
                         if key not in found and i.state == "draft"]).unlink()
        incidents = Incident.create(to_create)
        full_days = incidents.filtered(lambda i: i.kind == "full_day")
        self.env["telesales.discipline"].sudo().with_context(tracking_disable=True).create([{
            "employee_id": incident.employee_id.id, "date": incident.date, "kind": "warning",
            "source": "incident", "incident_id": incident.id,
            "reason": self.env._("Absent the whole day on %(date)s (R-ATT-4).", date=incident.date),
        } for incident in full_days])
        self._open_reviews(incidents.filtered(lambda i: i.kind in ("full_day", "half_day")))
        return incidents

    @api.model
    def _open_reviews(self, new_absences):
        """Dismissal reviews (R-ATT-5), once per threshold crossed: in a row (working days:
        weekends and holidays do not break a run), or in the calendar year. Looks at the
        whole year of each new absence, whatever order the days were judged in."""
        Incident = self.env["telesales.attendance.incident"].sudo()
        Discipline = self.env["telesales.discipline"].sudo()
        for employee, year in {(absence.employee_id, absence.date.year) for absence in new_absences}:
            policy = self.env["telesales.attendance.policy"]._for(employee.company_id)
            absences = Incident.search([
                ("employee_id", "=", employee.id), ("kind", "in", ("full_day", "half_day")),
                ("state", "!=", "waived"), ("date", ">=", date(year, 1, 1)),
                ("date", "<=", date(year, 12, 31))], order="date")
            reviews = []
            days = sum(1.0 if a.kind == "full_day" else 0.5 for a in absences)
            if days >= policy.review_yearly_days:
                reviews.append((f"yearly-{year}", absences, self.env._(
                    "%(days)s working days absent in %(year)s (threshold %(limit)s, R-ATT-5).",
                    days=days, year=year, limit=policy.review_yearly_days)))
            run = self._longest_run(employee, absences.filtered(lambda a: a.kind == "full_day"))
            if len(run) >= policy.review_consecutive_days:
                reviews.append((f"consecutive-{run[0].date}", run, self.env._(
                    "%(days)s working days absent in a row from %(date)s (threshold %(limit)s, R-ATT-5).",
                    days=len(run), date=run[0].date, limit=policy.review_consecutive_days)))
            existing = set(Discipline.search([("employee_id", "=", employee.id),
                                              ("review_key", "!=", False)]).mapped("review_key"))
            for key, evidence, reason in reviews:
                if key in existing:
                    continue
                review = Discipline.create({
                    "employee_id": employee.id, "date": evidence[-1].date, "kind": "dismissal_review",
                    "source": "incident", "reason": reason, "review_key": key,
                    "evidence_ids": [fields.Command.set(evidence.ids)]})
                review.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=self._hr_officer(employee).id,
                    summary=self.env._("Decide on a dismissal review for %(employee)s", employee=employee.name))

    @api.model
    def _longest_run(self, employee, full_days):
        """The longest run of full-day absences over consecutive working days."""
        if not full_days:
            return full_days
        shifts = self.env["telesales.workday"]._shifts(
            employee, full_days[0].date, full_days[-1].date, schedule_tz=True)
        by_day = {absence.date: absence for absence in full_days}
        best = current = full_days.browse()
        # Days without work (weekends, holidays, approved leave) neither count nor break a run.
        for day in sorted(day for day, shift in shifts.get(employee.id, {}).items() if shift.blocks):
            current = current | by_day[day] if day in by_day else full_days.browse()
            if len(current) > len(best):
                best = current
        return best

    @api.model
    def _hr_officer(self, employee):
        return (employee.hr_responsible_id or employee.company_id.telesales_department_id.manager_id.user_id
                or self.env.ref("base.user_admin"))

    # ------------------------------------------------------------
    # Daily
    # ------------------------------------------------------------

    @api.model
    def _cron_judge(self, batch_size=None, limit=None):
        """Every company's telesales staff (the roles its policy judges), for every day
        since the last judged one up to yesterday (a week at most, if the cron was down).
        In batches of days (`telesales.cron`), each company's days judged together: the
        company's judged-until day moves with each batch, so a run cut short resumes
        with the next day, and a rerun the same day finds nothing left to judge."""
        todo = []
        for company in self.env["res.company"].search([]):
            yesterday = company._telesales_today() - timedelta(days=1)
            done = company.telesales_attendance_judged_until
            start = max(done + timedelta(days=1), yesterday - timedelta(days=6)) if done else yesterday
            todo += [(company, start + timedelta(days=n)) for n in range((yesterday - start).days + 1)]
        for batch in self.env["telesales.cron"]._batches(todo, batch_size, limit):
            for company, items in groupby(batch, key=lambda item: item[0]):
                days = [day for _company, day in items]
                employees = self.env["hr.employee"].sudo().search(
                    [("company_id", "=", company.id), ("telesales_role", "!=", False)])
                self._judge(employees, days[0], days[-1])
                company.sudo().telesales_attendance_judged_until = days[-1]
