from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

TITLE_KINDS = [("sales_star", "Sales Star (销售之星)"), ("service_model", "Customer Service Model (客户服务标兵)")]


class TelesalesHonourTitle(models.Model):
    """Monthly honour titles (R-INC-2), kept as history and shown as a leaderboard.

    Sales Star: the highest sales of the month, in the department and in each team.
    Customer Service Model: among agents with at least the minimum number of deals, the
    fewest complaints against them, then the best average satisfaction of those
    complaints, then the highest sales (so with no complaints at all, sales decide).
    Ties: more deals wins, then whoever reached the total first (earlier last deal),
    then the lower user id, so that the same data always gives the same winner."""

    _name = "telesales.honour.title"
    _description = "Honour Title"
    _order = "month desc, kind, team_id desc, id"

    month = fields.Date(required=True, index=True)
    period = fields.Char("Period", compute="_compute_period", help="The month, as 2026-10.")
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

    @api.depends("month")
    def _compute_period(self):
        for title in self:
            title.period = title.month.strftime("%Y-%m") if title.month else False

    @api.model
    def _award(self, month, company=None):
        """The month's titles of `company` (default: the current one), once: a rerun
        awards nothing more. Agents, deals and titles are the company's own."""
        month = fields.Date.to_date(month).replace(day=1)
        company = company or self.env.company
        if self.sudo().search_count([("month", "=", month), ("company_id", "=", company.id)]):
            return self
        agents = self.env["hr.employee"].sudo().search([
            ("company_id", "=", company.id), ("telesales_role", "=", "agent"), ("user_id", "!=", False)])
        results = self.env["crm.lead"]._telesales_won_totals(
            agents.user_id, month, month + relativedelta(months=1), company)
        employee_of = {agent.user_id.id: agent for agent in agents}
        team_of = {agent.user_id.id: agent.telesales_team_id for agent in agents}
        min_deals = company.telesales_service_model_min_deals
        complaints = self.env["telesales.complaint"]._agent_figures(
            agents.user_id, month, month + relativedelta(months=1), company)

        def by_sales(user):
            # Highest sales, then more deals, then earlier last deal, then lower id.
            return (-results[user][0], -results[user][1], results[user][2], user)

        def by_service(user):
            # Fewest complaints, then best satisfaction (unrated complaints count as a neutral 3),
            # then sales.
            count, satisfaction = complaints.get(user, (0, None))
            return (count, -(satisfaction if satisfaction is not None else 3.0), *by_sales(user))

        values = []
        sellers = [user for user in results if results[user][0] > 0]
        for kind, team, users, key in [("sales_star", False, sellers, by_sales)] + [
                ("sales_star", team, [u for u in sellers if team_of[u] == team], by_sales)
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
    def _cron_award(self, batch_size=None, limit=None):
        """Daily: last month's titles, once, for every company with telesales staff, in
        batches of companies (`telesales.cron`: a company's titles are one ranking, awarded
        together). A company awarded is done, so a run cut short resumes with the others."""
        month = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        staffed = self.env["hr.employee"].sudo()._read_group(
            [("telesales_role", "!=", False)], ["company_id"])
        awarded = {company for (company,) in self.sudo()._read_group([("month", "=", month)], ["company_id"])}
        companies = [company for (company,) in staffed if company not in awarded]
        for batch in self.env["telesales.cron"]._batches(companies, batch_size, limit):
            for company in batch:
                self.with_company(company)._award(month, company)
