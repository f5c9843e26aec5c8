import json
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..engines import cti
from .common import TelesalesCase

SECRET = "s3cret-for-the-phone-system"
# Monday 2026-11-23 in Asia/Shanghai (UTC+8): 10:00 local is 02:00 UTC.
NOW = "2026-11-23 02:05:00"


def event(call_id, name, at, extension="801", number="13512345678", direction="outbound", **extra):
    return cti.parse_event({"call_id": call_id, "event": name, "direction": direction,
                            "extension": extension, "number": number, "at": at, **extra})


def day_of(call_id, extension="801", number="13512345678", answered=True):
    """A call rang at 10:00:00, answered after 12 s, talked 3 minutes (local time)."""
    events = [event(call_id, "ringing", "2026-11-23T10:00:00+08:00", extension, number)]
    if answered:
        events.append(event(call_id, "answered", "2026-11-23T10:00:12+08:00", extension, number))
        events.append(event(call_id, "hangup", "2026-11-23T10:03:12+08:00", extension, number))
        events.append(event(call_id, "recording", "2026-11-23T10:03:20+08:00", extension, number,
                            recording_url="https://pbx.example.com/rec/1.mp3"))
    else:
        events.append(event(call_id, "hangup", "2026-11-23T10:00:40+08:00", extension, number))
    return events


@tagged("post_install", "-at_install")
class TestCtiEngine(TelesalesCase):
    """The contract's checks as plain Python."""

    def test_signature_window_and_tampering(self):
        body = b'{"call_id": "c1"}'
        signed = cti.signature(SECRET, "1000", body)
        self.assertTrue(cti.signature_ok(SECRET, "1000", body, signed, 1000))
        self.assertTrue(cti.signature_ok(SECRET, "1000", body, signed, 1300))    # 300 s: inside
        self.assertFalse(cti.signature_ok(SECRET, "1000", body, signed, 1301))   # 301 s: a replay
        self.assertFalse(cti.signature_ok(SECRET, "1000", body, signed, 699))    # from the future
        self.assertFalse(cti.signature_ok(SECRET, "1000", body + b" ", signed, 1000))
        self.assertFalse(cti.signature_ok("another-secret-value", "1000", body, signed, 1000))
        self.assertFalse(cti.signature_ok(SECRET, "1000", body, None, 1000))
        self.assertFalse(cti.signature_ok(SECRET, "soon", body, signed, 1000))
        self.assertFalse(cti.signature_ok("", "1000", body, cti.signature("", "1000", body), 1000))

    def test_parse_names_the_field(self):
        good = {"call_id": "c1", "event": "ringing", "direction": "outbound", "extension": 801,
                "number": "138", "at": "2026-11-23T10:00:00+08:00"}
        [parsed] = cti.parse_events(good)
        self.assertEqual((parsed.extension, parsed.at), ("801", datetime(2026, 11, 23, 2, 0)))
        for broken, field in [({**good, "event": "ring"}, "[1].event"),
                              ({**good, "direction": None}, "[1].direction"),
                              ({**good, "at": "2026-11-23T10:00:00"}, "[1].at"),
                              ({**good, "at": "yesterday"}, "[1].at"),
                              ({**good, "call_id": ""}, "[1].call_id"),
                              ({**good, "event": "recording"}, "[1].recording_url"),
                              ({**good, "event": "recording", "recording_url": "ftp://x"}, "[1].recording_url"),
                              ("text", "[1]")]:
            with self.subTest(field=field), self.assertRaises(cti.EventError) as caught:
                cti.parse_events([good, broken])
            self.assertEqual(caught.exception.field, field)
        with self.assertRaises(cti.EventError):
            cti.parse_events([good] * (cti.MAX_EVENTS + 1))
        self.assertEqual(len(cti.parse_events([good] * cti.MAX_EVENTS)), cti.MAX_EVENTS)
        for empty in ([], 3, None):
            with self.assertRaises(cti.EventError):
                cti.parse_events(empty)

    def test_figures_in_and_out_of_order(self):
        at = datetime(2026, 11, 23, 2, 0)
        times = {"ringing": at, "answered": at + timedelta(seconds=12), "hangup": at + timedelta(seconds=192)}
        self.assertEqual(cti.call_figures(times), {
            "start": at, "end": at + timedelta(seconds=192), "ring_seconds": 12, "talk_seconds": 180,
            "answered": True})
        # Never answered: it rang until the hang-up.
        self.assertEqual(cti.call_figures({"ringing": at, "hangup": at + timedelta(seconds=40)})["ring_seconds"], 40)
        # Only the hang-up so far: the call starts there.
        self.assertEqual(cti.call_figures({"hangup": at})["start"], at)
        # Clocks that disagree never give negative times.
        skewed = cti.call_figures({"ringing": at, "answered": at - timedelta(seconds=5),
                                   "hangup": at + timedelta(seconds=30)})
        self.assertEqual((skewed["ring_seconds"], skewed["talk_seconds"]), (0, 35))


