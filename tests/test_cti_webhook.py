"""Issue 14: the phone system's webhook from outside, on a real server with two HTTP
workers: every refusal of the contract (401, 413, 400 naming the field), a signed batch,
and two workers given the same event at once (one call, not two)."""
import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request

import pytest

SERVER_WORKERS = 2
SECRET = "system-test-shared-secret"
EXTENSION = "8801"
MAX_BODY = 1024 * 1024

SETUP = r'''
import json
env = env(context={"tracking_disable": True})
company = env.ref("base.main_company")
company.write({"telesales_cti_enabled": True, "telesales_cti_secret": "%(secret)s"})
agent = env["res.users"].search([("login", "=", "ts_agent1")])
employee = env["hr.employee"].search([("user_id", "=", agent.id)], limit=1)
employee.telesales_extension = "%(extension)s"
env.cr.commit()
print("RESULT " + json.dumps({"company": company.id, "agent": agent.id}))
'''

CHECK = r'''
import json
calls = env["telesales.call"].search([("cti_call_id", "=like", "sys-%%")])
print("RESULT " + json.dumps({key: [calls.filtered(lambda c: c.cti_call_id == key).user_id.id,
                                    calls.filtered(lambda c: c.cti_call_id == key).ring_seconds]
                              for key in set(calls.mapped("cti_call_id"))}))
print("RESULT " + json.dumps(sorted(calls.mapped("cti_call_id"))))
calls.unlink()
env["res.company"].browse(%(company)s).telesales_cti_enabled = False
env.cr.commit()
'''


@pytest.fixture(scope="module")
def setup(odoo_system):
    return json.loads(odoo_system.shell(SETUP % {"secret": SECRET, "extension": EXTENSION})[0])


@pytest.fixture(scope="module")
def webhook(setup, server):
    def post(payload, secret=SECRET, skew=0, company=None, raw=None, headers=None):
        body = raw if raw is not None else json.dumps(payload).encode()
        # Signed when sent: a timestamp taken earlier would age by the requests before it.
        timestamp = str(int(time.time()) + skew)
        digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
        sent = {"Content-Type": "application/json", "X-Telesales-Company": str(company or setup["company"]),
                "X-Telesales-Timestamp": timestamp, "X-Telesales-Signature": f"sha256={digest}",
                **(headers or {})}
        request = urllib.request.Request(server + "/telesales/cti/events", data=body, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")
    return post


def event(call_id, name="ringing", at="2026-11-23T10:00:00+08:00", **changes):
    return {"call_id": call_id, "event": name, "direction": "outbound", "extension": EXTENSION,
            "number": "13600001111", "at": at, **changes}


def test_refusals(webhook, setup):
    good = [event("sys-refused")]
    cases = [
        ("no signature", webhook(good, headers={"X-Telesales-Signature": ""}), 401, "X-Telesales-Signature"),
        ("wrong secret", webhook(good, secret="not-the-shared-secret"), 401, "X-Telesales-Signature"),
        # Clearly outside the 300 s window (the exact edge, 300 and 301 s, is the engine's
        # test: over HTTP the request's own latency would make it a coin toss).
        ("replayed 330 s later", webhook(good, skew=-330), 401, "X-Telesales-Signature"),
        ("from the future", webhook(good, skew=330), 401, "X-Telesales-Signature"),
        ("unknown company", webhook(good, company=987654), 401, "X-Telesales-Signature"),
        ("body over 1 MiB", webhook(None, raw=b"[" + b" " * MAX_BODY + b"]"), 413, "body"),
        ("malformed JSON", webhook(None, raw=b'{"call_id": '), 400, "body"),
        ("missing number", webhook([event("sys-refused", number=None)]), 400, "[0].number"),
        ("bad time", webhook([event("sys-refused", at="10:00")]), 400, "[0].at"),
        ("501 events", webhook([event(f"sys-m{i}") for i in range(501)]), 400, "body"),
    ]
    for name, (status, body), expected, field in cases:
        assert (name, status, body.get("field")) == (name, expected, field), body


def test_signed_batch_and_duplicates(webhook):
    status, body = webhook([event("sys-1"), event("sys-1", "answered", "2026-11-23T10:00:09+08:00")])
    assert status == 200, body
    assert [r["result"] for r in body["results"]] == ["created", "updated"]
    status, body = webhook(event("sys-1"))  # one object is a batch of one
    assert body["results"] == [{"call_id": "sys-1", "event": "ringing", "result": "duplicate"}]
    status, body = webhook(event("sys-unknown", extension="0000"))
    assert body["results"][0]["result"] == "ignored" and body["results"][0]["reason"] == "unknown extension"


def test_two_workers_same_event_at_once(webhook, odoo_system, setup):
    """Each round: two threads post the same new call's ringing event at the same moment;
    the two workers race to insert it. One call per id, every answer a 200."""
    answers = []
    for round_no in range(8):
        barrier = threading.Barrier(2)

        def send(key=f"sys-race-{round_no}"):
            barrier.wait()
            answers.append(webhook([event(key)]))

        threads = [threading.Thread(target=send) for _n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert [status for status, _body in answers] == [200] * 16, answers
    results = sorted(body["results"][0]["result"] for _status, body in answers)
    assert results == ["created"] * 8 + ["duplicate"] * 8, results
    per_call, keys = (json.loads(line) for line in odoo_system.shell(CHECK % setup))
    assert len(keys) == len(set(keys)), "a call id twice"
    assert {key for key in keys if key.startswith("sys-race-")} == {f"sys-race-{n}" for n in range(8)}
    assert per_call["sys-1"] == [setup["agent"], 9]
