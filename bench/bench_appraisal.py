"""Appraisal indicators (R-KPI-2): every computed indicator of one month for 1,000 agents,
over 100,000 deals won that month and 1,000,000 calls, against plain SQL computing the
same figures in the same run.

Prints {"bench": "appraisal", "agents", "deals", "calls", "ours_s", "reference_s", "ratio",
"kpi_values_s", "appraisals", "lines"}. `ours` is the month's opening as the cron does it
(`telesales.appraisal._telesales_open_month`: every computed indicator in one batch, then
the appraisals with their frozen lines and the peer rating sheets); `kpi_values_s` is the
indicators' part of it (`telesales.kpi._telesales_kpi_values`), measured alone before.
"""
import time
from datetime import date

import seeding

AGENTS, DEALS, CALLS, PARTNERS, COMPLAINTS = 1000, 100_000, 1_000_000, 30_000, 5_000
MONTH, NEXT = date(2026, 10, 1), date(2026, 11, 1)


def _build(env):
    teams = seeding.generate_department(env, agents=AGENTS * 11 // 10, team_size=11)
    employees = teams.telesales_employee_ids.filtered(lambda e: e.telesales_role == "agent")
    users = employees.user_id
    assert len(users) == AGENTS
    company = env.company
    company.telesales_cti_enabled = False
    env["telesales.sales.target"].create([{"user_id": user.id, "month": MONTH, "amount": 150_000}
                                          for user in users])
    won_stage = env["crm.stage"].search([("is_won", "=", True)], limit=1)
    referral = env.ref("telesales_mgmt.utm_source_referral")
    stage = env["telesales.complaint.stage"].search([("state", "=", "new")], limit=1)
    category = env["telesales.complaint.category"].search([], limit=1)
    env.flush_all()
    cr = env.cr
    cr.execute("""
        INSERT INTO res_partner (name, complete_name, active, type, autopost_bills, company_id, create_date, write_date)
        SELECT 'Bench customer ' || g, 'Bench customer ' || g, true, 'contact', 'ask', %s, now(), now()
          FROM generate_series(1, %s) g RETURNING id
    """, (company.id, PARTNERS))
    partners = [row[0] for row in cr.fetchall()]
    # A deal a day or two after its lead was created; one in ten came by referral.
    cr.execute("""
        INSERT INTO crm_lead (name, type, active, company_id, probability, won_status, priority, stage_id,
                              expected_revenue, user_id, telesales_won_user_id, telesales_won_date, partner_id,
                              source_id, create_date, write_date, create_uid, write_uid)
        SELECT 'Bench deal ' || g, 'opportunity', true, %(company)s, 100, 'won', '0', %(stage)s,
               1000 + (g * 37) %% 9000, u.id, u.id, %(month)s::date + (g %% 28),
               (%(partners)s::int[])[1 + (g * 7919) %% %(n_partners)s],
               CASE WHEN g %% 10 = 0 THEN %(referral)s END,
               %(month)s::date + (g %% 28) - (g %% 20) - 1, now(), 1, 1
          FROM generate_series(1, %(deals)s) g
          JOIN LATERAL (SELECT (%(users)s::int[])[1 + g %% %(n_users)s] AS id) u ON true
        RETURNING id
    """, {"company": company.id, "stage": won_stage.id, "month": MONTH, "partners": partners,
          "n_partners": len(partners), "referral": referral.id, "deals": DEALS, "users": users.ids,
          "n_users": len(users)})
    deals = [row[0] for row in cr.fetchall()]
    # A million calls over the month; one in five on a deal's lead (its first contacts).
    cr.execute("""
        INSERT INTO telesales_call (user_id, company_id, direction, outcome, source, start, call_date,
                                    local_hour, talk_seconds, ring_seconds, is_connected, is_effective,
                                    lead_id, create_date, write_date, create_uid, write_uid)
        SELECT u.id, %(company)s, CASE WHEN g %% 10 = 0 THEN 'inbound' ELSE 'outbound' END,
               (ARRAY['no_answer', 'busy', 'not_interested', 'effective', 'intent'])[1 + g %% 5], 'typed',
               %(month)s::date + (g %% 30) + interval '1 hour' + (g %% 480) * interval '1 minute',
               %(month)s::date + (g %% 30), 9 + (g %% 480) / 60.0, (g %% 5) * 60, 10,
               g %% 5 >= 2, g %% 5 >= 3,
               CASE WHEN g %% 5 = 0 THEN (%(deals)s::int[])[1 + g %% %(n_deals)s] END, now(), now(), 1, 1
          FROM generate_series(1, %(calls)s) g
          JOIN LATERAL (SELECT (%(users)s::int[])[1 + g %% %(n_users)s] AS id) u ON true
    """, {"company": company.id, "month": MONTH, "deals": deals, "n_deals": len(deals), "calls": CALLS,
          "users": users.ids, "n_users": len(users)})
    cr.execute("""
        INSERT INTO telesales_daily_minimum (employee_id, user_id, company_id, date, met, connected, talk_hours,
                                             create_date, write_date, create_uid, write_uid)
        SELECT e.id, e.user_id, %s, d::date, (e.id + extract(day FROM d)::int) %% 4 != 0, 40, 3.5,
               now(), now(), 1, 1
          FROM unnest(%s::int[], %s::int[]) AS e(id, user_id)
          CROSS JOIN generate_series(%s::date, %s::date - 1, interval '1 day') d
         WHERE extract(isodow FROM d) < 6
    """, (company.id, employees.ids, employees.user_id.ids, MONTH, NEXT))
    cr.execute("""
        INSERT INTO telesales_complaint (name, company_id, category_id, stage_id, state, subject, channel, severity,
                                         received_date, agent_id, satisfaction, create_date, write_date)
        SELECT 'BENCH-' || g, %s, %s, %s, 'new', 'Bench complaint', 'call', 'general',
               %s::date + (g %% 30) + interval '3 hours', (%s::int[])[1 + g %% %s], g %% 6, now(), now()
          FROM generate_series(1, %s) g
    """, (company.id, category.id, stage.id, MONTH, users.ids, len(users), COMPLAINTS))
    for table in ("res_partner", "crm_lead", "telesales_call", "telesales_daily_minimum", "telesales_complaint"):
        cr.execute(f"ANALYZE {table}")  # pylint: disable=sql-injection
    env.invalidate_all()
    return users


REFERENCE = """
WITH sales AS (
    SELECT telesales_won_user_id AS uid, SUM(expected_revenue) AS total, COUNT(*) AS deals,
           COUNT(DISTINCT partner_id) FILTER (WHERE NOT EXISTS (
               SELECT 1 FROM crm_lead e WHERE e.partner_id = d.partner_id AND e.won_status = 'won'
                  AND e.telesales_won_date < %(start)s)) AS new_customers,
           COUNT(*) FILTER (WHERE source_id = %(referral)s OR EXISTS (
               SELECT 1 FROM crm_lead e WHERE e.partner_id = d.partner_id AND e.won_status = 'won'
                  AND (e.telesales_won_date, e.id) < (d.telesales_won_date, d.id))) AS loyal,
           AVG(GREATEST(0, telesales_won_date - COALESCE(
               (SELECT MIN(c.call_date) FROM telesales_call c WHERE c.lead_id = d.id), create_date::date))) AS cycle
      FROM crm_lead d
     WHERE won_status = 'won' AND telesales_won_user_id = ANY(%(users)s)
       AND telesales_won_date >= %(start)s AND telesales_won_date < %(end)s
  GROUP BY 1),
targets AS (
    SELECT user_id AS uid, SUM(amount) AS amount FROM telesales_sales_target
     WHERE user_id = ANY(%(users)s) AND month >= %(start)s AND month < %(end)s GROUP BY 1),
calls AS (
    SELECT user_id AS uid, COUNT(*) FILTER (WHERE direction = 'outbound') AS dialled,
           COUNT(*) FILTER (WHERE is_effective) AS effective
      FROM telesales_call
     WHERE user_id = ANY(%(users)s) AND call_date >= %(start)s AND call_date < %(end)s GROUP BY 1),
days AS (
    SELECT user_id AS uid, 100.0 * COUNT(*) FILTER (WHERE met) / COUNT(*) AS share
      FROM telesales_daily_minimum
     WHERE user_id = ANY(%(users)s) AND date >= %(start)s AND date < %(end)s GROUP BY 1),
complaints AS (
    SELECT agent_id AS uid, COUNT(*) AS count, AVG(satisfaction) FILTER (WHERE satisfaction > 0) AS satisfaction
      FROM telesales_complaint
     WHERE agent_id = ANY(%(users)s) AND received_date >= %(start)s AND received_date < %(end)s
       AND state != 'cancelled' GROUP BY 1),
orders AS (
    SELECT telesales_won_user_id AS uid, SUM(margin) AS margin FROM sale_order
     WHERE state = 'sale' AND telesales_won_user_id = ANY(%(users)s)
       AND telesales_won_date >= %(start)s AND telesales_won_date < %(end)s GROUP BY 1)
SELECT u.uid, s.total, 100.0 * s.total / t.amount, s.new_customers, 100.0 * s.loyal / s.deals, s.cycle,
       c.dialled, c.effective, d.share, k.count, COALESCE(k.satisfaction * 20, 100), o.margin
  FROM unnest(%(users)s::int[]) AS u(uid)
  LEFT JOIN sales s ON s.uid = u.uid LEFT JOIN targets t ON t.uid = u.uid LEFT JOIN calls c ON c.uid = u.uid
  LEFT JOIN days d ON d.uid = u.uid LEFT JOIN complaints k ON k.uid = u.uid LEFT JOIN orders o ON o.uid = u.uid
"""


def run(env):
    users = _build(env)
    referral = env.ref("telesales_mgmt.utm_source_referral")
    start = time.perf_counter()
    env.cr.execute(REFERENCE, {"users": users.ids, "start": MONTH, "end": NEXT, "referral": referral.id})
    reference = env.cr.fetchall()
    reference_s = time.perf_counter() - start

    start = time.perf_counter()
    values = env["telesales.kpi"]._telesales_kpi_values(users, MONTH, NEXT, env.company)
    kpi_values_s = time.perf_counter() - start

    env.invalidate_all()
    start = time.perf_counter()
    appraisals = env["telesales.appraisal"]._telesales_open_month(MONTH, env.company)
    env.flush_all()
    ours_s = time.perf_counter() - start
    assert set(users.ids) <= set(appraisals.user_id.ids), "every agent's appraisal opened"

    def total(code):
        return round(sum(value or 0 for value, _evidence in values[code].values()), 2)

    def column(index):
        return round(float(sum(row[index] or 0 for row in reference)), 2)

    for code, index in (("sales_amount", 1), ("target_achievement", 2), ("new_customers", 3), ("loyalty", 4),
                        ("sales_cycle", 5), ("calls_dialled", 6), ("effective_conversations", 7),
                        ("daily_minimum_days", 8), ("complaints", 9), ("satisfaction", 10), ("profit", 11)):
        assert abs(total(code) - column(index)) < 0.05 * len(users), (code, total(code), column(index))
    env.cr.execute("""SELECT (SELECT COUNT(*) FROM crm_lead WHERE telesales_won_user_id = ANY(%(users)s)),
                             (SELECT COUNT(*) FROM telesales_call WHERE user_id = ANY(%(users)s))""",
                   {"users": users.ids})
    deals, calls = env.cr.fetchone()
    return [{"bench": "appraisal", "agents": len(users), "deals": deals, "calls": calls,
             "ours_s": round(ours_s, 3), "reference_s": round(reference_s, 3),
             "ratio": round(ours_s / reference_s, 1), "kpi_values_s": round(kpi_values_s, 3),
             "appraisals": len(appraisals), "lines": len(appraisals.line_ids)}]
