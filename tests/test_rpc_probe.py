"""Issue 12, proof: the server, not the web client, keeps every role in its lane. A real
Odoo with four HTTP workers on the system-test database; each demo role probes it from
outside over XML-RPC and JSON-RPC, as any client could.

- PROBES: one row per probe (who, model, method, arguments, expectation), each run over
  both protocols (where the protocol can carry the value). Adding a probe is one row.
- The sweep: every model of the addon, every role, every read door (search_read,
  read_group, export_data, name_search): data or an AccessError, never another error.
- The races: one agent with one claim left sends four claims at once; two agents claim
  the same lead at once. Served by different workers, the limits hold.

The probes state the fixed behaviour (R-DATA-2, R-ORG-2, R-LEAD-5, R-LEAD-6, issue 12).
The state they need is prepared with `odoo shell` (SETUP) before the server starts."""
import json
import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from telesales_rpc import ACCESS, PROTOCOLS, SQL_ECHO, USER, Client

SERVER_WORKERS = 4
PASSWORD = "telesales"
ROLES = {"agent1": "ts_agent1", "agent3": "ts_agent3", "leader1": "ts_leader1",
         "manager": "ts_manager", "service": "ts_service", "hr": "ts_hr"}

# ---------------------------------------------------------------------------------------
# The state the probes use, prepared as superuser: a pool customer with a contact record
# (phone, e-mail, address), the agent's own leads, calls and summary, another team's
# unassigned lead, a call of a lead nobody complained about, and fresh pool leads for the
# races. Printed as one JSON line.
# ---------------------------------------------------------------------------------------
SETUP = r'''
import json
from datetime import timedelta
from odoo import fields
env = env(context={"tracking_disable": True, "mail_notrack": True})
user = lambda login: env["res.users"].search([("login", "=", login)])
employee = lambda u: env["hr.employee"].search([("user_id", "=", u.id)], limit=1)
Lead, Partner, Call = env["crm.lead"], env["res.partner"], env["telesales.call"]
company = env.ref("base.main_company")

agent3, leader1 = user("ts_agent3"), user("ts_leader1")
team3 = employee(agent3).telesales_team_id
colleague = env["hr.employee"].search([("telesales_team_id", "=", team3.id), ("telesales_role", "=", "agent"),
                                       ("user_id", "not in", (False, agent3.id))], limit=1).user_id
stranger_employee = env["hr.employee"].search([("telesales_role", "=", "agent"), ("user_id", "!=", False),
                                              ("telesales_team_id", "not in", (False, team3.id))], limit=1)

# The pool customer: the first lead of the pool, with a contact record.
pool_lead = Lead.browse(env["telesales.pool.lead"].search([], order="id", limit=1).id)
assert pool_lead, "the demo has leads in the pool"
secret = Partner.create({
    "name": pool_lead.contact_name or pool_lead.name, "phone": pool_lead.phone,
    "email": f"pool.secret.{pool_lead.id}@customer.example.com",
    "street": f"{pool_lead.id} Hidden Lane", "city": "Shenzhen"})
pool_lead.write({"partner_id": secret.id, "phone": pool_lead.phone})
assert env["telesales.pool.lead"].search_count([("id", "=", pool_lead.id)]) == 1

# A call the demo logged on a lead nobody complained about (before the probes' own).
uncomplained_call = Call.search([("lead_id.telesales_complaint_ids", "=", False), ("lead_id", "!=", False)], limit=1)
# Calls of the agent on a day already judged (its daily minimum is recorded).
judged = env["telesales.daily.minimum"].search([("user_id", "=", agent3.id)], order="date desc", limit=1)
judged_calls = Call.search([("user_id", "=", agent3.id), ("call_date", "=", judged.date)], limit=2)
assert len(judged_calls) == 2, "the demo agent has calls on a judged day"

# What a probe changes exists once per protocol (a hole found over XML-RPC must not
# hide or fake the answer over JSON-RPC): the agent's own leads (one per probe that
# changes one), their calls, another team's unassigned leads.
per_protocol = {}
for protocol in ("xmlrpc", "jsonrpc"):
    own = Lead.create([{"name": f"Probe own {protocol} {n}", "contact_name": f"Own Customer {n}",
                        "type": "lead", "phone": f"+86 137{n:08d}", "company_id": company.id,
                        "team_id": team3.id, "user_id": agent3.id} for n in range(8)])
    calls = Call.with_context(telesales_seed=True).create([{
        "lead_id": own[1].id, "user_id": agent3.id, "direction": "inbound", "outcome": "effective",
        "start": fields.Datetime.now() - timedelta(hours=2)} for n in range(2)])
    others = Lead.create([{"name": f"Probe other team {protocol} {n}", "type": "lead",
                           "phone": f"+86 136{n:08d}", "company_id": company.id,
                           "team_id": stranger_employee.telesales_team_id.id, "user_id": False}
                          for n in range(2)])
    # A complaint about the agent, on their own lead.
    about = env["telesales.complaint"].create({
        "subject": f"Probe complaint {protocol}", "description": "Rude on the phone",
        "lead_id": own[7].id, "agent_id": agent3.id,
        "category_id": env.ref("telesales_mgmt.complaint_category_price").id})
    per_protocol[protocol] = {"own_leads": own.ids, "own_calls": calls.ids, "other_unassigned": others.ids,
                              "judged_call": judged_calls[len(per_protocol)].id, "complaint": about.id}
own_partner = Partner.create({"name": "Own Customer 0", "phone": own[0].phone,
                              "email": f"own.{own[0].id}@customer.example.com"})
Lead.browse([ids["own_leads"][0] for ids in per_protocol.values()]).partner_id = own_partner
own_unassigned = Lead.create({"name": "Probe own team unassigned", "type": "lead", "phone": "+86 13500000000",
                              "company_id": company.id, "team_id": team3.id, "user_id": False})
Summary = env["telesales.monthly.summary"]
Summary._cron_prepare_summaries()
summary = Summary.search([("user_id", "=", agent3.id)], limit=1)
# The agent's appraisal (issue 15): opened by the demo; colleagues' sheets rate it.
appraisal = env["telesales.appraisal"].search([("user_id", "=", agent3.id)], limit=1)
assert appraisal and appraisal.rating_ids, "the demo opened the agent's appraisal with peer sheets"
assert summary and uncomplained_call and colleague and stranger_employee, "the demo has what the probes use"

# Fresh pool leads for the races (recycled leads: in the pool, nobody holds them).
race = Lead.create([{"name": f"Race {n}", "type": "lead", "phone": f"+86 139{n:08d}",
                     "company_id": company.id, "team_id": False, "user_id": False,
                     "telesales_in_pool": True} for n in range(8)])

# Models of the addon, and for each a field to group by and a few ids to export.
models = {}
for model in env["ir.model"].search([]).filtered(lambda m: "telesales_mgmt" in (m.modules or "").split(", ")):
    Model = env[model.model]
    if Model._abstract:
        continue
    stored = [name for name, f in Model._fields.items() if f.store and f.column_type
              and f.type in ("many2one", "selection", "boolean", "date", "datetime")]
    groupby = next((name for name in ("company_id", "user_id", "team_id", "create_uid") if name in stored),
                   stored[0] if stored else None)
    ids = Model.sudo().with_context(active_test=False).search([], limit=3).ids
    models[model.model] = {"groupby": groupby, "ids": ids}

env.cr.commit()
digits = "".join(c for c in pool_lead.phone if c.isdigit())
print("RESULT " + json.dumps({
    "company": company.id,
    "agent3": agent3.id, "colleague": colleague.id, "leader1": leader1.id,
    "stranger": stranger_employee.user_id.id, "stranger_team": stranger_employee.telesales_team_id.id,
    "stranger_employee": stranger_employee.id,
    "pool_lead": pool_lead.id, "pool_name": secret.name, "pool_partner": secret.id,
    "pool_phone": pool_lead.phone, "pool_digits": digits, "pool_email": secret.email,
    "pool_street": secret.street,
    "per_protocol": per_protocol, "own_partner": own_partner.id, "own_phone": own[0].phone,
    "own_unassigned": own_unassigned.id,
    "uncomplained_call": uncomplained_call.id, "uncomplained_lead": uncomplained_call.lead_id.id,
    "summary": summary.id,
    "appraisal": appraisal.id, "appraisal_line": appraisal.line_ids[:1].id,
    "category": env.ref("telesales_mgmt.complaint_category_price").id,
    "race_leads": race.ids,
    "claim_limit": company.telesales_claim_daily_limit, "claim_cap": company.telesales_claim_open_cap,
    "day_start": str(company._telesales_day_bounds()[0]), "day_stop": str(company._telesales_day_bounds()[1]),
    "models": models,
}))
'''


