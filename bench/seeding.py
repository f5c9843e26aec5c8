"""The bulk data generator of the benchmarks (bench/bench_*.py) and of `make seed`
(scripts/seed.sh): telesales teams with their users and employees, and leads by the
thousand in batched `create`s. Tooling, not part of the addon: a company that installs
telesales_mgmt does not get it. Every function takes an Odoo `env` of a database with the
addon installed; seeded random: the same call gives the same data.

The leads are the demo's realistic leads (`lead_values` of the addon's demo model), in
bulk. Import it with this folder on `sys.path` (bench/run.py's own folder; scripts/seed.sh
inserts it).
"""
import itertools
import random
from datetime import timedelta

from odoo import fields

from odoo.addons.telesales_mgmt.models.telesales_demo import lead_values, person_name


def generate_department(env, agents, team_size=8, seed=42):
    """Create telesales teams of `team_size` agents (one of them the leader), with
    users and employees, `agents` agents in all. Returns the teams."""
    rng = random.Random(seed)
    company = env.company
    agent_group = env.ref("telesales_mgmt.group_telesales_agent")
    leader_group = env.ref("telesales_mgmt.group_telesales_leader")
    ranks = env["telesales.rank"].search([("company_id", "in", [False, company.id])])
    tag = f"{seed}-{env['crm.team'].search_count([])}"
    team_count = max(1, -(-agents // team_size))
    teams = env["crm.team"].create([
        {"name": f"Seed Team {tag}-{n + 1}", "is_telesales": True, "company_id": company.id}
        for n in range(team_count)])
    Users = env["res.users"].with_context(no_reset_password=True, mail_create_nolog=True)
    users = Users.create([{
        "name": person_name(rng),
        "login": f"seed-{tag}-{n}",
        "group_ids": [(6, 0, [(leader_group if n % team_size == 0 else agent_group).id])],
    } for n in range(agents)])
    live_since = fields.Date.context_today(company) - timedelta(days=60)
    picked = [rng.choice(ranks) for _user in users]
    employees = env["hr.employee"].with_context(tracking_disable=True).create([{
        "name": user.name,
        "user_id": user.id,
        "telesales_role": "leader" if n % team_size == 0 else "agent",
        "telesales_team_id": teams[n // team_size].id,
        "telesales_rank_id": rank.id,
        "telesales_ability": rng.choice("abc"),
        # Past the trainee rank, an agent went live (and claims from the pool, R-TRN-2).
        "telesales_status": "trainee" if rank.is_trainee else "live",
        "telesales_live_date": False if rank.is_trainee else live_since,
    } for n, (user, rank) in enumerate(zip(users, picked, strict=True))])
    for team, leader in zip(teams, employees[::team_size]):
        team.user_id = leader.user_id
    return teams


def generate_leads(env, count, seed=42, batch_size=2000):
    """Create `count` leads, `batch_size` per `create`: a source, a grade and a Chinese
    mobile number each; about a third go unassigned to the pool, the rest are spread over
    the telesales teams and their members. The batch size does not change the leads."""
    values = lead_values(env, random.Random(seed), count)
    Lead = env["crm.lead"].with_context(
        mail_create_nolog=True, mail_notrack=True, tracking_disable=True)
    leads = Lead.browse()
    for _start in range(0, count, batch_size):
        leads |= Lead.create(list(itertools.islice(values, batch_size)))
    return leads
