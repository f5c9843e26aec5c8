"""Call quality sampling (R-CALL-7): the weekly draw for 500 agents over 1,000,000 calls
made in the sampled week (the worst case: a month of calls in one week), against plain
SQL selecting the same sample per agent in the same run.

Prints {"bench": "quality", "agents", "calls", "ours_s", "reference_s", "ratio",
"sampled"}. `ours` is `telesales.quality.inspection._telesales_sample_week` as the weekly
cron runs it: the agents' factors (trainees, complaints), the seeded draw and the
inspections written, in batches of agents; `reference` is one SELECT drawing the same
calls (md5 order per agent, a window function) without writing them.
"""
import time
from datetime import date, timedelta

import seeding

AGENTS, CALLS = 500, 1_000_000
WEEK = date(2026, 10, 5)  # a Monday

REFERENCE = """
WITH agent AS (
    SELECT * FROM unnest(%(users)s::int[], %(factors)s::float8[]) AS a(user_id, factor)
), pool AS (
    SELECT c.id, c.user_id,
           ROW_NUMBER() OVER (PARTITION BY c.user_id ORDER BY md5(%(seed)s || '/' || c.user_id || '/' || c.id), c.id)
               AS draw,
           COUNT(*) OVER (PARTITION BY c.user_id) AS recorded
      FROM telesales_call c
     WHERE c.user_id = ANY(%(users)s) AND c.is_effective AND c.recording_url IS NOT NULL
       AND c.call_date >= %(start)s AND c.call_date < %(end)s
)
SELECT p.id FROM pool p JOIN agent a ON a.user_id = p.user_id
 WHERE p.draw <= LEAST(p.recorded, CEIL(
           GREATEST(CEIL(p.recorded * %(share)s / 100.0), LEAST(%(minimum)s, p.recorded)) * a.factor))
"""


def _build(env):
    teams = seeding.generate_department(env, agents=AGENTS * 11 // 10, team_size=11)
    employees = teams.telesales_employee_ids.filtered(lambda e: e.telesales_role == "agent")
    assert len(employees) == AGENTS
    company = env.company
    # One agent in five a trainee, one in ten with a complaint last month.
    live = employees.filtered(lambda e: e.id % 5)
    live.write({"telesales_status": "live", "telesales_live_date": WEEK - timedelta(days=90)})
    stage = env["telesales.complaint.stage"].search([("state", "=", "new")], limit=1)
    category = env["telesales.complaint.category"].search([], limit=1)
    env.flush_all()
    cr = env.cr
    users = employees.user_id
    # The week's calls: half effective, nine in ten of those recorded.
    cr.execute("""
        INSERT INTO telesales_call (user_id, employee_id, team_id, company_id, direction, outcome, source, start,
                                    call_date, local_hour, talk_seconds, ring_seconds, is_connected, is_effective,
                                    recording_url, create_date, write_date, create_uid, write_uid)
        SELECT e.user_id, e.id, e.team_id, %(company)s, 'outbound',
               (ARRAY['no_answer', 'not_interested', 'effective', 'intent'])[1 + g %% 4], 'phone_system',
               %(week)s::date + (g %% 7) + interval '1 hour' + (g %% 480) * interval '1 minute',
               %(week)s::date + (g %% 7), 9 + (g %% 480) / 60.0, (g %% 4) * 60, 10, g %% 4 >= 1, g %% 4 >= 2,
               CASE WHEN g %% 10 != 0 THEN 'https://pbx.example.com/rec/' || g || '.mp3' END,
               now(), now(), 1, 1
          FROM generate_series(1, %(calls)s) g
          JOIN LATERAL (SELECT (%(users)s::int[])[1 + g %% %(n)s] AS user_id,
                               (%(employees)s::int[])[1 + g %% %(n)s] AS id,
                               (%(teams)s::int[])[1 + g %% %(n)s] AS team_id) e ON true
    """, {"company": company.id, "week": WEEK, "calls": CALLS, "users": users.ids, "n": len(employees),
          "employees": [e.id for e in employees], "teams": [e.telesales_team_id.id for e in employees]})
    cr.execute("""
        INSERT INTO telesales_complaint (name, company_id, category_id, stage_id, state, subject, channel, severity,
                                         received_date, agent_id, create_date, write_date)
        SELECT 'BENCH-Q-' || u, %s, %s, %s, 'new', 'Bench complaint', 'call', 'general',
               %s::date - 3 + interval '3 hours', u, now(), now()
          FROM unnest(%s::int[]) u
    """, (company.id, category.id, stage.id, WEEK, users.ids[::10]))
    for table in ("telesales_call", "telesales_complaint"):
        cr.execute(f"ANALYZE {table}")  # pylint: disable=sql-injection
    env.invalidate_all()
    return employees


def run(env):
    employees = _build(env)
    company = env.company
    users = employees.user_id
    complained = set(users.ids[::10])
    factors = [(company.telesales_quality_trainee_factor if e.telesales_status == "trainee" else 1.0)
               * (company.telesales_quality_complaint_factor if e.user_id.id in complained else 1.0)
               for e in employees]
    start = time.perf_counter()
    env.cr.execute(REFERENCE, {
        "users": users.ids, "factors": factors, "seed": WEEK.isoformat(), "start": WEEK,
        "end": WEEK + timedelta(days=7), "share": company.telesales_quality_sample_share,
        "minimum": company.telesales_quality_sample_min})
    reference = {row[0] for row in env.cr.fetchall()}
    reference_s = time.perf_counter() - start

    Inspection = env["telesales.quality.inspection"]
    start = time.perf_counter()
    sampled = Inspection._telesales_sample_week(WEEK, company)
    env.flush_all()
    ours_s = time.perf_counter() - start
    ours = set(sampled.filtered(lambda i: i.user_id in users).call_id.ids)
    assert ours == reference, (len(ours), len(reference))
    assert not Inspection._telesales_sample_week(WEEK, company), "a second run adds nothing"
    env.cr.execute("SELECT COUNT(*) FROM telesales_call WHERE user_id = ANY(%s)", (users.ids,))
    calls = env.cr.fetchone()[0]
    return [{"bench": "quality", "agents": len(users), "calls": calls, "ours_s": round(ours_s, 3),
             "reference_s": round(reference_s, 3), "ratio": round(ours_s / reference_s, 1),
             "sampled": len(ours)}]