@pytest.fixture(scope="module")
def facts(odoo_system):
    return SimpleNamespace(**json.loads(odoo_system.shell(SETUP)[0]))


@pytest.fixture(scope="module")
def clients(server, odoo_system, facts):
    """One authenticated client per role (uids are looked up once)."""
    return {role: Client(server, odoo_system.database, login, PASSWORD)
            for role, login in ROLES.items()}


# ---------------------------------------------------------------------------------------
# Expectations: each checks an Outcome against the facts and fails with a sentence.
# ---------------------------------------------------------------------------------------
def _joined_digits(text):
    """Phone numbers with their separators dropped (+86 134-7580 8013 → +8613475808013)."""
    return re.sub(r"(?<=\d)[\s\-().]+(?=\d)", "", text)


def _leaks(outcome, f):
    text = outcome.text
    found = []
    if f.pool_digits[-8:] in _joined_digits(text):
        found.append("phone")
    if f.pool_email.lower() in text.lower():
        found.append("e-mail")
    if f.pool_street.lower() in text.lower():
        found.append("address")
    return found


def ok(outcome, f):
    assert outcome.ok, f"expected data, got {outcome}"


def refused(outcome, f):
    assert outcome.kind in (ACCESS, USER), f"expected a refusal (AccessError/UserError), got {outcome}"


