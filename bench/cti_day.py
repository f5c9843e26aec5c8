"""A day of phone-system call events, as a phone system pushes them to
`POST /telesales/cti/events` (issue 14's contract), and a small client that signs and
posts them. Plain Python (no Odoo): the load bench (bench_cti.py), the simulator
(cti_simulator.py) and the system test (tests/test_cti_simulator.py) share it.

    calls = plan_day(extensions, numbers, date(2026, 3, 2), seed=1)   # what happened
    events = day_events(calls, seed=1, jitter_s=30, duplicate_share=0.05)  # as delivered
    status, body, ms = post_events(conn, company_id, secret, events[:100])

The day: every agent (extension) calls from 09:00 to 12:00 and from 13:30 to 18:00
Asia/Shanghai (+08:00, no daylight saving), one call after the other. Most calls are
outbound to the agent's own customers' numbers (some to numbers Odoo does not know, some
inbound); most are answered: ringing → answered → hangup → recording (the recording is
ready a few seconds after the hang-up); the others ring out: ringing → hangup. Times are
whole seconds, so ring and talk seconds are exact. Seeded: the same arguments give the
same day, to the event.

Delivery (`day_events`): each event leaves the phone system up to `jitter_s` seconds
after it happened (so events within that window arrive out of order, a recording may
come before its hang-up), and a `duplicate_share` of them is sent again up to
`retry_s` seconds later (a provider retrying); `pad_to` repeats a call's own events so
that every call has exactly that many (the bench's exact totals).
"""
import hashlib
import hmac
import http.client
import json
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

PATH = "/telesales/cti/events"
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
# The working day's calling sessions (local time): the department's windows.
SESSIONS = (((9, 0), (12, 0)), ((13, 30), (18, 0)))
EVENT_ORDER = ("ringing", "answered", "hangup", "recording")


@dataclass(frozen=True)
class Call:
    """One call as it happened; the events and the figures follow from it."""

    call_id: str
    extension: str
    number: str  # as the phone system sends it
    direction: str
    ringing: datetime  # aware, +08:00
    answered: datetime | None
    hangup: datetime
    recording: datetime | None  # when the recording is ready (answered calls)

    @property
    def ring_seconds(self):
        """Answered − ringing; a call never answered rang until the hang-up."""
        return int(((self.answered or self.hangup) - self.ringing).total_seconds())

    @property
    def talk_seconds(self):
        return int((self.hangup - self.answered).total_seconds()) if self.answered else 0

    @property
    def recording_url(self):
        return f"https://recordings.example.com/{self.call_id}.mp3" if self.recording else None

    def events(self):
        """The call's events in the order they happened, as JSON-ready dicts."""
        times = {"ringing": self.ringing, "answered": self.answered, "hangup": self.hangup,
                 "recording": self.recording}
        result = []
        for name in EVENT_ORDER:
            if times[name] is None:
                continue
            event = {"call_id": self.call_id, "event": name, "direction": self.direction,
                     "extension": self.extension, "number": self.number,
                     "at": times[name].isoformat()}
            if name == "recording":
                event["recording_url"] = self.recording_url
            result.append(event)
        return result


