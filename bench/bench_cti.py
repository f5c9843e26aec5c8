"""Phone-system webhook under load (issue 14): a running server (`odoo server
--workers=2`, the bench's own free loopback port) receives a day of 100,000 call events
(25,000 calls of 50 agents) over HTTP, signed, in batches of 100 from 2 client threads;
then the same events again.

The day (bench/cti_day.py, seed 14): the last weekday before today, 09:00-12:00 and
13:30-18:00 Shanghai time; 4 events per call so that the totals are exact: an answered
call sends ringing, answered, hangup, recording; a call nobody answered sends ringing and
hangup, each twice (the second one a provider's retry, within a minute). Numbers are the
agents' own leads' (2,000 leads, 40 per agent; half sent as 11 national digits, half as
E.164) and 5 % numbers Odoo does not know. Each event leaves up to 20 s late, so events
arrive out of order (a recording before its hang-up, a hang-up before its answer).
Each client thread sends the events of its own 25 agents (so of its own calls) in their
delivery order: two workers never receive one new call at once here (tests cover that).

The bench creates what it needs and commits it (the server is another process): 5 teams
of 10 agents and a leader, extensions for the agents, their leads, the company's phone
system on with a secret, the company's country China (national numbers are read with it).
It starts the server, measures, stops it, checks the database, measures the reference,
and deletes everything it created and restores the company.

Prints {"bench": "cti", "events", "calls", "seconds", "events_per_s", "p95_batch_ms",
"calls_created", "duplicates_created", "ours_s", "reference_s", "ratio", ...}:
- seconds, events_per_s, p95_batch_ms: the first pass (100,000 events, the calls
  created and completed); replay_*: the second (all answered "duplicate").
- calls_created: phone-system calls in the database after the first pass.
- duplicates_created: rows the second pass added, plus (company, call id) pairs with more
  than one row.
- wrong_figures: calls whose start, ring or talk seconds differ from what their events
  imply; unmatched: calls to an agent's own lead's number not linked to that lead;
  already_known: first deliveries of the first pass answered "duplicate" (0: the day is
  new); unexpected: answers against the contract in either pass (a repeat not answered
  "duplicate", an agent's event "ignored", anything but HTTP 200).
- ours_s = the first pass's seconds. reference_s: the same 25,000 calls, with the very
  values the webhook stored (read back from the database), created through the ORM
  (`telesales.call.create`, superuser, tracking off, as the webhook does) in batches of
  25 calls (what one batch of 100 events holds), one commit per batch as one request
  commits, in this process, serially. That is the cheapest way Odoo can store these calls
  at all: what the webhook adds on top (HTTP, signature, JSON, matching number and
  extension, merging events, the three updates after each insert) shows in the ratio
  (ours / reference). The server has 2 workers, the reference one process: a ratio near
  1 means the webhook costs about what storing its calls costs. (Raw SQL INSERTs into a
  scratch table would be a floor no ORM model reaches, a ratio that says little.)

Acceptance (issue 14): calls_created 25,000, duplicates_created 0, events_per_s ≥ 500.
TELESALES_BENCH_CTI_PROFILE=1 adds where the time goes, after the measure: 20 batches of
a fresh day through `telesales.call._cti_receive` in this process under cProfile (its top
functions on stderr) and the line gets `queries_per_batch` (rolled back).
"""
import cProfile
import http.client
import io
import os
import pstats
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime

import bench_load
import cti_day
import cti_simulator
import seeding

import odoo

AGENTS, TEAM_SIZE, LEADS_PER_AGENT = 50, 10, 40
CALLS, EVENTS_PER_CALL, BATCH = 25_000, 4, 100
WORKERS, THREADS = 2, 2
JITTER_S = 20
SEED = 14
PROFILE = os.environ.get("TELESALES_BENCH_CTI_PROFILE") == "1"
# the fields of a phone-system call as the webhook stores them (the reference re-creates them)
STORED = ("lead_id", "partner_id", "user_id", "phone", "direction", "start", "end", "ring_seconds",
          "talk_seconds", "outcome", "source", "cti_status", "cti_events", "ringing_at", "answered_at",
          "hangup_at", "recording_url", "to_log", "company_id")


