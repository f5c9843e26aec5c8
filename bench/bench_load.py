"""Load: a department at work against Odoo with 4 HTTP workers (prefork), 30 agents
for 60 s, each in their own thread with their own HTTP connection and web session,
over JSON-RPC as the web client talks (/web/session/authenticate, then
/web/dataset/call_kw). Each agent repeats, with a think time of 1 to 3 s (uniform,
seeded per agent) after every action:

- log a call on one of their own leads (outbound, with a follow-up plan);
- open their lead list (crm.lead web_search_read, 80 rows);
- claim from the pool (telesales.pool.lead web_search_read of 20, then action_claim on
  one of them at random: agents compete for the same leads);
- open today's figures (telesales.call.daily web_search_read).

The bench creates what it needs in the bench database and commits it (a server in
another process must see it): 3 teams of 10 agents with a leader, 10 leads per agent,
400 leads in the pool; calling hours set to warn (the bench may run at night) and claims
unlimited for the run. It starts `odoo server --workers=4` on a free loopback port,
measures, stops the server, checks the database, and deletes everything it created.

Prints {"bench": "load", "agents", "workers", "seconds", "requests", "requests_per_s",
"errors", "p50_ms", "p95_ms", "double_claims", "lost_calls", ...}. A claim refused
because another agent was faster is an answer, not an error (counted as claims_refused);
every other error answer or failed request is an error. double_claims: leads whose claim
succeeded for two agents (by the answers or by the claim log); lost_calls: calls whose
create answered an id that is not in the database afterwards.

TELESALES_BENCH_REPLICA=host:port runs the server with that read replica
(`--db_replica_host/--db_replica_port`): read-only requests (lists, today's figures) are
served by it, the line says `"replica": "host:port"`.
"""
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from datetime import timedelta

import seeding

import odoo
from odoo import fields

AGENTS, TEAM_SIZE, WORKERS, SECONDS = 30, 10, 4, 60
THINK_S = (1.0, 3.0)
REPLICA = os.environ.get("TELESALES_BENCH_REPLICA")
SEED = 12
OWN_LEADS, POOL_LEADS = 10, 400
PASSWORD = "bench-load"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------------------
# The department, committed so that the server sees it.
# ---------------------------------------------------------------------------------------
def _setup(registry):
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        company = env.company
        saved = {name: company[name] for name in (
            "telesales_window_mode", "telesales_claim_daily_limit", "telesales_claim_open_cap")}
        # Calls at any hour (warn), claims without limit (a daily limit of 0 would mean
        # "no claiming"), no open-lead cap.
        company.write({"telesales_window_mode": "warn", "telesales_claim_daily_limit": 100000,
                       "telesales_claim_open_cap": 0})
        teams = seeding.generate_department(
            env, agents=AGENTS + AGENTS // TEAM_SIZE, team_size=TEAM_SIZE + 1, seed=SEED)
        employees = teams.telesales_employee_ids
        agents = employees.filtered(lambda e: e.telesales_role == "agent")
        assert len(agents) == AGENTS, len(agents)
        agents.write({"telesales_status": "live", "telesales_live_date": "2026-01-01"})
        for user in agents.user_id:
            user.password = PASSWORD
        Lead = env["crm.lead"].with_context(mail_create_nolog=True, mail_notrack=True)
        own = Lead.create([
            {"name": f"Load lead {n}-{k}", "contact_name": f"Load Customer {n}-{k}", "type": "lead",
             "phone": f"+86 135{n:04d}{k:04d}", "company_id": company.id,
             "team_id": agent.telesales_team_id.id, "user_id": agent.user_id.id}
            for n, agent in enumerate(agents) for k in range(OWN_LEADS)])
        pool = Lead.create([
            {"name": f"Load pool {n}", "contact_name": f"Pool Customer {n}", "type": "lead",
             "phone": f"+86 133{n:08d}", "company_id": company.id, "team_id": False,
             "user_id": False, "telesales_in_pool": True} for n in range(POOL_LEADS)])
        today = company._telesales_today()
        state = {
            "company": company.id, "saved": saved, "teams": teams.ids, "employees": employees.ids,
            "users": employees.user_id.ids, "pool": pool.ids, "today": fields.Date.to_string(today),
            "agents": [{"login": agent.user_id.login, "uid": agent.user_id.id,
                        "leads": own.filtered(lambda lead, a=agent: lead.user_id == a.user_id).ids}
                       for agent in agents],
        }
        # the server's workers (other processes) must see the bench's data
        cr.commit()  # pylint: disable=invalid-commit
    return state


def _cleanup(registry, state):
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"active_test": False})
        leads = env["crm.lead"].search(["|", ("id", "in", state["pool"]),
                                        ("user_id", "in", state["users"])])
        leads.unlink()  # their calls, activities and log lines go with them
        env["hr.employee"].browse(state["employees"]).unlink()
        env["crm.team"].browse(state["teams"]).unlink()
        users = env["res.users"].browse(state["users"])
        try:
            with cr.savepoint():
                partners = users.partner_id
                users.unlink()
                partners.unlink()
        except Exception:  # noqa: BLE001 - kept by a reference: archived instead
            users.active = False
        env["res.company"].browse(state["company"]).write(state["saved"])
        # the bench's own data, removed for good
        cr.commit()  # pylint: disable=invalid-commit