def access_error(outcome, f):
    assert outcome.kind == ACCESS, f"expected an AccessError, got {outcome}"


def no_leak(outcome, f):
    """Data without the pool customer's phone, e-mail or address, or an AccessError."""
    assert outcome.ok or outcome.denied, f"expected data or an AccessError, got {outcome}"
    assert not _leaks(outcome, f), f"the pool customer's {'/'.join(_leaks(outcome, f))} leaked: {outcome}"


def hidden(outcome, f):
    """Nothing found (an empty answer) or an AccessError."""
    assert outcome.ok or outcome.denied, f"expected nothing or an AccessError, got {outcome}"
    assert outcome.denied or not outcome.result, f"expected nothing, got {outcome}"


def not_found(key):
    """The search does not find the record `key` of the facts (no guessing by its digits)."""
    def check(outcome, f):
        no_leak(outcome, f)
        if outcome.ok:
            found = [row[0] if isinstance(row, list) else row["id"] if isinstance(row, dict) else row
                     for row in outcome.result]
            assert getattr(f, key) not in found, f"the search found {key} {getattr(f, key)}: {outcome}"
    check.__name__ = f"not_found({key})"
    return check


def masked(outcome, f):
    ok(outcome, f)
    assert [row["phone_masked"] for row in outcome.result] == [
        f"{f.pool_digits[-11:-8]}****{f.pool_digits[-4:]}"], outcome
    no_leak(outcome, f)


def shows_own_phone(outcome, f):
    ok(outcome, f)
    assert f.own_phone in outcome.text, f"the agent's own customer's phone should show: {outcome}"


def bad_input(*words):
    """A ValidationError/UserError that says what is wrong, the database never talking."""
    def check(outcome, f):
        assert outcome.kind == USER, f"expected a ValidationError/UserError, got {outcome}"
        for word in words:
            assert word.lower() in outcome.message.lower(), f"the message should mention {word!r}: {outcome}"
        assert "psycopg2" not in outcome.debug, f"a database error reached the client: {outcome.debug[-800:]}"
    check.__name__ = f"bad_input{words}"
    return check


