"""Daily call figures and the lead list on 1,000,000 calls (500 agents, 90 days).

ours: the `telesales.call.daily` report read as the department manager (record rules
included) grouped by agent and by day, and the lead list with its call columns.
reference: a plain SQL GROUP BY over `telesales_call` in the same run; for the lead list,
the same columns aggregated from the calls.
ratio = ours_s / reference_s. Target: each within 3x and under 1 s.

The calls are inserted with SQL (the ORM would take many minutes for a million rows),
with the same stored columns the ORM computes; leads get their call columns the same way.
"""
import time

import seeding

from odoo.tests import new_test_user
from odoo.tools import SQL

CALLS = 1_000_000
AGENTS = 500
DAYS = 90
LEADS = 20_000
REPEAT = 3


def _best(function):
    best = None
    for _ in range(REPEAT):
        start = time.perf_counter()
        function()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def _populate(env):
    teams = seeding.generate_department(env, agents=AGENTS, team_size=10)
    users = teams.telesales_employee_ids.user_id
    seeding.generate_leads(env, LEADS, seed=3)
    env.flush_all()
    company = env.company
    cr = env.cr
    cr.execute(SQL(
        """
        WITH agents AS (
            SELECT row_number() OVER (ORDER BY e.id) - 1 AS n, e.user_id, e.id AS employee_id,
                   e.telesales_team_id AS team_id
              FROM hr_employee e WHERE e.user_id = ANY(%(users)s)
        ), leads AS (
            SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM crm_lead
             WHERE type = 'lead' ORDER BY id LIMIT %(leads)s
        ), series AS (
            SELECT g,
                   (g * 7919) %% 100 AS roll,
                   9 + ((g * 104729) %% 900) / 100.0 AS hour,
                   CURRENT_DATE - (g %% %(days)s)::int AS day
              FROM generate_series(1::bigint, %(calls)s) g
        )
        INSERT INTO telesales_call (user_id, employee_id, team_id, company_id, lead_id,
                                    direction, start, call_date, local_hour, ring_seconds,
                                    talk_seconds, outcome, stage, is_connected, is_effective,
                                    outside_window, create_uid, write_uid, create_date, write_date)
        SELECT a.user_id, a.employee_id, a.team_id, %(company)s, l.id, 'outbound',
               (s.day + s.hour * interval '1 hour') - interval '8 hours', s.day, s.hour, 15,
               CASE WHEN s.roll < 40 THEN 0 WHEN s.roll < 65 THEN 45 ELSE 300 END,
               CASE WHEN s.roll < 40 THEN 'no_answer' WHEN s.roll < 65 THEN 'not_interested'
                    WHEN s.roll < 90 THEN 'effective' WHEN s.roll < 98 THEN 'intent' ELSE 'deal' END,
               CASE WHEN s.roll < 40 THEN 'preparation' WHEN s.roll < 65 THEN 'opening' ELSE 'presentation' END,
               s.roll >= 40, s.roll >= 65, false, 1, 1, now(), now()
          FROM series s
          JOIN agents a ON a.n = s.g %% %(agents)s
          JOIN leads l ON l.n = s.g %% %(leads)s
        """, users=users.ids, leads=LEADS, days=DAYS, calls=CALLS, company=company.id,
        agents=len(users)))
    cr.execute("""
        UPDATE crm_lead l SET telesales_call_count = s.n, telesales_last_call_date = s.last
          FROM (SELECT lead_id, COUNT(*) AS n, MAX(start) AS last FROM telesales_call GROUP BY lead_id) s
         WHERE s.lead_id = l.id
    """)
    cr.execute("ANALYZE telesales_call; ANALYZE crm_lead")
    env.invalidate_all()


def run(env):
    _populate(env)
    manager = new_test_user(env, "bench_manager", groups="telesales_mgmt.group_telesales_manager")
    Daily = env["telesales.call.daily"].with_user(manager)
    Lead = env["crm.lead"].with_user(manager)
    cr = env.cr

    def ours_by(groupby):
        def query():
            env.invalidate_all()
            Daily._read_group([], [groupby], ["dialled:sum", "connected:sum", "effective:sum",
                                              "deals:sum", "talk_seconds:sum"])
        return query

    def reference_by(column):
        def query():
            cr.execute(SQL(
                """SELECT %(column)s, COUNT(*), COUNT(*) FILTER (WHERE is_connected),
                          COUNT(*) FILTER (WHERE is_effective), COUNT(*) FILTER (WHERE outcome = 'deal'),
                          SUM(talk_seconds)
                     FROM telesales_call GROUP BY %(column)s""", column=SQL.identifier(column)))
            cr.fetchall()
        return query

    def ours_lead_list():
        env.invalidate_all()
        Lead.search_read([("type", "=", "lead")],
                         ["name", "user_id", "telesales_grade", "telesales_call_count",
                          "telesales_last_call_date", "telesales_last_outcome"],
                         limit=80, order="telesales_last_call_date desc")

    def reference_lead_list():
        cr.execute("""
            SELECT l.id, l.name, COUNT(c.id), MAX(c.start)
              FROM crm_lead l JOIN telesales_call c ON c.lead_id = l.id
             WHERE l.type = 'lead'
          GROUP BY l.id ORDER BY MAX(c.start) DESC LIMIT 80""")
        cr.fetchall()

    lines = []
    for query, ours, reference in [("by_agent", ours_by("user_id"), reference_by("user_id")),
                                   ("by_day", ours_by("date:day"), reference_by("call_date")),
                                   ("lead_list", ours_lead_list, reference_lead_list)]:
        ours_s, reference_s = _best(ours), _best(reference)
        lines.append({"bench": "calls_report", "calls": CALLS, "agents": AGENTS, "days": DAYS,
                      "query": query, "ours_s": round(ours_s, 4),
                      "reference_s": round(reference_s, 4), "ratio": round(ours_s / reference_s, 3)})
    return lines