@tagged("post_install", "-at_install")
class TestCtiEvents(TelesalesCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({
            "country_id": cls.env.ref("base.cn").id, "telesales_tz": "Asia/Shanghai",
            "telesales_window_mode": "block", "telesales_no_progress_limit": 0,
            "telesales_cti_enabled": True, "telesales_cti_secret": SECRET,
        })
        cls.emp_agent.telesales_extension = "801"
        cls.emp_agent_2.telesales_extension = "802"
        cls.customer = cls.env["res.partner"].create({"name": "王先生", "phone": "+86 135 1234 5678"})
        cls.lead = cls.env["crm.lead"].create({
            "name": "Wang lead", "partner_id": cls.customer.id, "user_id": cls.user_agent.id,
            "team_id": cls.team.id})
        cls.Call = cls.env["telesales.call"]

    def receive(self, events):
        with freeze_time(NOW):
            return self.Call._cti_receive(self.company, events)

    def call(self, call_id):
        return self.Call.search([("cti_call_id", "=", call_id), ("company_id", "=", self.company.id)])

    def test_events_make_one_measured_call(self):
        results = self.receive(day_of("c1"))
        self.assertEqual([r["result"] for r in results], ["created", "updated", "updated", "updated"])
        call = self.call("c1")
        self.assertEqual(len(call), 1)
        self.assertRecordValues(call, [{
            "source": "phone_system", "user_id": self.user_agent.id, "lead_id": self.lead.id,
            "partner_id": self.customer.id, "phone": "+8613512345678",
            "start": datetime(2026, 11, 23, 2, 0), "end": datetime(2026, 11, 23, 2, 3, 12),
            "ring_seconds": 12, "talk_seconds": 180, "outcome": "answered", "is_connected": True,
            "cti_status": "ended", "to_log": True, "recording_url": "https://pbx.example.com/rec/1.mp3",
            "call_date": fields.Date.to_date("2026-11-23"), "is_unknown_number": False}])
        # Everything again: nothing changes, every event is a duplicate.
        again = self.receive(day_of("c1"))
        self.assertEqual({r["result"] for r in again}, {"duplicate"})
        self.assertEqual(len(self.call("c1")), 1)

    def test_out_of_order_and_split_batches_give_the_same_call(self):
        ringing, answered, hangup, recording = day_of("c2")
        self.assertEqual([r["result"] for r in self.receive([hangup, answered])], ["created", "updated"])
        self.assertEqual(self.call("c2").talk_seconds, 180)
        self.assertEqual([r["result"] for r in self.receive([recording, ringing, hangup])],
                         ["updated", "updated", "duplicate"])
        self.assertRecordValues(self.call("c2"), [{
            "start": datetime(2026, 11, 23, 2, 0), "ring_seconds": 12, "talk_seconds": 180,
            "cti_status": "ended"}])
        # A repeat within one batch is a duplicate too.
        results = self.receive([event("c3", "ringing", "2026-11-23T10:01:00+08:00")] * 2)
        self.assertEqual([r["result"] for r in results], ["created", "duplicate"])

    def test_never_answered(self):
        self.receive(day_of("c4", answered=False))
        self.assertRecordValues(self.call("c4"), [{
            "outcome": "no_answer", "ring_seconds": 40, "talk_seconds": 0, "is_connected": False}])

    def test_matching_by_number(self):
        other = self.env["res.partner"].create({"name": "赵女士", "phone": "13911112222"})
        self.receive(day_of("m1", extension="802"))            # not agent 2's lead: the customer
        self.receive(day_of("m2", extension="802", number="13911112222"))
        self.receive(day_of("m3", number="+86 137 0000 0000"))  # nobody's number
        self.assertRecordValues(self.call("m1") | self.call("m2") | self.call("m3"), [
            {"lead_id": False, "partner_id": self.customer.id, "is_unknown_number": False},
            {"lead_id": False, "partner_id": other.id, "is_unknown_number": False},
            {"lead_id": False, "partner_id": False, "is_unknown_number": True},
        ])
        # The unknown number's call is the agent's, and their leader sees it.
        unknown = self.call("m3")
        self.assertEqual(self.Call.with_user(self.user_leader).search([("id", "=", unknown.id)]), unknown)
        self.assertFalse(self.Call.with_user(self.user_leader_2).search([("id", "=", unknown.id)]))

    def test_unknown_extension_is_logged_not_dropped(self):
        results = self.receive(day_of("u1", extension="999"))
        self.assertEqual({r["result"] for r in results}, {"ignored"})
        self.assertEqual(results[0]["reason"], "unknown extension")
        self.assertFalse(self.call("u1"))
        self.receive(day_of("u1", extension="999")[:1])
        logs = self.env["telesales.cti.log"].search([("call_ref", "=", "u1")])
        self.assertEqual(len(logs), 4)
        self.assertEqual(logs.filtered(lambda log: log.event == "ringing").count, 2)
        self.assertIn("999", logs[0].reason)
        # Only the telesales administrator reads the log.
        self.assertTrue(self.env["telesales.cti.log"].with_user(self.user_admin).search_count([]))
        for user in (self.user_manager, self.user_leader, self.user_agent):
            with self.assertRaises(AccessError):
                self.env["telesales.cti.log"].with_user(user).search([])

    def test_do_not_call_number_on_an_outbound_event(self):
        self.customer.telesales_do_not_call = True
        self.receive(day_of("d1"))
        self.receive([event("d2", "ringing", "2026-11-23T10:00:00+08:00", direction="inbound")])
        self.assertTrue(self.call("d1").dnc_breach)
        self.assertFalse(self.call("d2").dnc_breach)  # the customer called us

    def test_times_of_measured_calls_are_read_only(self):
        self.receive(day_of("r1"))
        call = self.call("r1")
        for user in (self.user_agent, self.user_leader, self.user_manager):
            with self.subTest(user=user.login), self.assertRaisesText(AccessError, "measured"):
                call.with_user(user).write({"talk_seconds": 3000})
        with self.assertRaisesText(AccessError, "measured"):
            call.with_user(self.user_agent).write({"recording_url": "https://elsewhere.example.com/x.mp3"})
        with self.assertRaises(AccessError):
            call.with_user(self.user_agent).write({"source": "typed"})
        with self.assertRaises(AccessError):
            call.with_user(self.user_agent).write({"to_log": False})
        call.with_user(self.user_admin).write({"talk_seconds": 170, "correction_reason": "PBX clock"})
        self.assertEqual(call.talk_seconds, 170)
        self.assertTrue(call.corrected)

    def test_agent_logs_the_measured_call(self):
        self.receive(day_of("l1"))
        call = self.call("l1").with_user(self.user_agent)
        # Someone answered: the agent cannot log it as unanswered.
        with self.assertRaisesText(ValidationError, "answered"):
            call.write({"outcome": "no_answer"})
        with self.assertRaisesText(ValidationError, "Outcome"):
            call.action_telesales_logged()  # still "Answered, Not Logged Yet"
        self.assertTrue(call.to_log)
        # Nor without the follow-up plan.
        call.write({"outcome": "effective", "stage": "needs", "intent_level": "medium", "notes": "想了解价格"})
        with self.assertRaisesText(ValidationError, "follow-up plan"):
            call.action_telesales_logged()
        call.write({"plan_date": "2026-11-25 02:00:00", "plan_goal": "send the quote"})
        self.assertFalse(call.corrected)  # logging is not a correction
        with self.assertRaises(AccessError):
            call.with_user(self.user_agent_2).action_telesales_logged()
        call.action_telesales_logged()
        self.assertFalse(call.to_log)
        self.assertTrue(call.is_effective)
        self.assertTrue(call.plan_activity_id)
        # A typed call never claims to be "answered, not logged".
        with self.assertRaisesText(ValidationError, "Outcome"):
            self.Call.with_user(self.user_agent).create({
                "lead_id": self.lead.id, "outcome": "answered", "start": "2026-11-23 02:00:00"})

    def test_screen_pop_and_log_on_hangup(self):
        bus = self.env["bus.bus"].sudo()
        before = bus.search([], order="id desc", limit=1).id or 0
        now_ringing = event("p1", "ringing", "2026-11-23T10:04:30+08:00")  # 30 s before NOW
        self.receive([now_ringing])
        self.receive([event("p1", "hangup", "2026-11-23T10:05:00+08:00")])
        self.receive([event("p2", "ringing", "2026-11-23T09:30:00+08:00")])  # history: no pop
        self.env.cr.precommit.run()  # the bus writes its notifications before the commit
        sent = bus.search([("id", ">", before)]).mapped("message")
        # My Day's progress refreshes travel on the same bus (telesales_progress).
        messages = [message for message in sent if "telesales_cti_" in message]
        self.assertTrue([message for message in sent if "telesales_progress" in message])
        self.assertEqual(len(messages), 2)
        self.assertIn("telesales_cti_ringing", messages[0])
        self.assertIn("Wang lead", messages[0])
        self.assertIn("telesales_cti_hangup", messages[1])
        action = self.call("p1").with_user(self.user_agent).action_telesales_log()
        self.assertEqual((action["res_id"], action["target"]), (self.call("p1").id, "new"))
        self.assertFalse(self.call("p1").with_user(self.user_agent_2).action_telesales_log())

    def test_click_to_dial(self):
        lead = self.lead.with_user(self.user_agent)
        with freeze_time(NOW):
            action = lead.action_telesales_dial()
        self.assertEqual(action["url"], "tel:+8613512345678")
        dialling = self.Call.search([("lead_id", "=", self.lead.id), ("cti_status", "=", "dialling")])
        self.assertEqual(len(dialling), 1)
        # The phone system's events under its own call id complete the dialled call.
        with freeze_time(NOW):
            self.Call._cti_receive(self.company, [
                event("pbx-9", "ringing", "2026-11-23T10:05:01+08:00"),
                event("pbx-9", "answered", "2026-11-23T10:05:10+08:00"),
                event("pbx-9", "hangup", "2026-11-23T10:06:10+08:00")])
        self.assertEqual(self.call("pbx-9"), dialling)
        self.assertRecordValues(dialling, [{"talk_seconds": 60, "ring_seconds": 9, "cti_status": "ended"}])
        # Someone else's lead, a do-not-call customer, outside the hours: refused.
        with self.assertRaises(UserError):
            self.lead.with_user(self.user_agent_2).action_telesales_dial()
        with freeze_time("2026-11-23 12:00:00"), self.assertRaisesText(UserError, "calling hours"):
            lead.action_telesales_dial()  # 20:00 local
        self.customer.telesales_do_not_call = True
        with freeze_time(NOW), self.assertRaisesText(UserError, "do-not-call"):
            lead.action_telesales_dial()
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_outsider).action_telesales_dial()

    def test_dial_needs_the_manager_after_contacts_without_progress(self):
        self.company.telesales_no_progress_limit = 2
        for at in ("2026-11-20 02:00:00", "2026-11-20 03:00:00"):
            with freeze_time(at):
                self.Call.with_user(self.user_agent).create({
                    "lead_id": self.lead.id, "outcome": "no_answer", "start": at,
                    "plan_date": "2026-11-30 02:00:00", "plan_goal": "reach the customer"})
        with freeze_time(NOW), self.assertRaisesText(UserError, "R-LEAD-5"):
            self.lead.with_user(self.user_agent).action_telesales_dial()

    def test_without_phone_system_the_button_only_opens_tel(self):
        self.company.telesales_cti_enabled = False
        with freeze_time(NOW):
            action = self.lead.with_user(self.user_agent).action_telesales_dial()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertFalse(self.Call.search([("lead_id", "=", self.lead.id)]))

    def test_secret_is_the_administrators(self):
        with self.assertRaises(ValidationError):
            self.company.telesales_cti_secret = "short"
        for user in (self.user_agent, self.user_manager, self.user_hr):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.company.with_user(user).read(["telesales_cti_secret"])
        self.assertEqual(self.company.with_user(self.user_admin).read(["telesales_cti_secret"])[0]
                         ["telesales_cti_secret"], SECRET)

    def test_old_recordings_are_removed_and_calls_kept(self):
        self.company.telesales_recording_retention_days = 30
        self.receive(day_of("o1"))
        self.receive(day_of("o2"))
        with freeze_time("2026-12-22 02:00:00"):  # 29 days later: kept
            self.Call._cron_remove_old_recordings()
        self.assertTrue(self.call("o1").recording_url)
        with freeze_time("2026-12-24 02:00:00"):  # 31 days later: removed, a batch at a time
            self.Call._cron_remove_old_recordings(limit=0)  # a run cut short before its first batch
            self.assertTrue(self.call("o1").recording_url)
            self.Call._cron_remove_old_recordings()
            self.Call._cron_remove_old_recordings()  # twice: the same
        self.assertRecordValues(self.call("o1") | self.call("o2"), [
            {"recording_url": False, "talk_seconds": 180}, {"recording_url": False, "talk_seconds": 180}])

    def test_typed_calls_count_toward_the_minimum_only_if_settings_say_so(self):
        self.emp_agent.write({"resource_calendar_id": self.company.resource_calendar_id.id, "tz": "Asia/Shanghai"})
        self.Call.with_context(telesales_seed=True).create([{
            "user_id": self.user_agent.id, "outcome": "effective", "talk_seconds": 300,
            "start": datetime(2026, 11, 23, 1, 10 + n)} for n in range(2)])  # 09:10 local, typed
        self.receive(day_of("t1"))  # 10:00 local, 180 s, measured
        Minimum = self.env["telesales.daily.minimum"]
        monday = fields.Date.to_date("2026-11-23")
        for typed_counts, connected, talk in ((False, 1, 180), (True, 3, 780)):
            with self.subTest(typed_counts=typed_counts):
                self.company.telesales_cti_typed_counts = typed_counts
                Minimum.search([("user_id", "=", self.user_agent.id), ("date", "=", monday)]).unlink()
                result = Minimum._judge_agents(self.company, monday, self.emp_agent, notify=False)
                self.assertEqual(result.connected, connected)
                self.assertAlmostEqual(result.talk_hours, talk / 3600, places=2)
                # The first call of the morning: the typed one at 09:10 only when typed calls count.
                self.assertEqual(round(result.first_call_morning, 2), 9.17 if typed_counts else 10.0)

    def test_dial_request_to_the_phone_system_is_signed(self):
        """With a dial URL, Odoo POSTs the agent's extension and the number, signed like the
        events, and the provider's events under that call id complete the dialled call."""
        received = []

        class Provider(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((dict(self.headers), body))
                self.send_response(200 if len(received) == 1 else 503)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = HTTPServer(("127.0.0.1", 0), Provider)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        self.company.telesales_cti_dial_url = f"http://127.0.0.1:{server.server_port}/dial"
        lead = self.lead.with_user(self.user_agent)
        with freeze_time(NOW):
            action = lead.action_telesales_dial()
        self.assertEqual(action["tag"], "display_notification")
        headers, body = received[0]
        request = json.loads(body)
        self.assertEqual((request["extension"], request["number"]), ("801", "+8613512345678"))
        self.assertTrue(cti.signature_ok(SECRET, headers["X-Telesales-Timestamp"], body,
                                         headers["X-Telesales-Signature"], int(headers["X-Telesales-Timestamp"])))
        dialling = self.call(request["call_id"])
        self.assertEqual(dialling.cti_status, "dialling")
        self.receive([event(request["call_id"], "ringing", "2026-11-23T10:05:01+08:00")])
        self.assertEqual(self.call(request["call_id"]).cti_status, "ringing")
        # The phone system refuses: the agent is told, and no dialling call is left behind.
        with freeze_time(NOW), self.assertRaisesText(UserError, "did not take the dial request"):
            lead.action_telesales_dial()
        self.assertEqual(self.Call.search_count([("lead_id", "=", self.lead.id)]), 1)
        # Without an extension the phone system cannot dial for the agent.
        self.emp_agent.telesales_extension = False
        with freeze_time(NOW), self.assertRaisesText(UserError, "no phone extension"):
            lead.action_telesales_dial()