# ---------------------------------------------------------------------------------------
# The probes. args/kwargs are callables of the facts. protocols: where the value can be
# carried (XML-RPC has no NUL character and no integer beyond 32 bits).
# ---------------------------------------------------------------------------------------
@dataclass
class Probe:
    name: str
    role: str
    model: str
    method: str
    args: Callable
    expect: Callable
    kwargs: Callable = lambda f: {}
    protocols: tuple = PROTOCOLS


def _call_vals(f, **values):
    """A valid inbound call on the agent's own lead (inbound: no calling-window or
    approval rule applies), with `values` on top."""
    return {"lead_id": f.own_leads[1], "direction": "inbound", "outcome": "effective",
            "plan_date": "2030-01-02 02:00:00", "plan_goal": "probe", "talk_seconds": 30, **values}


CONTACT = ["phone", "email", "street", "display_name"]
CTX_ADDRESS = {"context": {"show_email": True, "show_address": True}}

PROBES = [
    # R-KPI-4: figures of an appraisal are the system's; steps by their role; peers anonymous.
    Probe("appraisal grade written by the agent", "agent3", "telesales.appraisal", "write",
          lambda f: [[f.appraisal], {"grade": "s"}], access_error),
    Probe("appraisal line's value written by the agent", "agent3", "telesales.appraisal.line", "write",
          lambda f: [[f.appraisal_line], {"value": 1000}], access_error),
    Probe("appraisal lines read by the agent", "agent3", "telesales.appraisal.line", "search_read",
          lambda f: [[("appraisal_id", "=", f.appraisal)]], ok, lambda f: {"fields": ["value", "score"]}),
    Probe("appraisal consolidated by the agent", "agent3", "telesales.appraisal", "action_consolidate",
          lambda f: [[f.appraisal]], access_error),
    Probe("appraisal passed on by the agent as leader", "agent3", "telesales.appraisal", "action_submit_leader",
          lambda f: [[f.appraisal]], refused),
    Probe("peer ratings of one's own appraisal", "agent3", "telesales.appraisal.rating", "search_read",
          lambda f: [[("appraisal_id", "=", f.appraisal)]], hidden, lambda f: {"fields": ["rater_id", "score"]}),
    Probe("peer ratings of one's own appraisal, grouped by rater", "agent3", "telesales.appraisal.rating",
          "formatted_read_group", lambda f: [[("appraisal_id.user_id", "=", f.agent3)], ["rater_id"]], hidden),
    Probe("appraisal opened by hand", "manager", "telesales.appraisal", "create",
          lambda f: [{"employee_id": f.stranger_employee, "date_from": "2020-01-01", "date_to": "2020-02-01"}],
          access_error),
    # R-DATA-2: the pool customer's number, e-mail and address stay hidden from agents.
    Probe("pool shows a masked phone", "agent3", "telesales.pool.lead", "search_read",
          lambda f: [[("id", "=", f.pool_lead)]], masked, lambda f: {"fields": ["name", "phone_masked"]}),
    Probe("pool shows a masked phone (trainee)", "agent1", "telesales.pool.lead", "search_read",
          lambda f: [[("id", "=", f.pool_lead)]], masked, lambda f: {"fields": ["name", "phone_masked"]}),
    Probe("own customer's phone shows", "agent3", "res.partner", "read",
          lambda f: [[f.own_partner], ["phone", "email"]], shows_own_phone),
    Probe("partner read", "agent3", "res.partner", "read",
          lambda f: [[f.pool_partner], CONTACT], no_leak),
    Probe("partner search_read by the pool name", "agent3", "res.partner", "search_read",
          lambda f: [[("name", "ilike", f.pool_name)]], no_leak, lambda f: {"fields": CONTACT}),
    Probe("partner search_read by the pool name (trainee)", "agent1", "res.partner", "search_read",
          lambda f: [[("name", "ilike", f.pool_name)]], no_leak, lambda f: {"fields": CONTACT}),
    Probe("partner search phone like digits", "agent3", "res.partner", "search",
          lambda f: [[("phone", "like", f.pool_digits[-8:])]], not_found("pool_partner")),
    Probe("partner search e-mail like", "agent3", "res.partner", "search",
          lambda f: [[("email", "ilike", f.pool_email.split("@")[0])]], not_found("pool_partner")),
    Probe("partner read_group by phone", "agent3", "res.partner", "read_group",
          lambda f: [[("id", "=", f.pool_partner)], ["phone"], ["phone"]], no_leak),
    Probe("partner formatted_read_group by e-mail", "agent3", "res.partner", "formatted_read_group",
          lambda f: [[("id", "=", f.pool_partner)], ["email"]], no_leak),
    Probe("partner export_data phone", "agent3", "res.partner", "export_data",
          lambda f: [[f.pool_partner], ["phone", "email", "street"]], no_leak),
    Probe("partner name_search by e-mail", "agent3", "res.partner", "name_search",
          lambda f: [], not_found("pool_partner"), lambda f: {"name": f.pool_email, "limit": 8}),
    Probe("partner display_name with show_email/show_address", "agent3", "res.partner", "read",
          lambda f: [[f.pool_partner], ["display_name"]], no_leak, lambda f: CTX_ADDRESS),
    Probe("partner web_read", "agent3", "res.partner", "web_read",
          lambda f: [[f.pool_partner], {"phone": {}, "email": {}, "display_name": {}}], no_leak,
          lambda f: CTX_ADDRESS),
    Probe("partner read (HR)", "hr", "res.partner", "read",
          lambda f: [[f.pool_partner], CONTACT], no_leak),
    Probe("pool lead read", "agent3", "crm.lead", "read",
          lambda f: [[f.pool_lead], ["phone", "email_from", "partner_id"]], refused),
    Probe("lead search phone like digits", "agent3", "crm.lead", "search_read",
          lambda f: [[("phone", "like", f.pool_digits[-8:])]], not_found("pool_lead"),
          lambda f: {"fields": ["phone"]}),

    # Creating or re-pointing on a lead the agent may not read is refused.
    Probe("valid call on own lead", "agent3", "telesales.call", "create",
          lambda f: [_call_vals(f)], ok),
    Probe("call on a pool lead", "agent3", "telesales.call", "create",
          lambda f: [_call_vals(f, lead_id=f.pool_lead)], refused),
    Probe("complaint on a pool lead", "agent3", "telesales.complaint", "create",
          lambda f: [{"subject": "probe", "description": "probe", "lead_id": f.pool_lead,
                      "category_id": f.category}], refused),
    Probe("own call re-pointed at a pool lead", "agent3", "telesales.call", "write",
          lambda f: [[f.own_calls[0]], {"lead_id": f.pool_lead}], refused),
    Probe("own call given to a colleague", "agent3", "telesales.call", "write",
          lambda f: [[f.own_calls[1]], {"user_id": f.colleague}], refused),

    # The figures that pay people are the system's (R-LEAD-5 approval, R-INC-1 win).
    Probe("own lead: a note", "agent3", "crm.lead", "write",
          lambda f: [[f.own_leads[2]], {"description": "probe"}], ok),
    Probe("own lead: approval state", "agent3", "crm.lead", "write",
          lambda f: [[f.own_leads[2]], {"telesales_approval_state": "approved"}], refused),
    Probe("own lead: approval date", "agent3", "crm.lead", "write",
          lambda f: [[f.own_leads[2]], {"telesales_approval_date": "2030-01-01 00:00:00"}], refused),
    Probe("own lead: won by", "agent3", "crm.lead", "write",
          lambda f: [[f.own_leads[2]], {"telesales_won_user_id": f.agent3}], refused),
    Probe("own lead: into the pool", "agent3", "crm.lead", "write",
          lambda f: [[f.own_leads[3]], {"telesales_in_pool": True}], refused),
    Probe("own summary: prefilled figures", "agent3", "telesales.monthly.summary", "write",
          lambda f: [[f.summary], {"connected": 9999, "talk_hours": 999.0}], refused),
    Probe("own call on a judged day: talk time", "agent3", "telesales.call", "write",
          lambda f: [[f.judged_call], {"talk_seconds": 1, "ring_seconds": 0}], refused),  # fits any call
    # Whoever a complaint is about never changes its state, dates, blame or outcome.
    Probe("complaint about me: re-blamed", "agent3", "telesales.complaint", "write",
          lambda f: [[f.complaint], {"agent_id": f.colleague}], refused),
    Probe("complaint about me: received date", "agent3", "telesales.complaint", "write",
          lambda f: [[f.complaint], {"received_date": "2030-01-01 00:00:00"}], refused),
    Probe("complaint about me: resolution", "agent3", "telesales.complaint", "write",
          lambda f: [[f.complaint], {"resolution": "<p>solved</p>", "satisfaction": 5}], refused),
    Probe("complaint about me: cancelled", "agent3", "telesales.complaint", "action_cancel",
          lambda f: [[f.complaint]], refused),
    Probe("complaint with its outcome at creation", "agent3", "telesales.complaint", "create",
          lambda f: [{"subject": "probe", "description": "probe", "lead_id": f.own_leads[7],
                      "category_id": f.category, "resolution": "<p>done</p>", "satisfaction": 5}], refused),
    # R-ORG-2: owner and team change only through the one door.
    Probe("own lead to another team's agent", "agent3", "crm.lead", "write",
          lambda f: [[f.own_leads[4]], {"user_id": f.stranger}], refused),
    Probe("own lead to another team", "agent3", "crm.lead", "write",
          lambda f: [[f.own_leads[5]], {"team_id": f.stranger_team}], refused),
    Probe("leader reads own team's unassigned lead", "leader1", "crm.lead", "read",
          lambda f: [[f.own_unassigned], ["name", "phone"]], ok),
    Probe("leader searches another team's unassigned lead", "leader1", "crm.lead", "search_read",
          lambda f: [[("id", "=", f.other_unassigned[0])]], hidden, lambda f: {"fields": ["name", "phone"]}),
    Probe("leader reads another team's unassigned lead", "leader1", "crm.lead", "read",
          lambda f: [[f.other_unassigned[0]], ["name", "phone"]], refused),
    Probe("leader writes another team's unassigned lead", "leader1", "crm.lead", "write",
          lambda f: [[f.other_unassigned[0]], {"description": "probe"}], refused),
    Probe("leader takes another team's unassigned lead", "leader1", "crm.lead", "write",
          lambda f: [[f.other_unassigned[1]], {"user_id": f.agent3}], refused),
    # Customer service reads the calls of complained-about leads only.
    Probe("service reads a call without complaint", "service", "telesales.call", "read",
          lambda f: [[f.uncomplained_call], ["phone", "notes"]], refused),
    Probe("service searches calls without complaint", "service", "telesales.call", "search_read",
          lambda f: [[("lead_id", "=", f.uncomplained_lead)]], hidden, lambda f: {"fields": ["phone"], "limit": 5}),

    # No authority through the context.
    Probe("context telesales_door", "agent3", "crm.lead", "write",
          lambda f: [[f.own_leads[6]], {"user_id": f.stranger}], refused,
          lambda f: {"context": {"telesales_door": True}}),
    Probe("context telesales_summary_flow: state", "agent3", "telesales.monthly.summary", "write",
          lambda f: [[f.summary], {"state": "acknowledged"}], refused,
          lambda f: {"context": {"telesales_summary_flow": True}}),
    Probe("context telesales_summary_flow: figures", "agent3", "telesales.monthly.summary", "write",
          lambda f: [[f.summary], {"dialled": 9999, "deals": 99}], refused,
          lambda f: {"context": {"telesales_summary_flow": True}}),
    Probe("context telesales_grade_auto", "agent3", "res.partner", "write",
          lambda f: [[f.own_partner], {"telesales_grade": "a"}], refused,
          lambda f: {"context": {"telesales_grade_auto": True}}),

    # Bad input: a clear message, never the database's.
    Probe("call on an unknown lead", "agent3", "telesales.call", "create",
          lambda f: [_call_vals(f, lead_id=987654321)], bad_input("987654321", "exist")),
    Probe("talk time beyond an integer", "agent3", "telesales.call", "create",
          lambda f: [_call_vals(f, talk_seconds=10**12)], bad_input(), protocols=("jsonrpc",)),
    Probe("talk time of the wrong type", "agent3", "telesales.call", "create",
          lambda f: [_call_vals(f, talk_seconds="long")], bad_input()),
    Probe("NUL byte in notes", "agent3", "telesales.call", "create",
          lambda f: [_call_vals(f, notes="before\x00after")], bad_input(), protocols=("jsonrpc",)),
    Probe("complaint with an empty subject", "agent3", "telesales.complaint", "create",
          lambda f: [{"subject": " ", "description": "probe", "lead_id": f.own_leads[7],
                      "category_id": f.category}], bad_input()),
    Probe("complaint with an empty description", "service", "telesales.complaint", "create",
          lambda f: [{"subject": "probe", "description": "", "lead_id": f.own_leads[7],
                      "category_id": f.category}], bad_input()),
    Probe("complaint received in the future", "service", "telesales.complaint", "create",
          lambda f: [{"subject": "probe", "description": "probe", "lead_id": f.own_leads[7],
                      "category_id": f.category, "received_date": "2099-01-01 00:00:00"}], bad_input()),
    Probe("complaint received in the future (agent)", "agent3", "telesales.complaint", "create",
          lambda f: [{"subject": "probe", "description": "probe", "lead_id": f.own_leads[7],
                      "category_id": f.category, "received_date": "2099-01-01 00:00:00"}], refused),
]


