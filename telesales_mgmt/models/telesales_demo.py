import random
from datetime import datetime, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..engines import cti
from .crm_lead import CUSTOMER_GRADES
from .telesales_rank_review import quarter_start

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国玉兰志强"
# Where the demo's customers live: city, its province (base's China states), and two
# districts with a street and their postcode each.
CITY_ADDRESSES = {
    "北京": ("base.state_cn_BJ", [("朝阳区", "建国路", "100022"), ("海淀区", "中关村大街", "100080")]),
    "上海": ("base.state_cn_SH", [("浦东新区", "世纪大道", "200120"), ("徐汇区", "漕溪北路", "200030")]),
    "广州": ("base.state_cn_GD", [("天河区", "天河路", "510620"), ("越秀区", "中山五路", "510030")]),
    "深圳": ("base.state_cn_GD", [("南山区", "深南大道", "518057"), ("福田区", "福华路", "518048")]),
    "杭州": ("base.state_cn_ZJ", [("西湖区", "文三路", "310012"), ("上城区", "解放路", "310002")]),
    "成都": ("base.state_cn_SC", [("武侯区", "人民南路", "610041"), ("锦江区", "春熙路", "610021")]),
    "武汉": ("base.state_cn_HB", [("武昌区", "中南路", "430071"), ("江汉区", "解放大道", "430022")]),
    "南京": ("base.state_cn_JS", [("鼓楼区", "中山北路", "210008"), ("玄武区", "珠江路", "210018")]),
    "西安": ("base.state_cn_SN", [("雁塔区", "长安南路", "710061"), ("碑林区", "东大街", "710001")]),
    "苏州": ("base.state_cn_JS", [("姑苏区", "人民路", "215002"), ("吴中区", "东吴北路", "215128")]),
}
CITIES = list(CITY_ADDRESSES)
# Mobile prefixes of China's three carriers: numbers that validate (+86 1xx xxxx xxxx).
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                   "155", "156", "157", "158", "159", "166", "176", "177", "178", "180", "181", "182",
                   "183", "185", "186", "187", "188", "189", "191", "198", "199")
# The demo company: a telesales department in Shanghai.
COMPANY_ADDRESS = {"street": "浦东新区世纪大道100号", "street2": "18楼", "city": "上海市", "zip": "200120",
                   "phone": "+86 21 6888 0000"}
SOURCE_XMLIDS = [
    "telesales_mgmt.utm_source_marketing",
    "telesales_mgmt.utm_source_website",
    "telesales_mgmt.utm_source_social",
    "telesales_mgmt.utm_source_other_department",
    "telesales_mgmt.utm_source_referral",
]
DEMO_SEED, DEMO_DAYS, DEMO_LEADS = 42, 30, 300
CALLS_PER_DAY = (45, 80)  # before each agent's diligence


def person_name(rng):
    """A Chinese name: a surname and two given characters."""
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def mobile_number(rng):
    """A Chinese mobile number as Odoo formats it: +86 138 1234 5678."""
    return f"+86 {rng.choice(MOBILE_PREFIXES)} {rng.randrange(10**4):04d} {rng.randrange(10**4):04d}"


def address_values(env, rng, city):
    """A street address in `city` (one of CITY_ADDRESSES): province, city, district and
    street, postcode, country China."""
    state_xmlid, districts = CITY_ADDRESSES[city]
    district, road, postcode = rng.choice(districts)
    return {
        "street": f"{district}{road}{rng.randint(1, 999)}号",
        "street2": f"{rng.randint(1, 30)}栋{rng.randint(1, 28)}{rng.randint(1, 9):02d}室",
        "city": f"{city}市", "zip": postcode,
        "state_id": env.ref(state_xmlid).id, "country_id": env.ref("base.cn").id,
    }


def lead_values(env, rng, count):
    """Values of `count` realistic leads (a source, a grade, a Chinese mobile number and
    address), drawn from `rng`: the same seed gives the same leads. About a third go
    unassigned to the pool; the rest are spread over the telesales teams and their members.

    The demo creates 300 of them; the bulk generator of the benchmarks and `make seed`
    (bench/seeding.py, outside the addon) creates them in batches from the same values."""
    sources = [env.ref(xmlid) for xmlid in SOURCE_XMLIDS]
    teams = env["crm.team"].search([("is_telesales", "=", True)])
    members = {team: team.crm_team_member_ids.user_id for team in teams}
    grades = [key for key, _label in CUSTOMER_GRADES]
    for index in range(count):
        name, city = person_name(rng), rng.choice(CITIES)
        vals = {
            "name": f"{city} · {name}",
            "contact_name": name,
            "phone": mobile_number(rng),
            **address_values(env, rng, city),
            "type": "lead",
            "source_id": rng.choice(sources).id,
            # Fewer A than C customers, as in a real book.
            "telesales_grade": rng.choices(grades, weights=(2, 3, 5))[0],
            "expected_revenue": rng.choice((3000, 5000, 8000, 12000, 20000)),
        }
        # Explicit False: CRM would otherwise give the lead to its creator.
        vals["team_id"] = vals["user_id"] = False
        if teams and rng.random() > 0.33:
            team = teams[index % len(teams)]
            vals["team_id"] = team.id
            if members[team] and rng.random() > 0.3:
                vals["user_id"] = rng.choice(members[team]).id
        yield vals