# ---------------------------------------------------------------------------------------
# The department, committed so that the server sees it.
# ---------------------------------------------------------------------------------------
def _setup(registry):
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        company = env.company
        saved = {name: company[name] for name in (
            "telesales_cti_enabled", "telesales_cti_secret", "telesales_cti_provider")}
        saved_country = company.partner_id.country_id.id
        teams = seeding.generate_department(
            env, agents=AGENTS + AGENTS // TEAM_SIZE, team_size=TEAM_SIZE + 1, seed=SEED)
        employees = teams.telesales_employee_ids
        agents = employees.filtered(lambda e: e.telesales_role == "agent")
        assert len(agents) == AGENTS, len(agents)
        taken = set(env["hr.employee"].with_context(active_test=False).search(
            [("company_id", "=", company.id), ("telesales_extension", "!=", False)]).mapped("telesales_extension"))
        free = (str(n) for n in range(7001, 100000) if str(n) not in taken)
        for agent in agents:
            agent.telesales_extension = next(free)
        Lead = env["crm.lead"].with_context(mail_create_nolog=True, mail_notrack=True)
        leads = Lead.create([
            {"name": f"CTI lead {n}-{k}", "contact_name": f"CTI Customer {n}-{k}", "type": "lead",
             "phone": f"+86 139{n:04d}{k:04d}", "company_id": company.id,
             "team_id": agent.telesales_team_id.id, "user_id": agent.user_id.id}
            for n, agent in enumerate(agents) for k in range(LEADS_PER_AGENT)])
        secret = secrets.token_hex(24)
        company.write({"telesales_cti_enabled": True, "telesales_cti_secret": secret,
                       "telesales_cti_provider": "bench"})
        company.partner_id.country_id = env.ref("base.cn")
        state = {
            "company": company.id, "secret": secret, "saved": saved, "country": saved_country,
            "teams": teams.ids, "employees": employees.ids, "users": employees.user_id.ids,
            "leads": leads.ids, "prefix": f"bench{SEED}-{int(time.time())}",
            "numbers": {agent.telesales_extension: leads.filtered(lambda lead: lead.user_id == agent.user_id)
                        .mapped("phone") for agent in agents},
            "lead_of": {(agent.telesales_extension, cti_day.national(lead.phone)): lead.id
                        for agent in agents for lead in leads if lead.user_id == agent.user_id},
        }
        # the server's workers (other processes) must see the bench's data
        cr.commit()  # pylint: disable=invalid-commit
    return state


def _cleanup(registry, state):
    """The calls (those of unknown numbers have no lead) and error log lines first, then
    the department as the load bench removes it (its leads, employees, teams, users; the
    company's saved settings written back)."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"active_test": False})
        calls = env["telesales.call"].search([("company_id", "=", state["company"]), "|",
                                              ("cti_call_id", "=like", state["prefix"] + "-%"),
                                              ("cti_call_id", "=like", "ref-" + state["prefix"] + "-%")])
        for start in range(0, len(calls), 5000):
            calls[start:start + 5000].unlink()
        env["telesales.cti.log"].search([("company_id", "=", state["company"]),
                                         ("call_ref", "=like", state["prefix"] + "-%")]).unlink()
        env["res.company"].browse(state["company"]).partner_id.country_id = state["country"]
        # the bench's own data, removed for good
        cr.commit()  # pylint: disable=invalid-commit
    bench_load._cleanup(registry, {**state, "pool": []})


# ---------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------
def _port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(db, log, state):
    """`odoo server --workers=2` on a free port; returns (process, url) once the webhook
    answers (an empty batch is refused with 400: the registry is loaded)."""
    port = _port()
    process = subprocess.Popen(
        [sys.executable, "-m", "odoo", "server", "-c", odoo.tools.config["config"], "-d", db,
         f"--http-port={port}", f"--gevent-port={_port()}", "--http-interface=127.0.0.1",
         f"--workers={WORKERS}", "--max-cron-threads=0", f"--db-filter=^{db}$", "--log-level=warn"],
        stdout=log, stderr=subprocess.STDOUT)
    url, give_up = f"http://127.0.0.1:{port}", time.monotonic() + 180
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            status, body, _ms = cti_day.post_events(connection, state["company"], state["secret"], [])
        except OSError:  # the port opens before the registry is loaded: not yet
            if process.poll() is not None or time.monotonic() > give_up:
                process.kill()
                log.seek(0)
                raise RuntimeError("the bench server did not start:\n" + log.read()[-3000:]) from None
            time.sleep(0.5)
            continue
        finally:
            connection.close()
        if status == 404:
            _stop(process)
            raise RuntimeError(f"no webhook at {cti_day.PATH}: {str(body)[:300]}")
        return process, url


def _stop(process):
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()


# ---------------------------------------------------------------------------------------
# Measures and checks
# ---------------------------------------------------------------------------------------
def _count(registry, state):
    with registry.cursor() as cr:
        cr.execute("""SELECT count(*), count(DISTINCT cti_call_id) FROM telesales_call
                       WHERE company_id = %s AND cti_call_id LIKE %s AND source = 'phone_system'""",
                   [state["company"], state["prefix"] + "-%"])
        return cr.fetchone()


def _check(registry, state, calls):
    """(wrong figures, unmatched own leads, doubled call ids) in the database."""
    expected = {call.call_id: call for call in calls}
    with registry.cursor() as cr:
        cr.execute("""SELECT cti_call_id, ring_seconds, talk_seconds, start, lead_id FROM telesales_call
                       WHERE company_id = %s AND cti_call_id LIKE %s""", [state["company"], state["prefix"] + "-%"])
        rows = cr.fetchall()
        cr.execute("""SELECT count(*) FROM (SELECT 1 FROM telesales_call WHERE cti_call_id LIKE %s
                       GROUP BY company_id, cti_call_id HAVING count(*) > 1) doubled""", [state["prefix"] + "-%"])
        doubled = cr.fetchone()[0]
    wrong = unmatched = 0
    for call_id, ring, talk, start, lead_id in rows:
        call = expected[call_id]
        ringing = call.ringing.astimezone(UTC).replace(tzinfo=None)
        wrong += (ring, talk, start) != (call.ring_seconds, call.talk_seconds, ringing)
        own = state["lead_of"].get((call.extension, cti_day.national(call.number)))
        unmatched += bool(own) and lead_id != own
    return wrong, unmatched, doubled


def _reference(registry, state):
    """The calls the webhook stored, created again through the ORM (see the docstring)."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        Call = env["telesales.call"]
        calls = Call.search([("company_id", "=", state["company"]), ("cti_call_id", "=like", state["prefix"] + "-%")],
                            order="id")
        values = []
        for row in calls.read(list(STORED) + ["cti_call_id"], load=None):
            row.pop("id")
            row["cti_call_id"] = "ref-" + row["cti_call_id"]
            values.append(row)
    per_batch = BATCH // EVENTS_PER_CALL
    start = time.perf_counter()
    for first in range(0, len(values), per_batch):
        with registry.cursor() as cr:  # one transaction a batch, committed on exit
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["telesales.call"].with_context(
                tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True,
                mail_notrack=True).create(values[first:first + per_batch])
    return time.perf_counter() - start


def _profile(registry, state, day):
    """cProfile of `_cti_receive` on 20 batches of a fresh day, in this process (rolled back)."""
    from odoo.addons.telesales_mgmt.engines import cti  # noqa: PLC0415 - only when profiling

    calls = cti_day.plan_day(list(state["numbers"]), state["numbers"], day, seed=SEED + 1, calls=500,
                             prefix=state["prefix"] + "-p")
    events = cti_day.day_events(calls, seed=SEED + 1, jitter_s=JITTER_S, pad_to=EVENTS_PER_CALL)
    profiler, queries = cProfile.Profile(), []
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company = env["res.company"].browse(state["company"])
        for batch in cti_day.batches(events, BATCH)[:20]:
            before = cr.sql_log_count
            profiler.enable()
            env["telesales.call"]._cti_receive(company, cti.parse_events(batch))
            env.flush_all()
            profiler.disable()
            queries.append(cr.sql_log_count - before)
        cr.rollback()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(40)
    sys.stderr.write(text.getvalue())
    return sum(queries) / len(queries)


def run(env):
    registry, db = env.registry, env.cr.dbname
    day = cti_day.previous_weekday(datetime.now(cti_day.SHANGHAI).date())
    state = _setup(registry)
    line = {"bench": "cti", "agents": AGENTS, "workers": WORKERS, "threads": THREADS, "batch": BATCH,
            "date": day.isoformat()}
    try:
        calls = cti_day.plan_day(list(state["numbers"]), state["numbers"], day, seed=SEED, calls=CALLS,
                                 prefix=state["prefix"])
        events = cti_day.day_events(calls, seed=SEED, jitter_s=JITTER_S, pad_to=EVENTS_PER_CALL)
        assert len(events) == CALLS * EVENTS_PER_CALL, len(events)
        extensions = list(state["numbers"])
        with tempfile.TemporaryFile("w+") as log:
            process, url = _serve(db, log, state)
            try:
                passes = []
                for _name in ("first", "replay"):
                    start = time.monotonic()
                    outcome, latencies = cti_simulator.play(url, state["company"], state["secret"], events,
                                                            batch_size=BATCH, threads=THREADS)
                    passes.append(cti_simulator.summarise(outcome, latencies, time.monotonic() - start,
                                                          extensions))
                    passes[-1]["rows"] = _count(registry, state)
            finally:
                _stop(process)
        first, replay = passes
        wrong, unmatched, doubled = _check(registry, state, calls)
        reference = _reference(registry, state)
        if PROFILE:
            line["queries_per_batch"] = round(_profile(registry, state, day), 1)
    finally:
        _cleanup(registry, state)
    seconds = first["seconds"]
    line.update({
        "events": len(events), "calls": len(calls), "seconds": seconds,
        "events_per_s": first["events_per_s"], "p95_batch_ms": first["p95_batch_ms"],
        "calls_created": first["rows"][0],
        "duplicates_created": replay["rows"][0] - first["rows"][0] + doubled,
        "replay_seconds": replay["seconds"], "replay_events_per_s": replay["events_per_s"],
        "replay_p95_batch_ms": replay["p95_batch_ms"],
        "results": first["results"], "replay_results": replay["results"],
        "http": dict(Counter(first["http"]) + Counter(replay["http"])),
        "already_known": first["already_known"], "unexpected": first["unexpected"] + replay["unexpected"],
        "samples": (first["samples"] + replay["samples"])[:3],
        "out_of_order": first["out_of_order"], "wrong_figures": wrong, "unmatched": unmatched,
        "ours_s": seconds, "reference_s": round(reference, 1), "ratio": round(seconds / reference, 2),
    })
    return [line]
