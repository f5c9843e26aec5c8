"""System test of the phone-system webhook (issue 14) with the simulator: a real Odoo
server receives a small simulated day (5 demo agents, about 200 signed events in batches
of 20 from 2 threads, some sent twice, many late and out of order, one call from an
extension nobody has) on `POST /telesales/cti/events`; then the database is read:
every call exists once, with the start, ring and talk seconds its events imply, on the
agent's lead with that number; every repeat was answered "duplicate"; the stray
extension's events are in the error log. Sending the day again changes nothing."""
import importlib
import json
import pathlib
import sys
from collections import Counter, defaultdict
from datetime import UTC, date, datetime

import pytest

BENCH = pathlib.Path(__file__).resolve().parents[1] / "bench"
PREFIX = "systest-cti"

SETUP = r'''
import json, secrets
company = env.company
agents = env["hr.employee"].search([("telesales_role", "=", "agent"), ("user_id", "!=", False),
                                    ("company_id", "=", company.id)], order="id", limit=5)
saved = {"enabled": company.telesales_cti_enabled, "secret": company.telesales_cti_secret,
         "country": company.partner_id.country_id.id,
         "extensions": {str(agent.id): agent.telesales_extension for agent in agents}}
secret = secrets.token_hex(16)
company.write({"telesales_cti_enabled": True, "telesales_cti_secret": secret})
# numbers sent as 11 national digits are read with the company's country
company.partner_id.country_id = env.ref("base.cn")
taken = set(env["hr.employee"].search([("telesales_extension", "!=", False)]).mapped("telesales_extension"))
free = (str(n) for n in range(7600, 7700) if str(n) not in taken)
numbers, leads = {}, {}
for agent in agents:
    agent.telesales_extension = next(free)
    own = env["crm.lead"].search([("user_id", "=", agent.user_id.id), ("company_id", "in", (company.id, False)),
                                  ("phone_sanitized", "!=", False), ("won_status", "!=", "won")], order="id")
    by_number = {}
    for lead in own:
        by_number.setdefault(lead.phone_sanitized, []).append(lead)
    # a number with one open lead of the agent: the call is that lead's
    mine = [found[0] for found in by_number.values() if len(found) == 1][:15]
    numbers[agent.telesales_extension] = [lead.phone for lead in mine]
    leads.update({f"{agent.telesales_extension} {lead.phone_sanitized[-11:]}": lead.id for lead in mine})
env.cr.commit()
print("RESULT", json.dumps({"company": company.id, "secret": secret, "saved": saved,
                            "numbers": numbers, "leads": leads}))
'''

CLEANUP = r'''
import json
saved = json.loads(%r)
company = env.company
env["telesales.call"].search([("cti_call_id", "=like", "%s-%%")]).unlink()
env["telesales.cti.log"].search([("call_ref", "=like", "%s-%%")]).unlink()
for employee_id, extension in saved["extensions"].items():
    env["hr.employee"].browse(int(employee_id)).telesales_extension = extension
company.write({"telesales_cti_enabled": saved["enabled"], "telesales_cti_secret": saved["secret"]})
company.partner_id.country_id = saved["country"]
env.cr.commit()
print("RESULT done")
'''

READ = r'''
import json
calls = env["telesales.call"].search([("cti_call_id", "=like", "%s-%%")])
logged = env["telesales.cti.log"].search([("call_ref", "=like", "%s-%%")])
print("RESULT", json.dumps({
    "calls": [[c.cti_call_id, c.source, c.employee_id.telesales_extension, c.direction,
               str(c.start), c.ring_seconds, c.talk_seconds, bool(c.answered_at), c.lead_id.id]
              for c in calls],
    "log": [[log.call_ref, log.event, log.extension, log.count] for log in logged]}))
'''


@pytest.fixture(scope="module")
def bench():
    """bench/cti_day.py and bench/cti_simulator.py, imported as the simulator imports them."""
    sys.path.insert(0, str(BENCH))
    try:
        yield importlib.import_module("cti_day"), importlib.import_module("cti_simulator")
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture(scope="module")
def phone_system(odoo_system):
    """The demo company's phone system on with a fresh secret, extensions for 5 demo agents,
    and numbers of their open leads; all put back afterwards."""
    setup = json.loads(odoo_system.shell(SETUP)[0])
    try:
        yield setup
    finally:
        odoo_system.shell(CLEANUP % (json.dumps(setup["saved"]), PREFIX, PREFIX))


