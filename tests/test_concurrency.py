"""Several Odoo workers at once on the real database (R-LEAD-6): agents claim from the
pool while allocation runs, each in its own thread with its own cursor and transaction,
the way HTTP workers and the cron do, with Odoo's own retry on serialization errors."""
import json

SCRIPT = r'''
import json, random, threading, time
from functools import partial
from odoo import api, SUPERUSER_ID
from odoo.exceptions import UserError
from odoo.service.model import retrying

registry = env.registry
LEADS, SECONDS = 400, 10
with registry.cursor() as cr:
    e = api.Environment(cr, SUPERUSER_ID, {})
    company = e.company
    company.write({"telesales_claim_daily_limit": 1000, "telesales_claim_open_cap": 0})
    Rule = e["telesales.allocation.rule"]
    Rule.search([]).active = False
    Rule.create([{"name": "conc dept", "level": "department", "strategy": "round_robin",
                  "domain": "[('name', '=like', 'Conc %')]", "include_pool": True},
                 {"name": "conc team", "level": "team", "strategy": "round_robin",
                  "daily_cap": 0, "open_cap": 0, "include_trainees": True}])
    leads = e["crm.lead"].create([{"name": f"Conc {n}", "type": "lead", "company_id": company.id,
                                   "team_id": False, "user_id": False, "telesales_in_pool": True}
                                  for n in range(LEADS)])
    lead_ids = leads.ids
    # Live agents: trainees claim nothing until they went live (R-TRN-2).
    agents = e["hr.employee"].search([("telesales_role", "=", "agent"), ("user_id", "!=", False),
                                      ("telesales_status", "=", "live")]).user_id.ids
    manager = e.ref("telesales_mgmt.user_ts_manager").id

outcomes = {"claimed": [], "refused": [], "errors": []}
lock = threading.Lock()
stop = time.time() + SECONDS

def claim_loop(uid):
    rnd = random.Random(uid)
    while time.time() < stop:
        lead_id = rnd.choice(lead_ids)
        with registry.cursor() as cr:
            e = api.Environment(cr, uid, {})
            try:
                retrying(partial(lambda env: env["telesales.pool.lead"].browse(lead_id).action_claim(), e), e)
                with lock:
                    outcomes["claimed"].append((lead_id, uid))
            except UserError as error:
                cr.rollback()
                with lock:
                    outcomes["refused"].append(str(error))
            except Exception as error:  # anything else reached the user
                cr.rollback()
                with lock:
                    outcomes["errors"].append(repr(error))
        time.sleep(0.02)  # an agent's pace, leaving the allocation its share

def allocate_loop():
    while time.time() < stop:
        with registry.cursor() as cr:
            e = api.Environment(cr, manager, {})
            try:
                retrying(lambda: e["telesales.allocation.run"].create(
                    {"level": "department", "to_agents": True}).action_apply(), e)
            except Exception as error:
                cr.rollback()
                with lock:
                    outcomes["errors"].append("allocation: " + repr(error))
        time.sleep(0.1)

threads = [threading.Thread(target=claim_loop, args=(uid,)) for uid in agents[:4]]
threads.append(threading.Thread(target=allocate_loop))
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()

with registry.cursor() as cr:
    e = api.Environment(cr, SUPERUSER_ID, {})
    leads = e["crm.lead"].with_context(active_test=False).browse(lead_ids).exists()
    logs = e["telesales.allocation.log"].search([("lead_id", "in", lead_ids)], order="date, id")
    last = {}
    for line in logs:
        last[line.lead_id.id] = (line.to_team_id.id, line.to_user_id.id)
    mismatched = [lead.id for lead in leads
                  if last.get(lead.id, (False, False)) != (lead.team_id.id, lead.user_id.id)]
    claims = logs.filtered(lambda line: line.level == "claim")
    pool = e["telesales.pool.lead"].search_count([("id", "in", lead_ids)])
    in_pool = len(leads.filtered("telesales_in_pool"))
    print("RESULT " + json.dumps({
        "leads": len(leads), "expected_leads": LEADS,
        "claimed": len(outcomes["claimed"]), "claimed_leads": len({l for l, _u in outcomes["claimed"]}),
        "claim_logs": len(claims),
        "claim_logs_match": sorted((line.lead_id.id, line.to_user_id.id) for line in claims)
                            == sorted(outcomes["claimed"]),
        "refused": len(outcomes["refused"]),
        "refusal_messages": sorted({m.split(":")[-1].strip() for m in outcomes["refused"]}),
        "errors": outcomes["errors"][:5], "mismatched": mismatched[:5],
        "pool": pool, "in_pool": in_pool,
        "allocated": len(logs.filtered(lambda line: line.level in ("department", "team"))),
    }))
    leads.unlink()
    e["telesales.allocation.rule"].search([("name", "like", "conc ")]).unlink()
'''