# ---------------------------------------------------------------------------------------
# The server and the agents.
# ---------------------------------------------------------------------------------------
def _replica_args():
    if not REPLICA:
        return []
    host, port = REPLICA.rsplit(":", 1)
    return [f"--db_replica_host={host}", f"--db_replica_port={port}"]


def _start_server(db, log):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "odoo", "server", "-c", odoo.tools.config["config"], "-d", db,
         f"--http-port={port}", f"--gevent-port={_free_port()}", "--http-interface=127.0.0.1",
         f"--workers={WORKERS}", "--max-cron-threads=0", f"--db-filter=^{db}$",
         "--log-level=warn", *_replica_args()],
        stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while True:
        try:
            # The port opens before the registry is loaded: a busy machine answers late.
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/web/login", timeout=60):
                return process, port
        except OSError as error:  # refused, reset, timed out: not yet
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log.seek(0)
                raise RuntimeError("the bench server did not start:\n" + log.read()[-3000:]) from error
            time.sleep(0.5)


class Agent:
    """One simulated agent: a web session on its own keep-alive HTTP connection."""

    def __init__(self, port, db, info, index):
        self.port, self.db, self.info = port, db, info
        self.uid, self.leads = info["uid"], list(info["leads"])
        self.rng = random.Random(SEED * 1000 + index)
        self.cookie, self.conn = "", None
        self.latencies, self.errors = [], []
        self.by_method = defaultdict(list)  # "model.method": latencies (ms)
        self.calls, self.claims, self.claims_refused = [], [], 0
        self.goal = 0

    def _post(self, path, params, what=None):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
        headers = {"Content-Type": "application/json"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        start = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.conn.request("POST", path, body, headers)
            response = self.conn.getresponse()
            data = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie" and value.startswith("session_id="):
                    self.cookie = value.split(";", 1)[0]
            answer = json.loads(data)
        except (OSError, http.client.HTTPException, ValueError) as error:
            self.conn = None  # a new connection next time
            answer = {"error": {"data": {"name": type(error).__name__, "message": str(error)}}}
        ms = (time.perf_counter() - start) * 1000
        self.latencies.append(ms)
        self.by_method[what or path].append(ms)
        return answer

    def login(self):
        answer = self._post("/web/session/authenticate",
                            {"db": self.db, "login": self.info["login"], "password": PASSWORD})
        self.latencies.clear()  # logging in is not part of the load
        self.by_method.clear()
        assert "result" in answer and self.cookie, answer

    def call(self, model, method, *args, **kwargs):
        return self._post(f"/web/dataset/call_kw/{model}/{method}",
                          {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
                          what=f"{model}.{method}")

    def _error(self, what, answer):
        data = answer["error"].get("data") or {}
        self.errors.append(f"{what}: {data.get('name')}: {str(data.get('message'))[:200]}")

    # The four actions
    def log_call(self):
        self.goal += 1
        now = fields.Datetime.now()
        answer = self.call("telesales.call", "create", [{
            "lead_id": self.rng.choice(self.leads), "direction": "outbound", "outcome": "effective",
            "stage": "presentation", "ring_seconds": 8, "talk_seconds": self.rng.randint(30, 300),
            "start": fields.Datetime.to_string(now - timedelta(minutes=6)),
            "end": fields.Datetime.to_string(now),
            "plan_date": fields.Datetime.to_string(now + timedelta(days=1)), "plan_channel": "phone",
            "plan_goal": f"Next step {self.goal}", "notes": "Load bench call"}])
        if "error" in answer:
            return self._error("log a call", answer)
        result = answer["result"]
        self.calls.extend(result if isinstance(result, list) else [result])

    def open_leads(self):
        answer = self.call("crm.lead", "web_search_read", [("user_id", "=", self.uid)], {
            "name": {}, "contact_name": {}, "phone": {}, "telesales_grade": {},
            "telesales_last_call_date": {}, "telesales_call_count": {},
            "stage_id": {"fields": {"display_name": {}}}}, limit=80)
        if "error" in answer:
            self._error("open the lead list", answer)

    def claim(self):
        answer = self.call("telesales.pool.lead", "web_search_read", [], {
            "name": {}, "phone_masked": {}, "telesales_grade": {}, "pool_date": {}}, limit=20)
        if "error" in answer:
            return self._error("open the pool", answer)
        records = answer["result"]["records"]
        if not records:
            return
        lead = self.rng.choice(records)["id"]
        answer = self.call("telesales.pool.lead", "action_claim", [lead])
        if "error" not in answer:
            self.claims.append(lead)
            self.leads.append(lead)
        elif (answer["error"].get("data") or {}).get("name") == "odoo.exceptions.UserError":
            self.claims_refused += 1  # taken by a faster colleague
        else:
            self._error("claim", answer)

    def open_figures(self):
        answer = self.call("telesales.call.daily", "web_search_read",
                           [("user_id", "=", self.uid), ("date", "=", TODAY[0])], {
                               "date": {}, "dialled": {}, "connected": {}, "effective": {},
                               "intent": {}, "deals": {}, "talk_hours": {}}, limit=10)
        if "error" in answer:
            self._error("open today's figures", answer)

    def work(self, start, stop):
        actions = [self.log_call, self.open_leads, self.claim, self.open_figures]
        turn = self.rng.randrange(len(actions))
        time.sleep(max(0.0, start - time.monotonic()) + self.rng.uniform(0, THINK_S[1]))
        while time.monotonic() < stop:
            actions[turn % len(actions)]()
            turn += 1
            time.sleep(min(self.rng.uniform(*THINK_S), max(0.0, stop - time.monotonic())))


TODAY = [None]


def _percentile(values, share):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(share * len(values)))], 1) if values else None


