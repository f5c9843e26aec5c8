"""Phone-system simulator: plays a realistic day of call events for 50 agents against a
running Odoo with telesales_mgmt, over `POST /telesales/cti/events`, signed as a phone
system signs them, with repeated (duplicate) and out-of-order events; then prints what
Odoo answered, by kind. It needs no database access and no Odoo installed (plain Python 3.11+).

Before: in Odoo, *Settings › Telesales › Phone system*: turn it on, set a secret (16+
characters); give the agents extensions (*Employees › the employee › Phone Extension*),
8001 to 8050 by default; numbers sent as 11 national digits are read with the company's
country (set it to China). Then:

    python bench/cti_simulator.py --url http://127.0.0.1:8069 --company 1 --secret '<secret>'
    # or TELESALES_CTI_URL / TELESALES_CTI_COMPANY / TELESALES_CTI_SECRET in the environment

Options: --db NAME (TELESALES_CTI_DB; the database, on a server with several) ·
--extensions 8001-8050 (ranges and commas: 8001-8010,8020) · --numbers FILE
(customers' numbers, one a line; `8001,13912345678` gives that number to extension 8001's
calls, a bare number to everyone's; without it every number is unknown to Odoo and the
calls land as "unknown number" calls for the leaders) · --date YYYY-MM-DD (default: the
last weekday before today; `today` for today) · --seed N (the same seed plays the same
day: run it twice and the second run is all "duplicate") · --calls N (default 80-140 per
agent) · --duplicates 0.05 (share of events sent twice) · --jitter 30 (seconds an event
may be late, hence out of order) · --stray 2 (calls from an extension nobody has: logged
as errors) · --batch 50 (events per request, at most 500) · --threads 2 · --speed 0 (as
fast as Odoo takes them; 60 = a minute of the day per second) · --json (the summary as
one JSON line).

It prints the events sent (repeats, out of order), the calls, the HTTP statuses, the
results by kind (created, updated, duplicate, ignored with their reasons), the time and
rate, `already known` (events an earlier run sent: answered "duplicate") and
`unexpected` answers (a repeat not answered "duplicate", an unknown extension's event not
"ignored", a known one "ignored", an HTTP error: 0 when Odoo keeps to the contract).
Exit status 1 when an answer was unexpected.
"""
import argparse
import http.client
import json
import os
import sys
import threading
import time
from collections import Counter
from datetime import datetime
from urllib.parse import urlsplit

import cti_day


def parse_extensions(text):
    """"8001-8003,8010" -> ["8001", "8002", "8003", "8010"]."""
    result = []
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        low, _dash, high = part.partition("-")
        if high:
            width = len(low)
            result.extend(str(n).zfill(width) for n in range(int(low), int(high) + 1))
        else:
            result.append(low)
    return result


def read_numbers(path, extensions):
    """A numbers file -> {extension: [numbers]} (bare numbers go to every extension)."""
    shared, own = [], {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            extension, comma, number = line.partition(",")
            if comma:
                own.setdefault(extension.strip(), []).append(number.strip())
            else:
                shared.append(line)
    return {extension: own.get(extension, []) + shared for extension in extensions}


def play(url, company_id, secret, events, batch_size=50, threads=2, speed=0.0, database=None):
    """Send `events` (in their delivery order) in batches from `threads` threads, each
    thread the events of its own agents (so one call's events stay in their delivery
    order), paced by `speed` (0: at once). Returns [(event, HTTP status, result or None)]
    and the batch times in ms."""
    parts = urlsplit(url)
    lanes = [[] for _n in range(threads)]
    for event in events:
        lanes[_lane(event["extension"], threads)].append(event)
    outcome, latencies = [], []
    lock = threading.Lock()
    first = min((datetime.fromisoformat(event["at"]) for event in events), default=None)
    started = time.monotonic()

    def send(lane):
        connection = (http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection)(
            parts.hostname, parts.port, timeout=120)
        path = (parts.path.rstrip("/") or "") + cti_day.PATH
        try:
            for batch in cti_day.batches(lane, batch_size):
                if speed:
                    due = (datetime.fromisoformat(batch[-1]["at"]) - first).total_seconds() / speed
                    time.sleep(max(0.0, started + due - time.monotonic()))
                try:
                    status, body, ms = cti_day.post_events(connection, company_id, secret, batch, path=path,
                                                           database=database)
                except OSError as error:
                    status, body, ms = 0, str(error), 0.0
                results = body.get("results") if status == 200 and isinstance(body, dict) else None
                with lock:
                    latencies.append(ms)
                    if results and len(results) == len(batch):
                        outcome.extend(zip(batch, [status] * len(batch), results))
                    else:
                        outcome.extend((event, status, {"error": body}) for event in batch)
        finally:
            connection.close()

    workers = [threading.Thread(target=send, args=(lane,)) for lane in lanes if lane]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return outcome, latencies


def summarise(outcome, latencies, seconds, extensions):
    """What Odoo answered: counts by HTTP status and by result (with reasons);
    `already_known`: first deliveries answered "duplicate" (sent by an earlier run);
    `unexpected`: answers against the contract (a repeat not answered "duplicate", an
    event of an unknown extension not "ignored", a known one "ignored", an HTTP error)."""
    known = set(extensions)
    seen, unexpected, already, samples = set(), 0, 0, []
    statuses, kinds = Counter(), Counter()
    for event, status, result in outcome:
        statuses[status] += 1
        key = (event["call_id"], event["event"])
        repeat = key in seen
        seen.add(key)
        kind = result.get("result", "error")
        kinds[kind + (f": {result['reason']}" if result.get("reason") else "")] += 1
        if event["extension"] not in known:
            wrong = kind != "ignored"
        elif repeat:
            wrong = kind != "duplicate"
        else:
            wrong = kind not in ("created", "updated", "duplicate")
            already += kind == "duplicate"
        if wrong or status != 200:
            unexpected += 1
            if len(samples) < 5:
                samples.append({"event": event, "status": status, "answer": result, "repeat": repeat})
    latencies = sorted(latencies)
    events = [event for event, _status, _result in outcome]
    return {
        "events": len(outcome), "calls": len({event["call_id"] for event in events}),
        "repeats": len(outcome) - len(seen), "out_of_order": cti_day.out_of_order(events),
        "seconds": round(seconds, 1), "events_per_s": round(len(outcome) / seconds, 1) if seconds else None,
        "p95_batch_ms": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 1)
        if latencies else None,
        "http": {str(status): count for status, count in sorted(statuses.items())},
        "results": dict(sorted(kinds.items())), "already_known": already, "unexpected": unexpected,
        "samples": samples,
    }