def test_claims_and_allocation_at_once(odoo_system):
    result = json.loads(odoo_system.shell(SCRIPT, timeout=900)[0])
    assert result["errors"] == [], "no error but a clear message reaches a user"
    assert result["leads"] == result["expected_leads"], "no lead lost"
    assert result["mismatched"] == [], "every lead is where its last log line says"
    assert result["claimed"] > 0 and result["refused"] > 0 and result["allocated"] > 0, result
    assert result["claimed"] == result["claimed_leads"], "no lead claimed twice"
    assert result["claim_logs_match"], "one log line per successful claim, nothing half-done"
    assert set(result["refusal_messages"]) <= {
        "pick another lead.", "the others are shared out by allocation."}, result["refusal_messages"]
    assert result["pool"] == result["in_pool"], "the pool shows exactly the leads waiting in it"


ESCALATION_SCRIPT = r'''
import json, threading
from collections import Counter
from datetime import timedelta
from odoo import api, fields, SUPERUSER_ID
from odoo.service.model import retrying

registry = env.registry
with registry.cursor() as cr:
    e = api.Environment(cr, SUPERUSER_ID, {})
    lead = e["crm.lead"].search([("team_id.is_telesales", "=", True), ("user_id", "!=", False)], limit=1)
    old = fields.Datetime.now() - timedelta(days=30)
    tickets = e["telesales.complaint"].create([
        {"subject": f"Conc {n}", "description": "<p>Too expensive</p>", "lead_id": lead.id, "received_date": old,
         "category_id": e.ref("telesales_mgmt.complaint_category_price").id} for n in range(20)])
    ids = tickets.ids
    expected = len(lead.team_id.user_id | lead.team_id.telesales_manager_id)

errors, barrier = [], threading.Barrier(4)

def worker():
    barrier.wait()
    with registry.cursor() as cr:
        e = api.Environment(cr, SUPERUSER_ID, {})
        try:
            retrying(lambda: e["telesales.complaint"]._cron_sla(), e)
        except Exception as error:
            cr.rollback()
            errors.append(repr(error))

threads = [threading.Thread(target=worker) for _n in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()

with registry.cursor() as cr:
    e = api.Environment(cr, SUPERUSER_ID, {})
    tickets = e["telesales.complaint"].browse(ids)
    per_ticket = Counter(a.res_id for a in e["mail.activity"].search(
        [("res_model", "=", "telesales.complaint"), ("res_id", "in", ids)]))
    print("RESULT " + json.dumps({
        "errors": errors[:5], "expected": expected, "escalations": sorted(set(tickets.mapped("escalation"))),
        "statuses": sorted(set(tickets.mapped("sla_status"))),
        "activities_per_ticket": sorted(set(per_ticket[i] for i in ids))}))
    tickets.unlink()
'''


def test_escalation_by_several_workers_at_once(odoo_system):
    """Four workers run the SLA cron at the same moment on breached tickets: each level
    is escalated once, whoever wins; the others find nothing left."""
    result = json.loads(odoo_system.shell(ESCALATION_SCRIPT, timeout=300)[0])
    assert result["errors"] == [], result["errors"]
    assert result["statuses"] == ["breached"] and result["escalations"] == ["breached"], result
    assert result["expected"] == 2, "the demo lead's team has a leader and a manager"
    assert result["activities_per_ticket"] == [2], "the leader's and the manager's, once each"
