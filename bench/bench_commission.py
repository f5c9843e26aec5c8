"""Commission statements (R-INC-1): 1,000 agents with 100,000 deals won in a month,
against a single SQL aggregation of the same sums in the same run.

Prints {"bench": "commission", "agents", "deals", "ours_s", "reference_s", "ratio"}.
"""
import time
from datetime import date

import seeding

AGENTS, DEALS, MONTH = 1000, 100_000, date(2026, 10, 1)


def _build(env):
    # Teams of 11: a leader and 10 agents; plans reach agents only.
    teams = seeding.generate_department(env, agents=AGENTS * 11 // 10, team_size=11)
    users = teams.telesales_employee_ids.filtered(lambda e: e.telesales_role == "agent").user_id
    assert len(users) == AGENTS
    env["telesales.commission.plan"].search([]).active = False
    env["telesales.commission.plan"].create({
        "name": "Bench", "team_ids": [(6, 0, teams.ids)], "gate": 80,
        "tier_ids": [(0, 0, {"lower": 0, "upper": 100, "rate": 2}),
                     (0, 0, {"lower": 100, "upper": 150, "rate": 4}),
                     (0, 0, {"lower": 150, "upper": 0, "rate": 6})]})
    env["telesales.sales.target"].create([{"user_id": user.id, "month": MONTH, "amount": 100_000}
                                          for user in users])
    won_stage = env["crm.stage"].search([("is_won", "=", True)], limit=1)
    env.flush_all()
    env.cr.execute("""
        INSERT INTO crm_lead (name, type, active, company_id, probability, won_status, priority,
                              stage_id, expected_revenue, user_id, telesales_won_user_id,
                              telesales_won_date, create_date, write_date, create_uid, write_uid)
        SELECT 'Bench deal ' || g, 'opportunity', true, %s, 100, 'won', '0', %s,
               1000 + (g * 37) %% 9000, u.id, u.id, %s::date + (g %% 28), now(), now(), 1, 1
          FROM generate_series(1, %s) g
          JOIN LATERAL (SELECT (%s::int[])[1 + g %% %s] AS id) u ON true
    """, (env.company.id, won_stage.id, MONTH, DEALS, users.ids, len(users)))
    env.invalidate_all()
    return users


def run(env):
    users = _build(env)
    start = time.perf_counter()
    env.cr.execute("""
        SELECT telesales_won_user_id, SUM(expected_revenue), COUNT(*) FROM crm_lead
         WHERE won_status = 'won' AND telesales_won_date >= %s AND telesales_won_date < %s
           AND telesales_won_user_id = ANY(%s)
      GROUP BY telesales_won_user_id
    """, (MONTH, date(2026, 11, 1), users.ids))
    reference = env.cr.fetchall()
    reference_s = time.perf_counter() - start

    start = time.perf_counter()
    statements = env["telesales.commission.statement"]._make_month_statements(MONTH)
    env.flush_all()
    ours_s = time.perf_counter() - start
    assert round(sum(statements.mapped("sales_total")), 2) == round(float(sum(row[1] for row in reference)), 2), (
        sum(statements.mapped("sales_total")), sum(row[1] for row in reference), len(statements), len(reference))
    return [{"bench": "commission", "agents": len(statements), "deals": sum(row[2] for row in reference),
             "ours_s": round(ours_s, 3), "reference_s": round(reference_s, 4),
             "ratio": round(ours_s / reference_s, 1)}]