def plan_day(extensions, numbers, day, seed=0, calls=None, per_agent=(80, 140), answer_rate=0.65,
             inbound_share=0.1, unknown_share=0.05, national_share=0.5, stray_calls=0, prefix="sim"):
    """The calls of one working day `day` (a date), in order of their ringing.

    extensions: the agents' extensions. numbers: the customers' numbers, either a list
    (any agent calls any of them) or {extension: [numbers]} (each agent calls their own;
    an agent without any calls the whole list). calls: how many calls in all, spread evenly
    over the agents (else `per_agent` (low, high) each). unknown_share: calls to numbers
    that are nobody's (generated, never in `numbers`). national_share: calls whose number
    is sent as the 11 national digits (13912345678) instead of E.164 (+8613912345678), as
    Chinese cloud call centres often do. stray_calls: calls from an extension no agent has
    (the webhook logs them as errors). Call ids are `<prefix>-<yyyymmdd>-<n>`.
    """
    rng = random.Random(seed)
    extensions = list(extensions)
    if isinstance(numbers, dict):
        everyone = sorted({number for own in numbers.values() for number in own})
        own_numbers = {ext: list(numbers.get(ext) or everyone) for ext in extensions}
    else:
        everyone = list(numbers)
        own_numbers = {ext: everyone for ext in extensions}
    known_digits = {_digits(number) for number in everyone}
    if calls is None:
        counts = [rng.randint(*per_agent) for _ext in extensions]
    else:
        counts = [calls // len(extensions) + (index < calls % len(extensions))
                  for index in range(len(extensions))]
    planned = []
    for extension, count in zip(extensions, counts):
        for ringing, slot in _slots(rng, day, count):
            number = (_unknown_number(rng, known_digits) if rng.random() < unknown_share or not own_numbers[extension]
                      else rng.choice(own_numbers[extension]))
            planned.append((ringing, extension, slot, number))
    strays = [ext for ext in (f"9{n:03d}" for n in range(1000)) if ext not in extensions][:stray_calls]
    planned.extend((ringing, extension, slot, _unknown_number(rng, known_digits))
                   for extension in strays for ringing, slot in _slots(rng, day, 1))
    planned.sort(key=lambda item: (item[0], item[1]))
    result = []
    for index, (ringing, extension, slot, number) in enumerate(planned):
        answered = rng.random() < answer_rate
        ring = rng.randint(3, min(25, max(3, slot // 4))) if answered else rng.randint(15, min(45, max(15, slot // 2)))
        talk = _talk_seconds(rng, max(1, slot - ring - 2)) if answered else 0
        answered_at = ringing + timedelta(seconds=ring) if answered else None
        hangup = ringing + timedelta(seconds=ring + talk)
        shown = national(number) if rng.random() < national_share else _e164(number)
        result.append(Call(
            call_id=f"{prefix}-{day:%Y%m%d}-{index:06d}", extension=extension, number=shown,
            direction="inbound" if rng.random() < inbound_share else "outbound",
            ringing=ringing, answered=answered_at, hangup=hangup,
            recording=hangup + timedelta(seconds=rng.randint(2, 20)) if answered else None))
    return result


def day_events(calls, seed=0, jitter_s=0, duplicate_share=0.0, retry_s=60, pad_to=None):
    """The events of `calls` in the order the phone system delivers them (see the module's
    docstring). Returns a list of event dicts; a repeated event is an equal dict. With `pad_to`, the
    repeats are the call's own events up to that many (duplicate_share is not used)."""
    rng = random.Random(seed)
    outgoing = []  # (sent at, tie-breaker, event)
    for call in calls:
        events = call.events()
        sent = [_parse(event["at"]) + timedelta(seconds=rng.uniform(0, jitter_s)) for event in events]
        if pad_to:  # the call's first events again, up to pad_to in all
            again = [index % len(events) for index in range(max(0, pad_to - len(events)))]
        else:
            again = [index for index in range(len(events)) if rng.random() < duplicate_share]
        repeats = [(sent[index] + timedelta(seconds=rng.uniform(1, retry_s)), events[index]) for index in again]
        outgoing.extend((moment, rng.random(), event) for moment, event in [*zip(sent, events), *repeats])
    outgoing.sort(key=lambda item: (item[0], item[1]))
    return [dict(event) for _moment, _tie, event in outgoing]


def expected_figures(calls):
    """{call_id: (ring_seconds, talk_seconds, answered)} that the events imply."""
    return {call.call_id: (call.ring_seconds, call.talk_seconds, call.answered is not None) for call in calls}


def out_of_order(events):
    """How many events arrive after a later event of the same call (ordered by `at`)."""
    latest, late = {}, 0
    for event in events:
        moment = _parse(event["at"])
        if moment < latest.get(event["call_id"], moment):
            late += 1
        latest[event["call_id"]] = max(moment, latest.get(event["call_id"], moment))
    return late


def batches(events, size):
    return [events[start:start + size] for start in range(0, len(events), size)]


# ---------------------------------------------------------------------------------------
# The signing client
# ---------------------------------------------------------------------------------------
def signature(secret, timestamp, body):
    """`sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>." + raw body)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def post_events(conn, company_id, secret, events, path=PATH, database=None):
    """POST `events` (a list of dicts, or one dict) signed for `company_id` on `conn` (an
    http.client.HTTPConnection, kept alive and reopened when the server closed it);
    `database` names Odoo's database on a server with several (X-Odoo-Database).
    Returns (HTTP status, body: the decoded JSON answer or the text, milliseconds)."""
    body = json.dumps(events, separators=(",", ":"), ensure_ascii=False).encode()
    start = time.perf_counter()
    for attempt in (1, 2):
        timestamp = str(int(time.time()))
        headers = {"Content-Type": "application/json", "X-Telesales-Company": str(company_id),
                   "X-Telesales-Timestamp": timestamp, "X-Telesales-Signature": signature(secret, timestamp, body)}
        if database:
            headers["X-Odoo-Database"] = database
        try:
            conn.request("POST", path, body, headers)
            response = conn.getresponse()
            data = response.read()
            break
        except (ConnectionError, http.client.RemoteDisconnected, http.client.CannotSendRequest,
                http.client.BadStatusLine):
            # A keep-alive connection the server closed meanwhile: once more on a new one.
            conn.close()
            if attempt == 2:
                raise
    ms = (time.perf_counter() - start) * 1000
    try:
        answer = json.loads(data)
    except ValueError:
        answer = data.decode(errors="replace")
    return response.status, answer, ms


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------
def _slots(rng, day, count):
    """(ringing time, slot seconds) of `count` calls spread over the day's sessions: the
    sessions are cut in equal slots, each call rings early in its own slot."""
    if not count:
        return []
    lengths = [(_at(day, *end) - _at(day, *start)).total_seconds() for start, end in SESSIONS]
    shares = [round(count * length / sum(lengths)) for length in lengths[:-1]]
    shares.append(count - sum(shares))
    result = []
    for ((start, _end), length, share) in zip(SESSIONS, lengths, shares):
        if not share:
            continue
        slot = int(length // share)
        for n in range(share):
            offset = n * slot + rng.randint(0, max(0, slot // 4))
            result.append((_at(day, *start) + timedelta(seconds=offset), slot - (offset - n * slot)))
    return result


def _talk_seconds(rng, limit):
    """Most conversations are short, some long; never past the call's slot."""
    roll = rng.random()
    talk = (rng.randint(5, 90) if roll < 0.55 else rng.randint(90, 600) if roll < 0.9
            else rng.randint(600, 1800))
    return max(1, min(talk, limit))


def _at(day, hour, minute):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def _parse(text):
    return datetime.fromisoformat(text)


def _digits(number):
    return "".join(char for char in number if char.isdigit())


def national(number):
    """The 11 national digits of a Chinese mobile number in any format."""
    return _digits(number)[-11:]


def _e164(number):
    digits = _digits(number)
    return "+" + digits if len(digits) > 11 else "+86" + digits


def _unknown_number(rng, known_digits):
    while True:
        number = f"+86 166{rng.randrange(10**8):08d}"
        if _digits(number) not in known_digits:
            return number


def previous_weekday(today):
    """The last Monday-Friday before `today` (a date): a past working day to replay."""
    day = today - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day