def run(env):
    registry, db = env.registry, env.cr.dbname
    state = _setup(registry)
    TODAY[0] = state["today"]
    try:
        with tempfile.TemporaryFile("w+") as log:
            process, port = _start_server(db, log)
            try:
                agents = [Agent(port, db, info, index) for index, info in enumerate(state["agents"])]
                logins = [threading.Thread(target=agent.login) for agent in agents]
                for thread in logins:
                    thread.start()
                for thread in logins:
                    thread.join()
                start = time.monotonic() + 1
                threads = [threading.Thread(target=agent.work, args=(start, start + SECONDS))
                           for agent in agents]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                elapsed = time.monotonic() - start
            finally:
                process.terminate()
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
        latencies = [ms for agent in agents for ms in agent.latencies]
        by_method = defaultdict(list)
        for agent in agents:
            for what, values in agent.by_method.items():
                by_method[what].extend(values)
        errors = [error for agent in agents for error in agent.errors]
        winners = defaultdict(list)
        for agent in agents:
            for lead in agent.claims:
                winners[lead].append(agent.uid)
        created = [call for agent in agents for call in agent.calls]
        with registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM telesales_call WHERE id = ANY(%s)", [created])
            lost_calls = len(created) - cr.fetchone()[0]
            cr.execute("""SELECT lead_id FROM telesales_allocation_log
                           WHERE level = 'claim' AND lead_id = ANY(%s)
                           GROUP BY lead_id HAVING count(*) > 1""", [state["pool"]])
            logged_twice = {row[0] for row in cr.fetchall()}
            cr.execute("SELECT id, user_id FROM crm_lead WHERE id = ANY(%s)", [list(winners)])
            owners = dict(cr.fetchall())
        double = logged_twice | {lead for lead, uids in winners.items() if len(uids) > 1}
        wrong_owner = [lead for lead, uids in winners.items() if owners.get(lead) != uids[-1]]
    finally:
        _cleanup(registry, state)
    return [{
        "bench": "load", "agents": AGENTS, "workers": WORKERS, "replica": REPLICA or None,
        "seconds": round(elapsed, 1),
        "think_s": list(THINK_S), "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1), "errors": len(errors),
        "p50_ms": _percentile(latencies, 0.50), "p95_ms": _percentile(latencies, 0.95),
        "max_ms": _percentile(latencies, 1.0),
        "double_claims": len(double), "lost_calls": lost_calls,
        "calls_logged": len(created), "claims": sum(len(a.claims) for a in agents),
        "claims_refused": sum(a.claims_refused for a in agents), "claims_wrong_owner": len(wrong_owner),
        "p95_ms_by_method": {what: _percentile(values, 0.95) for what, values in sorted(by_method.items())},
        "error_samples": [text for text, _n in Counter(errors).most_common(5)],
    }]
