import random
from datetime import datetime, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..engines import cti
from .crm_lead import CUSTOMER_GRADES

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国玉兰志强"
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "苏州"]
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


def lead_values(env, rng, count):
    """Values of `count` realistic leads (a source, a grade, a Chinese mobile number),
    drawn from `rng`: the same seed gives the same leads. About a third go unassigned to
    the pool; the rest are spread over the telesales teams and their members.

    The demo creates 300 of them; the bulk generator of the benchmarks and `make seed`
    (bench/seeding.py, outside the addon) creates them in batches from the same values."""
    sources = [env.ref(xmlid) for xmlid in SOURCE_XMLIDS]
    teams = env["crm.team"].search([("is_telesales", "=", True)])
    members = {team: team.crm_team_member_ids.user_id for team in teams}
    grades = [key for key, _label in CUSTOMER_GRADES]
    for index in range(count):
        name = person_name(rng)
        vals = {
            "name": f"{rng.choice(CITIES)} · {name}",
            "contact_name": name,
            "phone": f"+86 1{rng.choice('3578')}{rng.randrange(10**9):09d}",
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
        leads._telesales_assign(False, False, "recycle", self.env._("Not contacted for 7 days"),
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
        weights = (28, 8, 2, 22, 26, 11, 3)
        stage_of = {"no_answer": "preparation", "busy": "preparation", "invalid": "preparation",
                    "not_interested": "opening", "effective": "presentation",
                    "intent": "objection", "deal": "closing"}
        today = fields.Date.context_today(self)
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
        Statement = self.env["telesales.commission.statement"]
        Statement._make_month_statements(last_month).action_confirm()
        Statement._make_month_statements(today)
        self.env["telesales.honour.title"]._award(last_month)

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
            ("harassment", "general", 0, [], "Called three times in one morning"),
            ("price", "general", 1, ["acknowledge"], "Price higher than promised on the phone"),
            ("delivery", "general", 1, ["acknowledge", "forward"], "Course materials not received"),
            ("delivery", "complex", 4, ["acknowledge", "forward", "start"], "Parcel lost twice"),
            ("product", "general", 5, ["acknowledge", "forward", "start"], "Online class keeps freezing"),
            ("attitude", "general", 3, ["acknowledge", "resolve"], "Agent was impatient"),
            ("price", "general", 8, ["acknowledge", "resolve", "close"], "Refund of the deposit"),
            ("attitude", "critical", 12, ["acknowledge", "resolve", "close"], "Agent raised his voice"),
            ("other", "general", 2, ["cancel"], "Wrong number, not our customer"),
            ("delivery", "general", 6, ["acknowledge", "forward", "start", "resolve", "close"], "Invoice sent late"),
        ]
        Complaint = self.env["telesales.complaint"].with_user(service)
        complaints = Complaint.browse()
        for (category, severity, days_ago, steps, subject), lead in zip(cases, leads):
            complaint = Complaint.create({
                "subject": subject, "lead_id": lead.id, "severity": severity,
                "category_id": ref(f"telesales_mgmt.complaint_category_{category}").id,
                "channel": "call" if days_ago % 3 else "email",
                "received_date": now - timedelta(days=days_ago, hours=2),
                "description": f"<p>{subject}.</p>"})
            for step in steps:
                if step == "forward":
                    complaint.responsible_department_id = after_sales
                if step == "close":
                    complaint.write({"resolution": "<p>Apologised again and fixed; the customer agreed.</p>",
                                     "satisfaction": 3 + days_ago % 3, "root_cause": "Script not followed",
                                     "corrective_action": "Coaching session with the leader"})
                getattr(complaint, f"action_{step}")()
            complaints |= complaint
        # Walked through today: date the resolutions as they would have happened, within
        # a day, except the invoice case, which took five.
        for complaint in complaints.filtered("resolved_date"):
            days = 5 if complaint.subject == "Invoice sent late" else 0.8
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
        for _won in won_on:
            user, name = rng.choice(agents), person_name(rng)
            values.append({"name": self.env._("%(name)s: course order", name=name), "contact_name": name,
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