class TelesalesDemo(models.AbstractModel):
    """The steps of the demo data (demo/telesales_demo.xml calls them in order, after the
    demo department's records): leads, an allocation, a month of calls, attendance,
    commission and complaints, each walked through the addon's own methods. Seeded
    random: every install gets the same data."""

    _name = "telesales.demo"
    _description = "Telesales Demo Data"

    @api.model
    def _demo_company(self):
        """The demo company as the department it shows (first step, before the users):
        in China, on Shanghai time, in yuan (¥), and zh_CN installed with the
        translations of the installed modules, for the demo users who work in Chinese
        (the administrator stays in English). telesales_mgmt's own translations follow
        when its installation ends, as for every installed language."""
        company = self.env.ref("base.main_company")
        company.write({**COMPANY_ADDRESS, "name": "华信教育科技（上海）有限公司",
                       "country_id": self.env.ref("base.cn").id, "state_id": self.env.ref("base.state_cn_SH").id,
                       "telesales_tz": "Asia/Shanghai"})
        company.partner_id.tz = "Asia/Shanghai"
        self._demo_currency(company, self.env.ref("base.CNY"))
        self.env["res.lang"]._activate_and_install_lang("zh_CN")

    @api.model
    def _demo_currency(self, company, currency):
        """`company` in `currency`, and its default pricelist too, so that its quotations
        are in it. Odoo refuses to change a company's currency once it has journal items
        (account.company.write), and the accounting demo data of the module's
        dependencies gave the main company some, in dollars: a demo database only, set
        in SQL. Those demo entries and orders keep their figures and currency; every
        amount of the department (revenue, targets, orders, pay, commission) is in the
        new currency. A real company chooses its currency before its first journal entry."""
        currency.active = True
        former = company.currency_id
        if former == currency:
            return
        self.env.flush_all()
        self.env.execute_query(SQL("UPDATE res_company SET currency_id = %s WHERE id = %s",
                                   currency.id, company.id))
        company.invalidate_recordset(["currency_id"])
        self.env.registry.clear_cache()  # the company's currency is cached (res.company)
        self.env["product.pricelist"].search(
            [("company_id", "=", company.id), ("currency_id", "=", former.id)]).currency_id = currency

    @api.model
    def _demo_leads(self):
        """300 leads from every source, graded A/B/C, a third of them unassigned."""
        Lead = self.env["crm.lead"].with_context(
            mail_create_nolog=True, mail_notrack=True, tracking_disable=True)
        return Lead.create(list(lead_values(self.env, random.Random(DEMO_SEED), DEMO_LEADS)))

    @api.model
    def _demo_allocation(self):
        """An applied allocation for the first team and a department preview waiting for
        the manager, so the pool, the runs and the log have something to show."""
        Run = self.env["telesales.allocation.run"]
        team = self.env.ref("telesales_mgmt.team_a", raise_if_not_found=False)
        if team:
            Run.create({"level": "team", "team_id": team.id}).action_apply()
        preview = Run.create({"level": "department"})
        if team:
            self._demo_pool(team)
        return preview

    @api.model
    def _demo_pool(self, team):
        """A few of the team's leads taken back to the pool (公海), as the nightly
        recycling does, so that agents have something to claim."""
        leads = self.env["crm.lead"].search([("team_id", "=", team.id), ("user_id", "!=", False)],
                                            order="id", limit=12)
        reason = self.env._("Not contacted for %(days)s working days", days=7)
        leads._telesales_assign(False, False, "recycle", reason,
                                cooldown_until=fields.Datetime.now() + timedelta(days=7))

    @api.model
    def _demo_calls(self):
        """Calls of every telesales agent on their leads over the last 30 days, inside the
        calling windows, then the daily minimum judged for each past day. Outcomes follow a
        realistic funnel: most calls are not answered, few end in a deal."""
        rng = random.Random(DEMO_SEED)
        company = self.env.company
        tz = pytz.timezone(company.telesales_tz)
        Workday = self.env["telesales.workday"]
        agents = self.env["hr.employee"].search([
            ("telesales_role", "in", ("agent", "leader")), ("user_id", "!=", False),
            ("company_id", "=", company.id)])
        leads = self.env["crm.lead"].search([("user_id", "in", agents.user_id.ids)])
        leads_by_user = {}
        for lead in leads:
            leads_by_user.setdefault(lead.user_id, []).append(lead)
        outcomes = ["no_answer", "busy", "invalid", "not_interested", "effective", "intent", "deal"]
        # No random deals: a deal is a won opportunity, logged on its won day by _demo_commission.
        weights = (28, 8, 2, 22, 26, 14, 0)
        stage_of = {"no_answer": "preparation", "busy": "preparation", "invalid": "preparation",
                    "not_interested": "opening", "effective": "presentation",
                    "intent": "objection", "deal": "closing"}
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        call_days = [day for day in (today - timedelta(days=n) for n in range(DEMO_DAYS, -1, -1))
                     if Workday._is_company_working_day(company, day)]
        # Some agents work harder than others: the daily minimum is met, or not.
        diligence = {agent: rng.uniform(0.6, 1.1) for agent in agents}
        vals_list = []
        for day in call_days:
            for agent in agents:
                agent_leads = leads_by_user.get(agent.user_id)
                if not agent_leads:
                    continue
                # Two sessions a day: 09:05-11:55 and 13:35-18:20 local.
                for _n in range(int(rng.randint(*CALLS_PER_DAY) * diligence[agent])):
                    morning = rng.random() < 0.45
                    hour = rng.uniform(9.08, 11.9) if morning else rng.uniform(13.58, 18.3)
                    local = datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)
                    start = tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)
                    outcome = rng.choices(outcomes, weights=weights)[0]
                    talk = {"no_answer": 0, "busy": 0, "invalid": 0}.get(
                        outcome, rng.randint(20, 120) if outcome == "not_interested" else rng.randint(120, 900))
                    if start > now:
                        continue  # today's calls stop at the hour of installation
                    vals_list.append({
                        "lead_id": rng.choice(agent_leads).id, "user_id": agent.user_id.id,
                        "start": start, "end": start + timedelta(seconds=talk + 15),
                        "ring_seconds": 15, "talk_seconds": talk, "outcome": outcome,
                        "stage": stage_of[outcome], "company_id": company.id,
                        "intent_level": {"intent": "high", "deal": "high", "effective": "medium"}.get(outcome, "none"),
                    })
        calls = self.env["telesales.call"].sudo().with_context(
            telesales_seed=True, tracking_disable=True).create(vals_list)
        Minimum = self.env["telesales.daily.minimum"]
        # Past days only (today's cut-off may not have come); leaders are told of the
        # last one, not of a month of history.
        for day in call_days[:-1]:
            Minimum._judge_day(company, day, notify=day == call_days[-2])
        return calls

    @api.model
    def _demo_follow_ups(self):
        """The latest call of each open lead planned its follow-up (R-LEAD-4), as agents do:
        some are overdue, some due today, the rest in the coming days, so My Day's queue
        and the lead cards have something to show."""
        rng = random.Random(DEMO_SEED + 4)
        company = self.env.company
        tz = pytz.timezone(company.telesales_tz)
        today = fields.Date.context_today(self)
        self.env["telesales.call"].flush_model()
        self.env.cr.execute(SQL("""
            SELECT DISTINCT ON (c.lead_id) c.id
              FROM telesales_call c JOIN crm_lead l ON l.id = c.lead_id
             WHERE l.active AND l.won_status = 'pending' AND l.user_id = c.user_id
               AND c.company_id = %(company)s AND c.outcome IN ('no_answer', 'busy', 'not_interested',
                                                                 'effective', 'intent')
          ORDER BY c.lead_id, c.start DESC
        """, company=company.id))
        calls = self.env["telesales.call"].sudo().browse(row[0] for row in self.env.cr.fetchall())
        goals = ["确认报价", "约定演示时间", "回答价格异议", "再次联系决策人", "发送资料后回访"]
        # Each agent's leads in turn: overdue (yesterday or before), later, due today, ...
        offsets = (-1, 1, 0, 2, -2, 3, 0, 5)
        turn = {}
        for call in calls:
            turn[call.user_id] = turn.get(call.user_id, -1) + 1
            days = offsets[turn[call.user_id] % len(offsets)]
            local = datetime.combine(today + timedelta(days=days), datetime.min.time()) + timedelta(
                hours=rng.choice((9.5, 10, 10.5, 11, 14, 14.5, 15, 16, 17)))
            call.with_context(telesales_seed=True, tracking_disable=True).write({
                "plan_date": tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None),
                "plan_goal": rng.choice(goals), "plan_channel": "phone",
            })
        calls._create_plan_activities()
        return calls

    @api.model
    def _demo_attendance(self):
        """A month of check-ins for the telesales staff, by their own schedules: mostly on
        time, a few late, an early leave, an absence; then judged, as the nightly cron
        would have done."""
        rng = random.Random(DEMO_SEED)
        company = self.env.company
        today = company._telesales_today()
        start, stop = today - timedelta(days=DEMO_DAYS), today - timedelta(days=1)
        staff = self.env["hr.employee"].search([
            ("telesales_role", "in", ("agent", "leader")), ("company_id", "=", company.id)])
        for employee in staff.filtered(lambda e: not e.version_id.wage and e.telesales_rank_id):
            employee.version_id.wage = employee.telesales_rank_id.base_pay  # a day's wage to deduct
        # Read the schedules as the judge reads them (R-ATT-2).
        shifts = self.env["telesales.workday"]._shifts(staff, start, stop, schedule_tz=True)
        owed = self.env["telesales.attendance.judge"]._overtime_owed(staff, start, stop)
        utc = lambda moment: moment.astimezone(pytz.utc).replace(tzinfo=None)  # noqa: E731
        values = []
        for employee in staff:
            for day, shift in sorted(shifts.get(employee.id, {}).items()):
                if not shift.blocks:
                    continue
                roll = rng.random()
                if roll < 0.02:
                    continue  # absent
                arrive = shift.blocks[0][0] - timedelta(minutes=rng.randint(1, 12))
                # Who owes overtime for a missed daily minimum mostly stays for it.
                overtime = owed.get((employee.id, day), 0.0) if rng.random() < 0.9 else 0.0
                leave = shift.blocks[-1][1] + timedelta(hours=overtime, minutes=rng.randint(0, 20))
                if roll < 0.08:
                    arrive = shift.blocks[0][0] + timedelta(minutes=rng.choice((5, 12, 15, 25)))
                elif roll < 0.10:
                    leave = shift.blocks[-1][1] - timedelta(minutes=rng.choice((10, 40)))
                values.append({"employee_id": employee.id, "check_in": utc(arrive), "check_out": utc(leave)})
        self.env["hr.attendance"].create(values)
        self.env["telesales.attendance.judge"]._judge(staff, start, stop)
        company.telesales_attendance_judged_until = stop

    @api.model
    def _demo_deal_calls(self, deals):
        """The call that closed each won deal, at 15:00 of its won day (or earlier today): the
        call log's deals are the won opportunities the figures count (R-CALL-3)."""
        tz = pytz.timezone(self.env.company.telesales_tz)
        now = fields.Datetime.now()

        def at(day, hours):
            local = tz.localize(datetime.combine(day, datetime.min.time()) + timedelta(hours=hours))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        self.env["telesales.call"].sudo().with_context(telesales_seed=True, tracking_disable=True).create([{
            "lead_id": deal.id, "user_id": deal.user_id.id, "company_id": self.env.company.id,
            "start": max(at(deal.telesales_won_date, 0), min(now, at(deal.telesales_won_date, 15))),
            "talk_seconds": 600,
            "outcome": "deal", "stage": "closing", "intent_level": "high",
        } for deal in deals])

    @api.model
    def _demo_commission(self):
        """A plan with tiers, last month's targets, won deals, confirmed statements and
        honour titles, and this month's first deals in drafts."""
        rng = random.Random(DEMO_SEED)
        company = self.env.company
        today = fields.Date.context_today(self)
        last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        teams = self.env["crm.team"].search([("is_telesales", "=", True), ("company_id", "=", company.id)])
        self.env["telesales.commission.plan"].create({
            "name": self.env._("Telesales agents"), "team_ids": [(6, 0, teams.ids)], "gate": 80,
            "tier_ids": [(0, 0, {"lower": 0, "upper": 100, "rate": 3}),
                         (0, 0, {"lower": 100, "upper": 150, "rate": 5}),
                         (0, 0, {"lower": 150, "upper": 0, "rate": 8})]})
        agents = teams.telesales_employee_ids.filtered(lambda e: e.telesales_role == "agent").user_id
        Target = self.env["telesales.sales.target"]
        Target.create([{"user_id": user.id, "month": last_month, "amount": rng.choice((20000, 30000, 40000))}
                       for user in agents])
        Target.action_copy_last_month(today)
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        for user in agents:
            deals = self.env["crm.lead"].search([("user_id", "=", user.id)], limit=rng.randint(3, 7))
            deals.write({"type": "opportunity", "expected_revenue": rng.randint(4, 12) * 1000})
            deals.write({"stage_id": won_stage.id})
            deals[:-1].sudo().write({"telesales_won_date": last_month + timedelta(days=rng.randint(0, 25))})
            deals[-1:].sudo().write({"telesales_won_date": today.replace(day=rng.randint(1, today.day))})
            self._demo_deal_calls(deals)
        Statement = self.env["telesales.commission.statement"]
        Statement._make_month_statements(last_month).action_confirm()
        Statement._make_month_statements(today)
        self.env["telesales.honour.title"]._award(last_month)

    @api.model
    def _demo_rank_reviews(self):
        """Last quarter's rank reviews, as the cron proposes them (R-ORG-3), once every
        demo sale exists. The agents present for the whole quarter won deals in each of its
        months (`_demo_quarter_deals`), so the review judges them: promotions, keeps and a
        demotion; the trainees, who joined since, are not judged ("Joined on ...")."""
        Review = self.env["telesales.rank.review"]
        quarter = quarter_start(fields.Date.context_today(self)) - relativedelta(months=3)
        self._demo_quarter_deals(quarter)
        return Review._propose(quarter)

    @api.model
    def _demo_quarter_deals(self, quarter):
        """Deals won in each month of `quarter` by the agents present for all of it, to
        totals the ladder judges as their recent form says (last month's sales): the best
        third reach their rank's threshold (promoted; the top rank keeps it), the weakest
        seller who holds no Sales Star title falls under the threshold that led to their
        rank (demoted; none from Agent I, the step after the trainee's), the others land
        between (kept). What they had already won in the quarter counts."""
        rng, where = random.Random(DEMO_SEED + 17), random.Random(DEMO_SEED + 18)
        company = self.env.company
        end = quarter + relativedelta(months=3)
        agents = self.env["telesales.rank.review"]._agents_to_review(quarter).filtered(
            lambda e: e.company_id == company
            and (e.telesales_hire_date or e.telesales_live_date or quarter) <= quarter)
        if not agents:
            return self.env["crm.lead"]
        Lead = self.env["crm.lead"]
        last_month = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        recent = Lead._telesales_won_totals(agents.user_id, last_month, last_month + relativedelta(months=1))
        had = Lead._telesales_won_totals(agents.user_id, quarter, end)
        stars = self.env["telesales.honour.title"].sudo().search(
            [("month", "=", last_month), ("kind", "=", "sales_star"), ("company_id", "=", company.id)]).user_id

        def floor(rank):  # below it, the rank is lost (not below the trainee's)
            below = rank._previous_rank()
            return below.review_threshold if below and not below.is_trainee else 0.0

        by_form = agents.sorted(lambda e: (-recent.get(e.user_id.id, (0.0,))[0], e.id))
        best = by_form[:max(1, len(by_form) // 3)]
        weakest = by_form.filtered(lambda e: e not in best and e.user_id not in stars
                                   and had.get(e.user_id.id, (0.0,))[0] < floor(e.telesales_rank_id) * 0.6)[-1:]
        Workday = self.env["telesales.workday"]
        months = [quarter + relativedelta(months=n) for n in range(3)]
        working = {month: [day for day in (month + timedelta(days=n)
                                           for n in range((month + relativedelta(months=1) - month).days))
                           if Workday._is_company_working_day(company, day)] or [month] for month in months}
        values, won_on = [], []
        for agent in by_form:
            rank = agent.telesales_rank_id
            threshold, lowest = rank.review_threshold, floor(rank) or rank.review_threshold / 2
            if agent in best:
                total = threshold * rng.uniform(1.05, 1.25)
            elif agent in weakest:
                total = lowest * rng.uniform(0.6, 0.85)
            elif not rank._next_rank():  # the top rank keeps it at its threshold
                total = threshold * rng.uniform(1.0, 1.1)
            else:
                total = lowest + (threshold - lowest) * rng.uniform(0.25, 0.85)
            total -= had.get(agent.user_id.id, (0.0,))[0]
            if total < 3000:
                continue
            shares = [rng.uniform(0.7, 1.3) for _month in months]
            for month, share in zip(months, shares):
                amount = total * share / sum(shares)
                parts = [rng.uniform(0.7, 1.3) for _deal in range(max(1, round(amount / 30000)))]
                for part in parts:
                    name = person_name(rng)
                    values.append({"name": f"{name} · 课程订单", "contact_name": name, "phone": mobile_number(where),
                                   **address_values(self.env, where, where.choice(CITIES)),
                                   "type": "opportunity", "user_id": agent.user_id.id,
                                   "expected_revenue": max(100, round(amount * part / sum(parts), -2)),
                                   "team_id": agent.telesales_team_id.id})
                    won_on.append(rng.choice(working[month]))
        deals = Lead.with_context(mail_create_nolog=True, tracking_disable=True).create(values)
        deals.write({"stage_id": self.env["crm.stage"].search([("is_won", "=", True)], limit=1).id})
        for day in set(won_on):
            deals.browse([deal.id for deal, won in zip(deals, won_on) if won == day]).sudo().write(
                {"telesales_won_date": day})
        self._demo_deal_calls(deals)
        return deals

    @api.model
    def _demo_complaints(self):
        """A dozen complaints about the agents' customers, walked through the real steps
        to every stage; the oldest open ones are at risk or past their deadline."""
        ref = self.env.ref
        service = ref("telesales_mgmt.user_ts_service")
        after_sales = ref("telesales_mgmt.dep_after_sales")
        # Spread over agents, starting with the two demo logins the README names.
        agents = self.env["res.users"].search([("login", "in", ("ts_agent1", "ts_agent3", "ts_agent8", "ts_agent13"))],
                                              order="login")
        leads = self.env["crm.lead"]
        for index in range(10):
            leads |= self.env["crm.lead"].search(
                [("team_id.is_telesales", "=", True), ("user_id", "=", agents[index % len(agents)].id),
                 ("id", "not in", leads.ids)], limit=1, order="id")
        leads._handle_partner_assignment(create_missing=True)  # the customer who complains
        now = fields.Datetime.now()
        cases = [  # (category, severity, days ago, steps, subject)
            ("harassment", "general", 0, [], "一上午打了三次电话"),
            ("price", "general", 1, ["acknowledge"], "价格比电话里承诺的高"),
            ("delivery", "general", 1, ["acknowledge", "forward"], "课程资料没有收到"),
            ("delivery", "complex", 4, ["acknowledge", "forward", "start"], "包裹丢了两次"),
            ("product", "general", 5, ["acknowledge", "forward", "start"], "网课一直卡顿"),
            ("attitude", "general", 3, ["acknowledge", "resolve"], "坐席态度不耐烦"),
            ("price", "general", 8, ["acknowledge", "resolve", "close"], "申请退还定金"),
            ("attitude", "critical", 12, ["acknowledge", "resolve", "close"], "坐席提高嗓门说话"),
            ("other", "general", 2, ["cancel"], "打错号码，不是我们的客户"),
            ("delivery", "general", 6, ["acknowledge", "forward", "start", "resolve", "close"], "发票寄送太晚"),
        ]
        Complaint = self.env["telesales.complaint"].with_user(service)
        complaints = Complaint.browse()
        for (category, severity, days_ago, steps, subject), lead in zip(cases, leads):
            complaint = Complaint.create({
                "subject": subject, "lead_id": lead.id, "severity": severity,
                "category_id": ref(f"telesales_mgmt.complaint_category_{category}").id,
                "channel": "call" if days_ago % 3 else "email",
                "received_date": now - timedelta(days=days_ago, hours=2),
                "description": f"<p>{subject}。</p>"})
            for step in steps:
                if step == "forward":
                    complaint.responsible_department_id = after_sales
                if step == "close":
                    complaint.write({"resolution": "<p>再次致歉并已处理，客户认可。</p>",
                                     "satisfaction": 3 + days_ago % 3, "root_cause": "未按话术执行",
                                     "corrective_action": "组长一对一辅导"})
                getattr(complaint, f"action_{step}")()
            complaints |= complaint
        # Walked through today: date the resolutions as they would have happened, within
        # a day, except the invoice case, which took five.
        for complaint in complaints.filtered("resolved_date"):
            days = 5 if complaint.subject == "发票寄送太晚" else 0.8
            complaint.resolved_date = complaint.received_date + timedelta(days=days)
        complaints._refresh_sla()
        self.env["telesales.complaint"]._cron_sla()

    @api.model
    def _demo_phone_system(self):
        """A phone system connected (typed history still counts), an extension for each
        telesales employee, and the last working day's calls of an agent as its
        events made them: answered with recordings, unanswered, an unknown number, and an
        event from an extension nobody has (in the error log)."""
        company = self.env.company
        company.write({"telesales_cti_enabled": True, "telesales_cti_provider": "演示呼叫中心 (demo)",
                       "telesales_cti_secret": "demo-secret-change-me-0123456789",
                       "telesales_cti_typed_counts": True})
        staff = self.env["hr.employee"].search([("telesales_role", "!=", False), ("user_id", "!=", False),
                                                ("company_id", "=", company.id)], order="id")
        for number, employee in enumerate(staff, start=8001):
            employee.telesales_extension = str(number)
        agent = self.env.ref("telesales_mgmt.employee_ts_agent3")
        leads = self.env["crm.lead"].search([("user_id", "=", agent.user_id.id), ("phone_sanitized", "!=", False),
                                             ("won_status", "=", "pending")], order="id", limit=4)
        Workday = self.env["telesales.workday"]
        day = fields.Date.context_today(self) - timedelta(days=1)
        while not Workday._is_company_working_day(company, day):
            day -= timedelta(days=1)
        tz = pytz.timezone(company.telesales_tz)

        def call(key, extension, number, start, answered_after=None, talk=None, direction="outbound"):
            """The events of one call that rang at `start` (local hours) that day."""
            rang = tz.localize(datetime.combine(day, datetime.min.time()) + timedelta(hours=start))
            steps = [("ringing", 0), ("hangup", 35)] if answered_after is None else [
                ("ringing", 0), ("answered", answered_after), ("hangup", answered_after + talk),
                ("recording", answered_after + talk + 5)]
            return [{"call_id": key, "event": event, "at": (rang + timedelta(seconds=after)).isoformat(),
                     "direction": direction, "extension": extension, "number": number,
                     **({"recording_url": f"https://pbx.example.com/recordings/{key}.mp3"}
                        if event == "recording" else {})}
                    for event, after in steps]

        extension = agent.telesales_extension
        events = [
            *call("demo-1001", extension, leads[0].phone, 9.2, answered_after=8, talk=412),
            *call("demo-1002", extension, leads[1].phone, 9.52),
            *call("demo-1003", extension, leads[2].phone, 10.08, answered_after=14, talk=96),
            *call("demo-1004", extension, "+86 139 0000 0000", 10.67, answered_after=5, talk=61,
                  direction="inbound"),
            *call("demo-1005", extension, leads[3].phone, 14.03, answered_after=11, talk=655),
            *call("demo-1006", "8999", leads[0].phone, 15.0),
        ]
        return self.env["telesales.call"]._cti_receive(company, cti.parse_events(events))

    @api.model
    def _demo_targets(self):
        """Last year's won deals, busier in spring and before the year's end, and this
        year's plan for the department, broken down by them (seasonality) and confirmed
        (R-KPI-1); this month's draft statements follow the new targets."""
        rng = random.Random(DEMO_SEED + 15)
        company = self.env.company
        today = fields.Date.context_today(self)
        teams = self.env["crm.team"].search([("is_telesales", "=", True), ("company_id", "=", company.id)])
        agents = teams.telesales_employee_ids.filtered(lambda e: e.telesales_role == "agent").user_id
        season = (3, 3, 5, 6, 6, 4, 3, 3, 5, 6, 7, 9)  # deals a month last year
        won_on = [today.replace(year=today.year - 1, month=month, day=rng.randint(1, 28))
                  for month, count in enumerate(season, 1) for _deal in range(count)]
        values = []
        where = random.Random(DEMO_SEED + 16)  # the customers' numbers and addresses: the deals stay as they were
        for _won in won_on:
            user, name = rng.choice(agents), person_name(rng)
            values.append({"name": f"{name} · 课程订单", "contact_name": name, "phone": mobile_number(where),
                           **address_values(self.env, where, where.choice(CITIES)),
                           "type": "opportunity", "user_id": user.id, "expected_revenue": rng.randint(20, 60) * 1000,
                           "team_id": user.employee_ids[:1].telesales_team_id.id})
        Lead = self.env["crm.lead"].with_context(mail_create_nolog=True, tracking_disable=True)
        deals = Lead.create(values)
        deals.write({"stage_id": self.env["crm.stage"].search([("is_won", "=", True)], limit=1).id})
        for deal, day in zip(deals, won_on):
            deal.sudo().write({"telesales_won_date": day})
        plan = self.env["telesales.target.plan"].create({
            "year": today.year, "amount": 30_000 * 12 * len(agents), "team_ids": [(6, 0, teams.ids)]})
        plan.action_split_seasonal()
        plan.action_confirm()
        self.env["telesales.commission.statement"]._make_month_statements(today)
        self._demo_rank_reviews()
        return plan

    @api.model
    def _demo_appraisals(self):
        """Last month's appraisals opened as the cron does, then walked as the department
        would by now: a few done (graded, interviewed), some with the leader or the
        manager, the rest still at self-assessment; peers have rated some colleagues."""
        rng = random.Random(DEMO_SEED)
        company = self.env.company
        first = fields.Date.context_today(self).replace(day=1)
        Appraisal = self.env["telesales.appraisal"]
        appraisals = Appraisal._telesales_open_month(first - relativedelta(months=1), company).sorted("id")
        for rating in appraisals.rating_ids[::3]:
            rating.write({"score": rng.choice((60, 70, 80, 90)), "rated": True})
        for index, appraisal in enumerate(appraisals):
            step = ("done", "done", "interview", "manager", "leader", "self")[index % 6]
            if step == "self":
                continue
            appraisal.self_comment = "本月新客户增加，开场白还需改进。"
            appraisal._telesales_freeze_peer_ratings()
            for line in appraisal.line_ids.filtered(lambda line: line.kpi_id.source == "rated_leader"):
                line.leader_score = rng.choice((70, 80, 90))
            appraisal.write({"state": "leader", "leader_comment": "态度积极，跟进及时。"})
            if step == "leader":
                continue
            appraisal.state = "manager"
            if step == "manager":
                continue
            appraisal.write({"state": "hr", "manager_comment": "同意组长意见。"})
            appraisal.action_consolidate()
            if step == "interview":
                continue
            appraisal.write({"interview_date": first + timedelta(days=3), "interview_notes": "约定改进计划。",
                             "action_ids": [fields.Command.create({
                                 "name": "每天复盘三通有效沟通", "deadline": first + timedelta(days=30)})]})
            appraisal.action_interview_done()
        return appraisals

    @api.model
    def _demo_hiring(self):
        """Two hiring requests (增员, R-ORG-6), submitted by their leaders: Team A, after a
        strong end of last month (a few more deals won, to 90 % of its targets), passes the
        gate and waits for the manager; Team B missed its figures and is refused with them."""
        month = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        Request = self.env["telesales.hiring.request"]
        team_a = self.env.ref("telesales_mgmt.team_a", raise_if_not_found=False)
        team_b = self.env.ref("telesales_mgmt.team_b", raise_if_not_found=False)
        if not (team_a and team_b and team_a.user_id and team_b.user_id):
            return Request
        agents = Request._telesales_team_agents(team_a, month, month + relativedelta(months=1)).user_id
        targets = sum(self.env["telesales.sales.target"].search(
            [("user_id", "in", agents.ids), ("month", "=", month)]).mapped("amount"))
        missing = 0.9 * targets - sum(self.env["telesales.sales.target"]._telesales_achieved(
            self.env.company, "won_revenue", month, month + relativedelta(months=1), agents).values())
        if agents and missing > 0:
            Lead = self.env["crm.lead"].with_context(mail_create_nolog=True, tracking_disable=True)
            deals = Lead.create([{"name": f"{person_name(random.Random(i))} · 课程订单",
                                  "type": "opportunity", "user_id": user.id, "team_id": team_a.id,
                                  "expected_revenue": round(missing / len(agents) + 1)}
                                 for i, user in enumerate(agents)])
            deals.write({"stage_id": self.env["crm.stage"].search([("is_won", "=", True)], limit=1).id})
            deals.sudo().write({"telesales_won_date": month + timedelta(days=25)})
        job = self.env["hr.job"].create({"name": self.env._("Telesales Agent"), "company_id": self.env.company.id})
        requests = Request
        for team, headcount, reason in ((team_a, 2, "线索量增加，现有坐席跟进不过来。"),
                                        (team_b, 1, "一名坐席下月离职，需要补充。")):
            request = Request.with_user(team.user_id).create(
                {"team_id": team.id, "job_id": job.id, "headcount": headcount, "reason": reason})
            request.action_submit()
            requests |= request
        return requests

    @api.model
    def _demo_training(self):
        """The year's training plan (R-TRN-1) with three sessions: Team A's trainees attended
        the onboarding session and took its certification exam, one passing and one failing
        (R-TRN-2, R-TRN-3), both evaluated by their leader; a product session is done and a
        sales-skills session is planned for Team B."""
        if self.env["telesales.training.plan"].search_count([], limit=1):
            return self.env["telesales.training.plan"]
        ref = self.env.ref
        today = fields.Date.context_today(self)
        manager, leader_a = ref("telesales_mgmt.user_ts_manager"), ref("telesales_mgmt.user_ts_leader1")
        trainees = ref("telesales_mgmt.employee_ts_agent1") | ref("telesales_mgmt.employee_ts_agent2")
        team_b = self.env["hr.employee"].search([("telesales_team_id", "=", ref("telesales_mgmt.team_b").id),
                                                 ("telesales_role", "=", "agent")])
        exam = self.env["survey.survey"].create({
            "title": self.env._("Onboarding Exam (上岗考试)"), "certification": True, "access_mode": "public",
            "scoring_type": "scoring_with_answers", "scoring_success_min": 70.0, "users_login_required": True,
            "is_attempts_limited": True, "attempts_limit": 3,
            "question_and_page_ids": [fields.Command.create({
                "title": title, "question_type": "simple_choice", "sequence": n,
                "suggested_answer_ids": [fields.Command.create({"value": value, "is_correct": correct,
                                                                "answer_score": 10 if correct else 0})
                                         for value, correct in answers]})
                for n, (title, answers) in enumerate([
                    ("开场白第一句必须说明什么？(R-CALL-4)",
                     [("公司名称、本人姓名和来电目的", True), ("产品价格", False)]),
                    ("客户明确拒绝后应当怎么做？", [("礼貌结束并记录勿扰", True), ("换个号码继续打", False)]),
                    ("可以向客户承诺“保证效果”吗？(R-DATA-3)",
                     [("不可以，只介绍真实的产品信息", True), ("可以，成交更快", False)]),
                ])],
        })
        plan = self.env["telesales.training.plan"].create({
            "name": self.env._("Training Plan %(year)s", year=today.year), "year": today.year, "method": "classroom",
            "responsible_id": manager.id, "budget": 60000,
            "topics": "产品知识, 销售技巧, 沟通技巧, 团队协作",
            "goals": "<p>新人 5 天上岗培训并通过考试；每位坐席每季度至少 8 小时技能培训。</p>",
            "schedule": "每月第一周：产品知识；每月第三周：销售技巧与沟通；每季度：团队协作拓展。",
        })
        plan.action_approve()
        self.env.company.telesales_training_reward_amount = 200  # shows the reward (R-INC-3)

        def at(days, hour):
            return datetime.combine(today + timedelta(days=days), datetime.min.time()) + timedelta(hours=hour - 8)

        Session = self.env["telesales.training.session"].with_user(manager)
        onboarding, product, skills = Session.create([
            {"name": self.env._("Onboarding: products, rules and the first call"), "plan_id": plan.id,
             "topic": "onboarding", "start": at(-10, 9), "hours": 7, "trainer_id": leader_a.id, "cost": 800,
             "survey_id": exam.id, "location": "培训室 A",
             "attendance_ids": [fields.Command.create({"employee_id": e.id, "attended": True}) for e in trainees]},
            {"name": self.env._("Product knowledge: this quarter's courses"), "plan_id": plan.id,
             "topic": "product", "start": at(-3, 14), "hours": 2, "trainer_id": manager.id, "cost": 300,
             "attendance_ids": [fields.Command.create({"employee_id": e.id, "attended": e != trainees[1]})
                                for e in trainees]},
            {"name": self.env._("Sales skills: handling objections"), "plan_id": plan.id,
             "topic": "sales_skills", "start": at(7, 14), "hours": 3, "trainer_id": manager.id, "cost": 500,
             "attendance_ids": [fields.Command.create({"employee_id": e.id}) for e in team_b]},
        ])
        (onboarding | product).action_done()
        for employee, right in ((trainees[0], 3), (trainees[1], 1)):
            attempt = exam._create_answer(user=employee.user_id)
            for n, question in enumerate(exam.question_ids):
                attempt._save_lines(question, question.suggested_answer_ids[0 if n < right else 1].id)
            attempt._mark_done()
        results = onboarding.result_ids.with_user(manager)
        results.action_submit()
        for result, rating, note in zip(results.sorted(lambda r: r.employee_id != trainees[0]), (85, 55),
                                        ("开场白规范，能按流程跟进。", "仍需练习拒绝处理，考试未通过，需补考。")):
            result.with_user(leader_a).write({"application_rating": rating, "application_note": note})
            result.with_user(leader_a).action_evaluate()
        return plan

    @api.model
    def _demo_quality(self):
        """Call quality inspection (R-CALL-7): Team A's recorded effective calls of last week
        (a recording added to some of them), sampled as the weekly cron does; its leader
        inspected a few: passes acknowledged, a fail on a fatal criterion acknowledged,
        and a fail the agent appealed, waiting for the manager."""
        ref = self.env.ref
        leader, team = ref("telesales_mgmt.user_ts_leader1"), ref("telesales_mgmt.team_a")
        today = fields.Date.context_today(self)
        week = today - timedelta(days=today.weekday() + 7)
        calls = self.env["telesales.call"].search([
            ("team_id", "=", team.id), ("is_effective", "=", True), ("call_date", ">=", week),
            ("call_date", "<", week + timedelta(days=7))], order="id")
        for call in calls.filtered(lambda c: not c.recording_url)[::4]:
            call.sudo().recording_url = f"https://pbx.example.com/recordings/demo-{call.id}.mp3"
        Inspection = self.env["telesales.quality.inspection"].with_context(mail_create_nolog=True)
        sample = Inspection._telesales_sample_week(week, self.env.company).filtered(
            lambda i: i.team_id == team and i.user_id != leader).sorted("id")
        fatal = ref("telesales_mgmt.telesales_quality_scorecard_default").criterion_ids.filtered("fatal")[:1]
        for index, inspection in enumerate(sample[:6]):
            inspection = inspection.with_user(leader)
            inspection.action_start()
            if index in (2, 4):
                inspection.score_ids.filtered(lambda line: line.criterion_id == fatal).write({
                    "failed": True, "points": 0, "at_second": 95, "comment": "承诺“保证通过”，属于虚假承诺。"})
            inspection.comment = "开场白清楚，需求挖掘可以更深入。"
            inspection.action_done()
            agent = inspection.with_user(inspection.user_id)
            if index == 4:
                agent.appeal_reason = "我说的是“通过率高”，不是“保证通过”，请复听1:35处。"
                agent.action_appeal()
            elif index != 5:
                agent.action_acknowledge()
        return sample
