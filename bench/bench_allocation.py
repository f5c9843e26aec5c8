"""Lead allocation: ours (department → teams → agents, through the one door with its
log) against Odoo 19's own `crm.team._action_assign_leads`, on the same data.

For each scale: N unassigned leads, M agents in teams of 10, equal capacity. Each engine
runs in a savepoint that is rolled back, so both see the same data. Prints per scale
{"bench": "allocation", "leads", "agents", "native_s", "ours_s", "ratio", "max_minus_min"}
(native_s null where native is not run: it grows with the square of the leads).
"""
import math
import time
from collections import Counter

import seeding

from odoo.modules import module as odoo_module

SCALES = [(1_000, 20, True), (10_000, 200, True), (100_000, 500, False)]


class _Rollback(Exception):
    pass


def _in_savepoint(env, function):
    try:
        with env.cr.savepoint():
            raise _Rollback(function())
    except _Rollback as done:
        env.invalidate_all()
        return done.args[0]


def _build(env, leads, agents):
    # Only the bench's teams and leads take part (the database may hold demo data).
    env["crm.team"].search([("is_telesales", "=", True)]).write({"is_telesales": False})
    teams = seeding.generate_department(env, agents=agents, team_size=10)
    staff = teams.telesales_employee_ids
    # Every member takes leads in both engines (native gives leaders leads too).
    staff.write({"telesales_role": "agent", "telesales_status": "live",
                 "telesales_live_date": "2026-01-01"})
    env["telesales.allocation.rule"].search([]).active = False
    env["telesales.allocation.rule"].create([
        {"name": "bench teams", "level": "department", "strategy": "weighted",
         "domain": "[('name', '=like', 'Bench lead %')]"},
        {"name": "bench agents", "level": "team", "strategy": "round_robin", "daily_cap": 0,
         "open_cap": 0, "include_trainees": True},
    ])
    env.flush_all()
    env.cr.execute("""
        INSERT INTO crm_lead (name, type, active, company_id, probability, telesales_grade,
                              won_status, priority, stage_id, create_date, write_date,
                              create_uid, write_uid)
        SELECT 'Bench lead ' || g, 'lead', true, %s, 10, (ARRAY['a', 'b', 'c'])[1 + g %% 3],
               'pending', '0', (SELECT id FROM crm_stage ORDER BY sequence, id LIMIT 1),
               now(), now(), 1, 1
          FROM generate_series(1, %s) g
    """, (env.company.id, leads))
    env.invalidate_all()
    return teams


def _spread(env, users):
    counts = Counter(dict(env["crm.lead"]._read_group(
        [("user_id", "in", users.ids), ("name", "like", "Bench lead")], ["user_id"], ["__count"])))
    values = [counts.get(user, 0) for user in users]
    return max(values) - min(values), sum(values)


def run(env):
    lines = []
    for leads, agents, with_native in SCALES:
        def scale():
            teams = _build(env, leads, agents)
            users = teams.crm_team_member_ids.user_id

            def ours():
                start = time.perf_counter()
                # What the cron does: pool → teams → agents, one write per lead.
                env["telesales.allocation.run"].create(
                    {"level": "department", "to_agents": True}).action_apply()
                env.flush_all()
                elapsed = time.perf_counter() - start
                return elapsed, _spread(env, users)

            def native():
                teams.write({"assignment_optout": False})
                teams.crm_team_member_ids.write({"assignment_max": (math.ceil(leads / agents) + 1) * 30})
                env.flush_all()
                # Odoo commits between batches unless a test runs: keep it inside the
                # savepoint, so that both engines start from the same data.
                odoo_module.current_test = True
                try:
                    start = time.perf_counter()
                    teams._action_assign_leads(force_quota=True, creation_delta_days=0)
                    env.flush_all()
                    elapsed = time.perf_counter() - start
                finally:
                    odoo_module.current_test = None
                return elapsed, _spread(env, users)

            ours_s, (spread, assigned) = _in_savepoint(env, ours)
            native_s = _in_savepoint(env, native)[0] if with_native else None
            return {"bench": "allocation", "leads": leads, "agents": agents,
                    "native_s": round(native_s, 3) if native_s is not None else None,
                    "ours_s": round(ours_s, 3),
                    "ratio": round(ours_s / native_s, 4) if native_s else None,
                    "max_minus_min": spread, "assigned": assigned}
        lines.append(_in_savepoint(env, scale))
    return lines
