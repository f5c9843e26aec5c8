import random

from odoo import api, models

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


class TelesalesSeed(models.AbstractModel):
    """Realistic leads in bulk, for the demo data and for the benchmarks' data sets.
    Seeded random: the same call gives the same data."""

    _name = "telesales.seed"
    _description = "Telesales Data Generator"

    @api.model
    def _generate_department(self, agents, team_size=8, seed=42):
        """Create telesales teams of `team_size` agents (one of them the leader), with
        users and employees, `agents` agents in all. Returns the teams."""
        rng = random.Random(seed)
        company = self.env.company
        agent_group = self.env.ref("telesales_mgmt.group_telesales_agent")
        leader_group = self.env.ref("telesales_mgmt.group_telesales_leader")
        ranks = self.env["telesales.rank"].search([("company_id", "in", [False, company.id])])
        tag = f"{seed}-{self.env['crm.team'].search_count([])}"
        team_count = max(1, -(-agents // team_size))
        teams = self.env["crm.team"].create([
            {"name": f"Seed Team {tag}-{n + 1}", "is_telesales": True, "company_id": company.id}
            for n in range(team_count)])
        Users = self.env["res.users"].with_context(no_reset_password=True, mail_create_nolog=True)
        users = Users.create([{
            "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "login": f"seed-{tag}-{n}",
            "group_ids": [(6, 0, [(leader_group if n % team_size == 0 else agent_group).id])],
        } for n in range(agents)])
        employees = self.env["hr.employee"].with_context(tracking_disable=True).create([{
            "name": user.name,
            "user_id": user.id,
            "telesales_role": "leader" if n % team_size == 0 else "agent",
            "telesales_team_id": teams[n // team_size].id,
            "telesales_rank_id": rng.choice(ranks).id,
            "telesales_ability": rng.choice("abc"),
        } for n, user in enumerate(users)])
        for team, leader in zip(teams, employees[::team_size]):
            team.telesales_leader_id = leader
        return teams

    @api.model
    def _generate_leads(self, count, seed=42, batch_size=2000):
        """Create `count` leads with a source, a grade and a Chinese mobile number.
        About a third go unassigned to the pool; the rest are spread over the telesales
        teams and their members."""
        rng = random.Random(seed)
        sources = [self.env.ref(xmlid) for xmlid in SOURCE_XMLIDS]
        teams = self.env["crm.team"].search([("is_telesales", "=", True)])
        members = {team: team.crm_team_member_ids.user_id for team in teams}
        grades = [key for key, _label in CUSTOMER_GRADES]
        Lead = self.env["crm.lead"].with_context(
            mail_create_nolog=True, mail_notrack=True, tracking_disable=True)
        leads = Lead.browse()
        for start in range(0, count, batch_size):
            vals_list = []
            for index in range(start, min(count, start + batch_size)):
                name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
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
                vals_list.append(vals)
            leads |= Lead.create(vals_list)
        return leads