def _lane(extension, lanes):
    return sum(extension.encode()) % lanes


def _options(argv):
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=env("TELESALES_CTI_URL", "http://127.0.0.1:8069"))
    parser.add_argument("--company", type=int, default=env("TELESALES_CTI_COMPANY"))
    parser.add_argument("--secret", default=env("TELESALES_CTI_SECRET"))
    parser.add_argument("--db", default=env("TELESALES_CTI_DB"), help="Odoo database (X-Odoo-Database)")
    parser.add_argument("--extensions", default="8001-8050")
    parser.add_argument("--numbers", help="customers' numbers, one a line ([extension,]number)")
    parser.add_argument("--date", help="YYYY-MM-DD or today (default: the last weekday)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--calls", type=int, help="calls in all (default: 80-140 per agent)")
    parser.add_argument("--duplicates", type=float, default=0.05)
    parser.add_argument("--jitter", type=float, default=30.0)
    parser.add_argument("--stray", type=int, default=2)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--speed", type=float, default=0.0)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args(argv)
    if not (options.company and options.secret):
        parser.error("--company and --secret (or TELESALES_CTI_COMPANY and TELESALES_CTI_SECRET) are needed")
    return options


def _print(text):
    # the simulator's output (a command-line tool)
    print(text)  # pylint: disable=print-used


def main(argv=None):
    options = _options(argv)
    extensions = parse_extensions(options.extensions)
    if options.numbers:
        numbers = read_numbers(options.numbers, extensions)
    else:
        numbers = []  # every call to a number Odoo does not know
    today = datetime.now(cti_day.SHANGHAI).date()
    if options.date in (None, ""):
        day = cti_day.previous_weekday(today)
    elif options.date == "today":
        day = today
    else:
        day = datetime.strptime(options.date, "%Y-%m-%d").date()
    calls = cti_day.plan_day(extensions, numbers, day, seed=options.seed, calls=options.calls,
                             unknown_share=0.05 if numbers else 1.0, stray_calls=options.stray,
                             prefix=f"sim{options.seed}")
    events = cti_day.day_events(calls, seed=options.seed, jitter_s=options.jitter,
                                duplicate_share=options.duplicates)
    start = time.monotonic()
    outcome, latencies = play(options.url, options.company, options.secret, events,
                              batch_size=options.batch, threads=options.threads, speed=options.speed,
                              database=options.db)
    summary = {"date": day.isoformat(), "agents": len(extensions),
               **summarise(outcome, latencies, time.monotonic() - start, extensions)}
    if options.json:
        _print(json.dumps(summary, ensure_ascii=False))
    else:
        _print(f"{day}: {summary['calls']} calls of {len(extensions)} agents, {summary['events']} events "
               f"({summary['repeats']} repeats, {summary['out_of_order']} out of order) in "
               f"{summary['seconds']} s ({summary['events_per_s']} events/s, p95 {summary['p95_batch_ms']} ms "
               f"per batch of {options.batch})")
        _print("HTTP: " + ", ".join(f"{status}: {count}" for status, count in summary["http"].items()))
        for kind, count in summary["results"].items():
            _print(f"  {count:7d}  {kind}")
        _print(f"already known (sent before): {summary['already_known']}; unexpected answers: "
               f"{summary['unexpected']}")
        for sample in summary["samples"]:
            _print(f"  e.g. {json.dumps(sample, ensure_ascii=False)[:300]}")
    return 1 if summary["unexpected"] else 0


if __name__ == "__main__":
    sys.exit(main())