@pytest.mark.parametrize("probe,protocol", [
    pytest.param(probe, protocol, id=f"{probe.role}: {probe.name} [{protocol}]")
    for probe in PROBES for protocol in probe.protocols])
def test_probe(clients, facts, probe, protocol):
    f = SimpleNamespace(**vars(facts), **facts.per_protocol[protocol])
    outcome = clients[probe.role].call(protocol, probe.model, probe.method, probe.args(f), probe.kwargs(f))
    if not outcome.ok:
        assert not SQL_ECHO.search(outcome.message), f"the error echoes the database: {outcome}"
    probe.expect(outcome, f)


# ---------------------------------------------------------------------------------------
# The sweep: every model of the addon through every read door, as every role.
# ---------------------------------------------------------------------------------------
def _sweep_calls(model, info):
    yield "search_read", [[]], {"limit": 3}
    if info["groupby"]:
        yield "read_group", [[], [], [info["groupby"]]], {"limit": 3}
    yield "export_data", [info["ids"], ["display_name"]], {}
    yield "name_search", [], {"name": "", "limit": 3}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_sweep_read_doors(server, odoo_system, facts, clients, role):
    """Every answer is data or an AccessError (or Odoo's refusal to export): never a
    crash. Each call goes over one protocol, alternating, so that every door of every
    model is tried over both across the roles; TELESALES_SWEEP_BOTH=1 tries each call
    over both protocols (twice the time)."""
    both = os.environ.get("TELESALES_SWEEP_BOTH") == "1"
    shift = sorted(ROLES).index(role)
    jobs = [(protocol, model, method, args, kwargs)
            for index, (model, (method, args, kwargs)) in enumerate(
                (model, call) for model, info in sorted(facts.models.items())
                for call in _sweep_calls(model, info))
            for protocol in (PROTOCOLS if both else [PROTOCOLS[(index + shift) % 2]])]
    local = threading.local()
    uid = clients[role].uid

    def run(job):
        if not hasattr(local, "client"):  # a connection per thread
            local.client = Client(server, odoo_system.database, ROLES[role], PASSWORD, uid=uid)
        protocol, model, method, args, kwargs = job
        return job, local.client.call(protocol, model, method, args, kwargs)

    with ThreadPoolExecutor(max_workers=SERVER_WORKERS) as pool:
        results = list(pool.map(run, jobs))
    failures = [f"{model}.{method} [{protocol}]: {outcome}"
                for (protocol, model, method, _args, _kwargs), outcome in results
                if not (outcome.ok or outcome.denied)]
    assert len(facts.models) > 30 and len(results) > 120, "the sweep tries every model of the addon"
    assert not failures, f"{len(failures)} of {len(results)} answers were neither data nor an AccessError:\n" \
        + "\n".join(failures)