@pytest.fixture(scope="module")
def played(server, phone_system, bench, odoo_system):
    cti_day, simulator = bench
    # a past working day: its calls are history (no screen pop, no judged day moved)
    day = cti_day.previous_weekday(datetime.now(cti_day.SHANGHAI).date())
    extensions = list(phone_system["numbers"])
    calls = cti_day.plan_day(extensions, phone_system["numbers"], day, seed=7, calls=48, stray_calls=1,
                             prefix=PREFIX)
    events = cti_day.day_events(calls, seed=7, jitter_s=90, duplicate_share=0.15)
    outcome, _ms = simulator.play(server, phone_system["company"], phone_system["secret"], events,
                                  batch_size=20, threads=2)
    stored = json.loads(odoo_system.shell(READ % (PREFIX, PREFIX))[0])
    return {"day": day, "calls": calls, "events": events, "outcome": outcome, "stored": stored,
            "extensions": extensions}


def test_the_day_is_realistic(played, bench):
    """What the simulator sent is what the test claims to test: ~200 events, repeats,
    out of order, unknown numbers, unanswered calls, both number formats."""
    cti_day, _simulator = bench
    events, calls = played["events"], played["calls"]
    assert 170 <= len(events) <= 240
    assert len(events) - len({(e["call_id"], e["event"]) for e in events}) >= 10, "repeats"
    assert cti_day.out_of_order(events) >= 10
    assert 5 <= sum(not call.answered for call in calls) < len(calls) / 2
    assert any(call.number.startswith("+86") for call in calls)
    assert any(not call.number.startswith("+") for call in calls)
    assert all(isinstance(played["day"], date) and call.ringing.date() == played["day"] for call in calls)


def test_every_event_answered_per_the_contract(played, bench):
    _cti_day, simulator = bench
    outcome = played["outcome"]
    assert {status for _event, status, _result in outcome} == {200}, [
        result for _event, status, result in outcome if status != 200][:3]
    summary = simulator.summarise(outcome, [1.0], 1.0, played["extensions"])
    assert summary["unexpected"] == 0, summary["samples"]
    seen, created = set(), Counter()
    for event, _status, result in outcome:
        key = (event["call_id"], event["event"])
        if event["extension"] not in played["extensions"]:
            assert result["result"] == "ignored" and result.get("reason"), result
        elif key in seen:
            assert result["result"] == "duplicate", (event, result)
        else:
            assert result["result"] in ("created", "updated"), (event, result)
            created[event["call_id"]] += result["result"] == "created"
        seen.add(key)
    agents_calls = [call for call in played["calls"] if call.extension in played["extensions"]]
    assert created == Counter({call.call_id: 1 for call in agents_calls}), "each call created once"


def test_every_call_once_with_its_measured_times(played, phone_system, bench):
    cti_day, _simulator = bench
    rows = defaultdict(list)
    for row in played["stored"]["calls"]:
        rows[row[0]].append(row)
    agents_calls = [call for call in played["calls"] if call.extension in played["extensions"]]
    assert sorted(rows) == sorted(call.call_id for call in agents_calls)
    assert all(len(found) == 1 for found in rows.values()), "one row per call id"
    known = {cti_day.national(number) for numbers in phone_system["numbers"].values() for number in numbers}
    unmatched, national, unknown = [], 0, 0
    for call in agents_calls:
        call_id, source, extension, direction, start, ring, talk, answered, lead_id = rows[call.call_id][0]
        ringing = call.ringing.astimezone(UTC).replace(tzinfo=None)
        assert (source, extension, direction) == ("phone_system", call.extension, call.direction)
        assert (start, ring, talk, answered) == (str(ringing), call.ring_seconds, call.talk_seconds,
                                                 call.answered is not None), call
        own = phone_system["leads"].get(f"{call.extension} {cti_day.national(call.number)}")
        if own and lead_id != own:
            unmatched.append((call.call_id, call.number, lead_id, own))
        national += bool(own) and not call.number.startswith("+")
        if cti_day.national(call.number) not in known:
            unknown += 1
            assert not lead_id, "a number no lead has is an unknown-number call"
    assert not unmatched, "a call to the agent's lead's number is on that lead"
    assert national >= 5, "numbers sent as national digits are matched too (the company's country)"
    assert unknown >= 1


def test_stray_extension_is_logged(played):
    strays = {call.call_id for call in played["calls"] if call.extension not in played["extensions"]}
    assert strays
    logged = {(ref, event): count for ref, event, _extension, count in played["stored"]["log"]}
    sent = Counter((e["call_id"], e["event"]) for e in played["events"] if e["call_id"] in strays)
    assert logged == dict(sent), "every event of an unknown extension is logged, its repeats counted"


def test_the_same_day_again_changes_nothing(played, server, phone_system, bench, odoo_system):
    _cti_day, simulator = bench
    outcome, _ms = simulator.play(server, phone_system["company"], phone_system["secret"], played["events"],
                                  batch_size=50, threads=2)
    kinds = Counter(result.get("result") for event, _status, result in outcome
                    if event["extension"] in played["extensions"])
    assert kinds == Counter({"duplicate": sum(kinds.values())})
    again = json.loads(odoo_system.shell(READ % (PREFIX, PREFIX))[0])
    assert sorted(again["calls"]) == sorted(played["stored"]["calls"])
