from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

TITLE_KINDS = [("sales_star", "Sales Star (销售之星)"), ("service_model", "Customer Service Model (客户服务标兵)"),
               ("annual_champion", "Annual Sales Champion (年度销售冠军)"),
               ("annual_best_team", "Annual Best Team (年度最佳团队)")]
MONTHLY_KINDS = ("sales_star", "service_model")
ANNUAL_KINDS = ("annual_champion", "annual_best_team")


def by_sales(results):
    """Sort key of users by `results` ({user id: (sales, deals, last deal)}): highest sales,
    then more deals, then earlier last deal, then lower id."""
    return lambda user: (-results[user][0], -results[user][1], results[user][2], user)


class TelesalesHonourTitle(models.Model):
    """Monthly honour titles (R-INC-2), kept as history and shown as a leaderboard.

    Sales Star: the highest sales of the month, in the department and in each team.
    Customer Service Model: among agents with at least the minimum number of deals, the
    fewest complaints against them, then the best average satisfaction of those
    complaints, then the highest sales (so with no complaints at all, sales decide).
    Ties: more deals wins, then whoever reached the total first (earlier last deal),
    then the lower user id, so that the same data always gives the same winner.

    Annual (R-INC-2), dated the year's 1 January: the sales champion (the year's highest
    sales, same ties) and the best team (the team whose agents sold most in the year, then
    more deals, then the earlier last deal, then the lower team id), awarded to its leader."""

    _name = "telesales.honour.title"
    _description = "Honour Title"
    _order = "month desc, kind, team_id desc, id"

    month = fields.Date(required=True, index=True, help="First day of the month (of the year: annual titles).")
    period = fields.Char("Period", compute="_compute_period",
                         help="The month, as 2026-10; the year of an annual title.")
    kind = fields.Selection(TITLE_KINDS, required=True)
    team_id = fields.Many2one("crm.team", "Team", help="Empty: the whole department.")
    user_id = fields.Many2one("res.users", "Winner", required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    sales_total = fields.Monetary("Sales")
    deal_count = fields.Integer("Deals")
    complaint_count = fields.Integer("Complaints", help="Complaints against the winner that month (R-CMP-4).")

    _title_uniq = models.UniqueIndex(
        "(month, kind, company_id, COALESCE(team_id, 0))", "This title was already awarded for the month.")

    @api.depends("month", "kind")
    def _compute_period(self):
        for title in self:
            title.period = title.month and title.month.strftime("%Y" if title.kind in ANNUAL_KINDS else "%Y-%m")

    @api.model
    def _award(self, month, company=None):
        """The month's titles of `company` (default: the current one), once: a rerun
        awards nothing more. Agents, deals and titles are the company's own."""
        month = fields.Date.to_date(month).replace(day=1)
        company = company or self.env.company
        if self.sudo().search_count([("month", "=", month), ("company_id", "=", company.id),
                                     ("kind", "in", MONTHLY_KINDS)]):
            return self
        agents, results = self._agent_results(company, month, month + relativedelta(months=1))
        employee_of = {agent.user_id.id: agent for agent in agents}
        team_of = {agent.user_id.id: agent.telesales_team_id for agent in agents}
        min_deals = company.telesales_service_model_min_deals
        complaints = self.env["telesales.complaint"]._agent_figures(
            agents.user_id, month, month + relativedelta(months=1), company)

        sales_key = by_sales(results)

        def by_service(user):
            # Fewest complaints, then best satisfaction (unrated complaints count as a neutral 3),
            # then sales.
            count, satisfaction = complaints.get(user, (0, None))
            return (count, -(satisfaction if satisfaction is not None else 3.0), *sales_key(user))

        values = []
        sellers = [user for user in results if results[user][0] > 0]
        for kind, team, users, key in [("sales_star", False, sellers, sales_key)] + [
                ("sales_star", team, [u for u in sellers if team_of[u] == team], sales_key)
                for team in sorted({team_of[u] for u in sellers if team_of[u]}, key=lambda t: t.id)] + [
                ("service_model", False, [u for u in sellers if results[u][1] >= min_deals], by_service)]:
            winner = min(users, key=key, default=None)
            if winner:
                values.append({"month": month, "kind": kind, "team_id": team.id if team else False,
                               "user_id": winner, "company_id": company.id,
                               "sales_total": results[winner][0], "deal_count": results[winner][1],
                               "complaint_count": complaints.get(winner, (0, None))[0]})
        titles = self.sudo().create(values)
        for title in titles:
            employee_of[title.user_id.id].message_post(body=self.env._(
                "%(title)s of %(month)s%(team)s: %(sales)s in %(deals)s deals.",
                title=title._fields["kind"].convert_to_export(title.kind, title), month=title.month.strftime("%Y-%m"),
                team=f" ({title.team_id.name})" if title.team_id else "",
                sales=title.sales_total, deals=title.deal_count))
        return titles

    @api.model
    def _agent_results(self, company, date_from, date_to):
        """The company's agents with a user, and {user id: (sales, deals, last deal)} of
        what they won in [date_from, date_to)."""
        agents = self.env["hr.employee"].sudo().search([
            ("company_id", "=", company.id), ("telesales_role", "=", "agent"), ("user_id", "!=", False)])
        return agents, self.env["crm.lead"]._telesales_won_totals(agents.user_id, date_from, date_to, company)

    @api.model
    def _cron_award(self, batch_size=None, limit=None):
        """Daily: last month's titles, once, for every company with telesales staff, in
        batches of companies (`telesales.cron`: a company's titles are one ranking, awarded
        together). A company awarded is done, so a run cut short resumes with the others."""
        month = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        staffed = self.env["hr.employee"].sudo()._read_group(
            [("telesales_role", "!=", False)], ["company_id"])
        awarded = {company for (company,) in self.sudo()._read_group(
            [("month", "=", month), ("kind", "in", MONTHLY_KINDS)], ["company_id"])}
        companies = [company for (company,) in staffed if company not in awarded]
        for batch in self.env["telesales.cron"]._batches(companies, batch_size, limit):
            for company in batch:
                self.with_company(company)._award(month, company)

    @api.model
    def _award_year(self, year, company=None):
        """`year`'s annual sales champion and best team of `company` (R-INC-2), once: a
        rerun awards nothing more. Same ties as the month's titles."""
        company = company or self.env.company
        start = fields.Date.to_date(f"{year}-01-01")
        if self.sudo().search_count([("month", "=", start), ("company_id", "=", company.id),
                                     ("kind", "in", ANNUAL_KINDS)]):
            return self
        agents, results = self._agent_results(company, start, start + relativedelta(years=1))
        employee_of = {agent.user_id.id: agent for agent in agents}
        sellers = [user for user in results if results[user][0] > 0]
        values = []
        champion = min(sellers, key=by_sales(results), default=None)
        if champion:
            values.append({"month": start, "kind": "annual_champion", "user_id": champion,
                           "company_id": company.id, "sales_total": results[champion][0],
                           "deal_count": results[champion][1]})
        teams = {}
        for user in sellers:
            team = employee_of[user].telesales_team_id
            if team:
                total, count, last = teams.get(team, (0.0, 0, None))
                teams[team] = (total + results[user][0], count + results[user][1],
                               max(last, results[user][2]) if last else results[user][2])
        best = min(teams, key=lambda team: (-teams[team][0], -teams[team][1], teams[team][2], team.id), default=None)
        if best:
            # The title goes to the team's leader (its best seller when it has none).
            members = [user for user in sellers if employee_of[user].telesales_team_id == best]
            winner = best.user_id.id or min(members, key=lambda user: (-results[user][0], user))
            values.append({"month": start, "kind": "annual_best_team", "team_id": best.id, "user_id": winner,
                           "company_id": company.id, "sales_total": teams[best][0], "deal_count": teams[best][1]})
        titles = self.sudo().create(values)
        for title in titles:
            employee = employee_of.get(title.user_id.id) or title.user_id.employee_id
            employee.message_post(body=self.env._(
                "%(title)s of %(year)s%(team)s: %(sales)s in %(deals)s deals.",
                title=title._fields["kind"].convert_to_export(title.kind, title), year=year,
                team=f" ({title.team_id.name})" if title.team_id else "",
                sales=title.sales_total, deals=title.deal_count))
        return titles