# ---------------------------------------------------------------------------------------
# The races (R-LEAD-6), served by several workers at once.
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def claim_limits(server, odoo_system, facts):
    """set(login, left): the daily claim limit such that `login` has `left` claims left
    today, and no open-lead cap; set by the demo administrator over RPC (as Settings
    would), the company's settings restored afterwards."""
    admin = Client(server, odoo_system.database, "admin", "admin")

    def call(model, method, *args):
        outcome = admin.call("jsonrpc", model, method, list(args))
        assert outcome.ok, outcome
        return outcome.result

    def set_limit(login, left):
        uid = call("res.users", "search", [("login", "=", login)])[0]
        claimed = call("telesales.allocation.log", "search_count", [
            ("to_user_id", "=", uid), ("level", "=", "claim"), ("date", ">=", facts.day_start),
            ("date", "<", facts.day_stop), ("lead_id.won_status", "!=", "won")])
        call("res.company", "write", [facts.company], {
            "telesales_claim_daily_limit": claimed + left, "telesales_claim_open_cap": 0})

    yield set_limit
    call("res.company", "write", [facts.company], {
        "telesales_claim_daily_limit": facts.claim_limit, "telesales_claim_open_cap": facts.claim_cap})


def _claim_at_once(server, database, logins, lead_ids, protocol="jsonrpc"):
    """Each (login, lead) claims in its own thread and HTTP connection, released together."""
    clients = [Client(server, database, login, PASSWORD) for login in logins]
    barrier = threading.Barrier(len(clients))
    outcomes = [None] * len(clients)

    def claim(index):
        barrier.wait()
        outcomes[index] = clients[index].call(protocol, "telesales.pool.lead", "action_claim",
                                              [[lead_ids[index]]])

    threads = [threading.Thread(target=claim, args=(index,)) for index in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return outcomes


def _claims_in_database(clients, lead_ids):
    """As the manager: who holds the leads now, and how many claim log lines they have."""
    owners = clients["manager"].call("jsonrpc", "crm.lead", "read", [lead_ids, ["user_id"]])
    logs = clients["manager"].call("jsonrpc", "telesales.allocation.log", "search_count",
                                   [[("lead_id", "in", lead_ids), ("level", "=", "claim")]])
    assert owners.ok and logs.ok, (owners, logs)
    return [row["user_id"] and row["user_id"][0] for row in owners.result], logs.result


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_two_agents_claim_the_same_lead(server, odoo_system, facts, clients, claim_limits, protocol):
    """Two live agents (trainees claim nothing, R-TRN-2) claim the same pool lead at the
    same moment: exactly one gets it."""
    claim_limits("ts_agent6", 10)
    lead = facts.race_leads[4 + PROTOCOLS.index(protocol)]
    outcomes = _claim_at_once(server, odoo_system.database, ["ts_agent6", "ts_agent4"], [lead, lead],
                              protocol=protocol)
    assert sorted(o.kind or "won" for o in outcomes) == ["user", "won"], outcomes
    owners, logs = _claims_in_database(clients, [lead])
    assert owners[0] and logs == 1, (owners, logs)


def test_one_claim_left_four_claims_at_once(server, odoo_system, facts, clients, claim_limits):
    """Four claims of four pool leads by one agent with one claim left today: one wins,
    three are told the limit (UserError), and the database agrees."""
    claim_limits("ts_agent5", 1)
    leads = facts.race_leads[:4]
    outcomes = _claim_at_once(server, odoo_system.database, ["ts_agent5"] * 4, leads)
    assert all(o.kind in (None, USER) for o in outcomes), outcomes
    wins = sum(o.ok for o in outcomes)
    owners, logs = _claims_in_database(clients, leads)
    assert (wins, sum(bool(owner) for owner in owners), logs) == (1, 1, 1), \
        f"with one claim left, {wins} of 4 claims succeeded ({logs} claim logs): {outcomes}"
