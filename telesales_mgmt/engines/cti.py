"""Phone-system call events as plain Python: checking a webhook body and what a call's
events say about it. `telesales.call._cti_receive` matches and writes; the controller
checks the signature.

An event is {call_id, event, direction, extension, number, at, recording_url}; `at` is
parsed to a naive UTC datetime, as Odoo stores datetimes.
"""
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

EVENTS = ("ringing", "answered", "hangup", "recording")
DIRECTIONS = ("outbound", "inbound")
MAX_EVENTS = 500
MAX_BODY_BYTES = 1024 * 1024
# A signed request older or newer than this is a replay (or a clock gone wrong).
MAX_SKEW_SECONDS = 300
MAX_TEXT = {"call_id": 128, "extension": 32, "number": 64, "recording_url": 2048}


class EventError(ValueError):
    """A body the contract refuses; `field` names what is wrong (e.g. `[3].at`)."""

    def __init__(self, field, message):
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class Event:
    call_id: str
    event: str
    direction: str
    extension: str
    number: str
    at: datetime
    recording_url: str | None = None


def signature(secret, timestamp, body):
    """`sha256=<hex>` of HMAC-SHA256 over "<timestamp>." + the raw body."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def signature_ok(secret, timestamp, body, given, now):
    """The request is signed with `secret` and was signed within the window."""
    if not (secret and timestamp and given):
        return False
    try:
        skew = abs(now - int(timestamp))
    except ValueError:
        return False
    # compare_digest: the time taken must not tell how much of a forgery was right.
    return skew <= MAX_SKEW_SECONDS and hmac.compare_digest(
        signature(secret, timestamp, body).encode(), given.encode())


def parse_events(payload):
    """[Event] of a decoded JSON body (an object or a list of up to MAX_EVENTS)."""
    if isinstance(payload, dict):
        payload = [payload]
    if not isinstance(payload, list) or not payload:
        raise EventError("body", "a JSON object or a non-empty list of objects is expected")
    if len(payload) > MAX_EVENTS:
        raise EventError("body", f"at most {MAX_EVENTS} events per request, got {len(payload)}")
    return [parse_event(raw, f"[{index}]") for index, raw in enumerate(payload)]


def parse_event(raw, where="[0]"):
    if not isinstance(raw, dict):
        raise EventError(where, "an event is a JSON object")
    values = {name: _text(raw, name, where) for name in ("call_id", "extension", "number")}
    for name, allowed in (("event", EVENTS), ("direction", DIRECTIONS)):
        values[name] = raw.get(name)
        if values[name] not in allowed:
            raise EventError(f"{where}.{name}", f"one of {', '.join(allowed)} is expected")
    values["at"] = _instant(raw.get("at"), f"{where}.at")
    if values["event"] == "recording":
        url = _text(raw, "recording_url", where)
        if not url.startswith(("https://", "http://")):
            raise EventError(f"{where}.recording_url", "an http(s) URL is expected")
        values["recording_url"] = url
    return Event(**values)


def _text(raw, name, where):
    value = raw.get(name)
    if isinstance(value, int) and not isinstance(value, bool) and name != "recording_url":
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise EventError(f"{where}.{name}", "a non-empty string is expected")
    if len(value) > MAX_TEXT[name]:
        raise EventError(f"{where}.{name}", f"at most {MAX_TEXT[name]} characters")
    return value.strip()


def _instant(value, where):
    if not isinstance(value, str):
        raise EventError(where, "an ISO 8601 date and time with its offset is expected")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise EventError(where, "an ISO 8601 date and time with its offset is expected") from None
    if moment.tzinfo is None:
        raise EventError(where, "the time needs its UTC offset (e.g. +08:00)")
    return moment.astimezone(UTC).replace(tzinfo=None)


def call_figures(times):
    """What the events received so far say about a call. `times`: {event: naive UTC}.

    The call starts when it rang (or at its earliest event); it rang until answered and
    talked until hung up. Events in the wrong order count as zero, never negative."""
    start = times.get("ringing") or min(times.values())
    answered, hangup = times.get("answered"), times.get("hangup")
    ring_end = answered or hangup
    return {
        "start": start,
        "end": hangup or False,
        "ring_seconds": max(0, int((ring_end - times["ringing"]).total_seconds()))
        if ring_end and "ringing" in times else 0,
        "talk_seconds": max(0, int((hangup - answered).total_seconds())) if answered and hangup else 0,
        "answered": bool(answered),
    }
