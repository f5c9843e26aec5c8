import json
from datetime import date, datetime, time, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from ..engines import workbench as engine
from .common import TelesalesCase
from .cron_common import CronBatchesMixin

MONDAY = date(2026, 11, 23)


def utc(local_hour, day=MONDAY):
    """Naive UTC of a local (Asia/Shanghai, UTC+8) hour of `day`."""
    return datetime.combine(day, time.min) + timedelta(hours=local_hour - 8)


def at(local_hour, day=MONDAY):
    return freeze_time(utc(local_hour, day))


class WorkbenchCase(TelesalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({
            "telesales_tz": "Asia/Shanghai", "telesales_min_connected": 40, "telesales_min_talk_hours": 3.5,
            "telesales_cutoff_hour": 18.0, "telesales_first_call_morning": 9.5,
            "telesales_first_call_afternoon": 14.0, "telesales_connected_min_seconds": 1,
            "telesales_effective_min_seconds": 60, "telesales_behind_check_hour": 16.0,
            "telesales_no_progress_limit": 3, "telesales_cti_enabled": False, "telesales_window_mode": "block",
        })
        calendar = cls.company.resource_calendar_id
        cls.agents = cls.emp_agent | cls.emp_agent_2 | cls.emp_agent_other
        cls.agents.write({"resource_calendar_id": calendar.id, "tz": "Asia/Shanghai", "telesales_status": "live",
                           "telesales_hire_date": date(2026, 1, 5), "telesales_live_date": date(2026, 2, 2)})
        (cls.user_agent | cls.user_agent_2 | cls.user_agent_other | cls.user_leader).write({"tz": "Asia/Shanghai"})
        cls.Call = cls.env["telesales.call"].with_context(telesales_seed=True)
        cls.Lead = cls.env["crm.lead"]
        cls.Workbench = cls.env["telesales.workbench"]
        cls.source = cls.env["utm.source"].create({"name": "Workbench test source"})

    def setUp(self):
        super().setUp()
        # The segments' answer rates are cached per company and day: not across tests.
        self.env.registry.clear_cache()

    def _lead(self, name, user=None, team=None, **vals):
        user = self.user_agent if user is None else user
        return self.Lead.create({
            "name": name, "type": "opportunity", "user_id": user.id if user else False,
            "team_id": (team or self.team).id, "city": "Testville", "source_id": self.source.id,
            "telesales_grade": "b", **vals})

    def _call(self, lead, local_hour, outcome="effective", talk=120, user=None, day=MONDAY, **vals):
        start = utc(local_hour, day)
        values = {"user_id": (user or self.user_agent).id, "lead_id": lead.id if lead else False,
                  "outcome": outcome, "talk_seconds": talk, "start": start, **vals}
        if values.get("source") == "phone_system" and outcome not in ("no_answer", "busy", "invalid"):
            values["answered_at"] = start + timedelta(seconds=5)
        return self.Call.create(values)


@tagged("post_install", "-at_install")
class TestMyDayProgress(WorkbenchCase):
    """My Day's progress: the figures of the daily figures report, the minimum's own count
    for met and the first-call states (R-CALL-3, R-CALL-5)."""

    def test_figures_equal_the_daily_report(self):
        """A typed call while the phone system measures calls and a call after the
        cut-off: the figures still equal the report's; the minimum counts neither."""
        self.company.write({"telesales_cti_enabled": True, "telesales_cti_secret": "s" * 20,
                            "telesales_cti_typed_counts": False})
        lead = self._lead("Figures")
        measured = {"source": "phone_system"}
        self._call(lead, 9.2, "effective", 400, **measured)
        self._call(lead, 9.3, "no_answer", 0, **measured)
        self._call(lead, 10.0, "deal", 600, **measured)
        self._call(lead, 11.0, "not_interested", 30, **measured)
        self._call(lead, 13.85, "intent", 200, **measured)
        self._call(lead, 15.0, "effective", 100, direction="inbound", **measured)
        self._call(lead, 14.5, "effective", 300)  # typed by hand
        self._call(lead, 18.5, "effective", 500, **measured)  # after the cut-off
        won = self._lead("Won", stage_id=self.env["crm.stage"].search([("is_won", "=", True)], limit=1).id,
                         probability=100, expected_revenue=1000)
        won.write({"telesales_won_user_id": self.user_agent.id, "telesales_won_date": MONDAY})
        with at(19.0):
            progress = self.Workbench.with_user(self.user_agent).get_my_day()["progress"]
            report = self.env["telesales.call.daily"].search([("user_id", "=", self.user_agent.id),
                                                             ("date", "=", MONDAY)])
            self.env["telesales.daily.minimum"]._cron_check_daily_minimum()
        self.assertEqual(len(report), 1)
        self.assertEqual(
            (progress["dialled"], progress["connected"], progress["effective"], progress["deals"],
             progress["talk_hours"], progress["morning"]["first"], progress["afternoon"]["first"]),
            (report.dialled, report.connected, report.effective, report.deals, round(report.talk_hours, 2),
             engine.hhmm(report.first_call_morning), engine.hhmm(report.first_call_afternoon)))
        self.assertEqual((progress["dialled"], progress["connected"], progress["deals"]), (7, 7, 1))
        # The minimum's count: neither the typed call nor the one after 18:00.
        judged = self.env["telesales.daily.minimum"].search(
            [("employee_id", "=", self.emp_agent.id), ("date", "=", MONDAY)])
        self.assertEqual(progress["counted"]["connected"], judged.connected)
        self.assertEqual(progress["counted"]["talk_hours"], round(judged.talk_hours, 2))
        self.assertEqual(progress["counted"]["connected"], 5)
        self.assertTrue(progress["counted"]["note"])
        self.assertEqual(progress["met"], judged.met)
        self.assertEqual((progress["cutoff"], progress["minutes_left"]), ("18:00", 0))

    def test_typed_calls_count_when_settings_say_so(self):
        self.company.write({"telesales_cti_enabled": True, "telesales_cti_secret": "s" * 20,
                            "telesales_cti_typed_counts": True})
        self._call(self._lead("Typed"), 9.2, "effective", 400)
        with at(10.0):
            progress = self.Workbench.with_user(self.user_agent).get_my_day()["progress"]
        self.assertEqual((progress["connected"], progress["counted"]["connected"]), (1, 1))
        self.assertFalse(progress["counted"]["note"])

    def test_first_calls_clock_and_met(self):
        lead = self._lead("Clock")
        with at(9.0):
            progress = self.Workbench.with_user(self.user_agent).get_my_day()["progress"]
        self.assertEqual((progress["morning"]["state"], progress["afternoon"]["state"]), ("open", "open"))
        self.assertEqual(progress["minutes_left"], 540)
        self.assertTrue(progress["on_course"], "nothing due before the calling day starts")
        with at(9.5):  # exactly at the deadline without a call: missed
            progress = self.Workbench.with_user(self.user_agent).get_my_day()["progress"]
        self.assertEqual(progress["morning"]["state"], "missed")
        self._call(lead, 9.25, "no_answer", 0)
        with at(9.5):
            progress = self.Workbench.with_user(self.user_agent).get_my_day()["progress"]
        self.assertEqual((progress["morning"]["state"], progress["morning"]["first"]), ("met", "09:15"))
        for minute in range(40):
            self._call(lead, 13.5 + minute / 120, "effective", 330)
        with at(17.0):
            progress = self.Workbench.with_user(self.user_agent).get_my_day()["progress"]
        self.assertEqual((progress["afternoon"]["state"], progress["connected"]), ("met", 40))
        self.assertTrue(progress["met"])
        self.assertEqual(progress["minutes_left"], 60)


@tagged("post_install", "-at_install")
class TestCallQueue(WorkbenchCase):
    """The call queue: follow-ups overdue and due, today's new leads, the rest by grade and
    intent; blocked leads shown, never offered; within a group, who answers at this hour."""

    def _queue(self, local_hour=10.33, user=None):
        with at(local_hour):
            return self.Workbench.with_user(user or self.user_agent).get_my_day()["queue"]

    def test_groups_and_blocked_rows(self):
        overdue = self._lead("Overdue")
        overdue.activity_schedule("mail.mail_activity_data_call", date_deadline=MONDAY - timedelta(days=1),
                                  user_id=self.user_agent.id)
        due = self._lead("Due")
        activity = due.activity_schedule("mail.mail_activity_data_call", date_deadline=MONDAY,
                                         user_id=self.user_agent.id)
        self._call(due, 9.0, "effective", 120, day=MONDAY - timedelta(days=3), plan_date=utc(15.0),
                   plan_activity_id=activity.id)
        new = self._lead("New")
        with at(9.0):
            self.env["telesales.allocation.log"].create({
                "lead_id": new.id, "level": "team", "to_team_id": self.team.id, "to_user_id": self.user_agent.id})
        self._lead("Grade C", telesales_grade="c")
        self._lead("Grade A", telesales_grade="a")
        later = self._lead("Planned later", telesales_grade="a")
        later.activity_schedule("mail.mail_activity_data_call", date_deadline=MONDAY + timedelta(days=2),
                                user_id=self.user_agent.id)
        do_not_call = self._lead("Do not call", telesales_grade="a")
        do_not_call.telesales_do_not_call = True
        approval = self._lead("Approval", telesales_grade="a")
        for hour in (9.0, 9.5, 10.0):
            self._call(approval, hour, "no_answer", 0, day=MONDAY - timedelta(days=1))
        self.assertTrue(approval.telesales_needs_approval)
        someone_elses = self._lead("Agent 2's", user=self.user_agent_2)

        queue = self._queue()
        names = [row["name"] for row in queue]
        self.assertEqual(names, ["Overdue", "Due", "New", "Grade A", "Grade C", "Planned later",
                                 "Do not call", "Approval"])
        self.assertNotIn(someone_elses.name, names, "only the caller's own leads")
        rows = {row["name"]: row for row in queue}
        self.assertEqual([rows[n]["group"] for n in ("Overdue", "Due", "New", "Grade A")],
                         ["overdue", "due", "new", "other"])
        self.assertEqual(rows["Due"]["next_followup"], "2026-11-23 15:00")
        self.assertEqual(rows["Overdue"]["next_followup"], "2026-11-22")
        self.assertEqual((rows["Do not call"]["blocked"], rows["Do not call"]["can_call"]), ("do_not_call", False))
        self.assertEqual((rows["Approval"]["blocked"], rows["Approval"]["can_call"]), ("approval", False))
        self.assertTrue(rows["Approval"]["blocked_label"])
        self.assertTrue(all(row["can_call"] for row in queue if not row["blocked"]))
        # At noon rest nothing is offered, blocked or not (R-CALL-4).
        self.assertFalse(any(row["can_call"] for row in self._queue(12.5)))

    def test_who_answers_at_this_hour_comes_first(self):
        """X answers at 10 and never at 15; Y half the time at both: X first at 10:20,
        Y first at 15:20."""
        self.company.telesales_no_progress_limit = 0  # no approval needed: both offered
        x, y = self._lead("X"), self._lead("Y")
        for day in (1, 2, 3):
            past = MONDAY - timedelta(days=day)
            self._call(x, 10.2, "effective", 120, day=past)
            self._call(x, 15.2, "no_answer", 0, day=past)
        for day, outcome in ((1, "effective"), (2, "no_answer")):
            past = MONDAY - timedelta(days=day)
            self._call(y, 10.2, outcome, 120 if outcome == "effective" else 0, day=past)
            self._call(y, 15.2, outcome, 120 if outcome == "effective" else 0, day=past)
        morning = [row for row in self._queue(10.33) if row["name"] in ("X", "Y")]
        self.assertEqual([row["name"] for row in morning], ["X", "Y"])
        self.assertEqual((morning[0]["hint"], morning[0]["hint_source"]), ("usually answers 10–11", "customer"))
        self.assertGreater(morning[0]["answer_rate"], morning[1]["answer_rate"])
        afternoon = [row for row in self._queue(15.33) if row["name"] in ("X", "Y")]
        self.assertEqual([row["name"] for row in afternoon], ["Y", "X"])

    def test_customer_without_history_takes_the_segment(self):
        segment = {"city": "Segtown", "telesales_grade": "c"}
        mates = self._lead("Mate", user=self.user_agent_2, **segment)
        for day in range(1, 7):
            self._call(mates, 10.1, "effective", 90, user=self.user_agent_2, day=MONDAY - timedelta(days=day))
        self._lead("Fresh", **segment)
        self._lead("Nowhere", city="Nowhere", telesales_grade="c")
        rows = {row["name"]: row for row in self._queue(10.33)}
        self.assertEqual((rows["Fresh"]["hint_source"], rows["Fresh"]["hint"]), ("segment", "usually answers 10–11"))
        self.assertGreater(rows["Fresh"]["answer_rate"], 0.5)
        self.assertIs(rows["Nowhere"]["hint"], False)
        self.assertEqual([row["name"] for row in self._queue(10.33)][:2], ["Fresh", "Nowhere"],
                         "the segment that answers at this hour first")

    def test_queries_do_not_grow_with_the_leads(self):
        """One statement for the whole queue: as many queries for 33 leads as for 3."""
        def queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with at(10.33):
                self.Workbench.with_user(self.user_agent).get_my_day()
            return self.env.cr.sql_log_count - before

        def leads(count):
            for n in range(count):
                lead = self._lead(f"Load {n}", telesales_grade="abc"[n % 3])
                self._call(lead, 9.0 + n % 8, "effective", 120, day=MONDAY - timedelta(days=1 + n % 5))
                lead.activity_schedule("mail.mail_activity_data_call", date_deadline=MONDAY - timedelta(days=n % 3),
                                       user_id=self.user_agent.id)
        leads(3)
        queries()  # the segments' daily cache
        few = queries()
        leads(30)
        self.assertEqual(queries(), few)

    def test_ties_and_empty(self):
        self.assertEqual(self._queue(), [], "no lead: an empty queue")
        first, second = self._lead("Tie 1", city="Tie city"), self._lead("Tie 2", city="Tie city")
        self.assertEqual([row["lead_id"] for row in self._queue()], [first.id, second.id], "ties: lowest id")
        self._call(first, 9.0, "effective", 120, day=MONDAY - timedelta(days=5), stage="opening")
        self._call(second, 9.0, "effective", 120, day=MONDAY - timedelta(days=6), stage="opening")
        queue = self._queue(12.0 + 1.5)  # 13:30: neither customer was ever called at this hour
        self.assertEqual(queue[0]["answer_rate"], queue[1]["answer_rate"])
        self.assertEqual([row["lead_id"] for row in queue], [second.id, first.id], "ties: the longest without a call")

    def test_attempts_without_progress_on_the_lead(self):
        """Calls since the furthest stage last advanced, from the latest owner change."""
        with freeze_time(utc(9.0, MONDAY - timedelta(days=3))):
            lead = self._lead("Idle")
            self.env["telesales.allocation.log"].create({
                "lead_id": lead.id, "level": "team", "to_team_id": self.team.id, "to_user_id": self.user_agent.id})
        self._call(lead, 10.0, "no_answer", 0, day=MONDAY - timedelta(days=3))
        self._call(lead, 11.0, "no_answer", 0, day=MONDAY - timedelta(days=3))
        self.assertEqual(lead.telesales_idle_attempts, 2)
        self._call(lead, 12.0, "effective", 120, day=MONDAY - timedelta(days=3), stage="needs")
        self.assertEqual(lead.telesales_idle_attempts, 0, "the furthest stage advanced")
        self._call(lead, 13.0, "effective", 120, day=MONDAY - timedelta(days=3), stage="opening")
        self.assertEqual(lead.telesales_idle_attempts, 1, "not beyond the furthest stage: no progress")
        with freeze_time(utc(9.0, MONDAY - timedelta(days=2))):
            lead.write({"user_id": self.user_agent_2.id})  # moved: counted anew from here
        self._call(lead, 10.0, "no_answer", 0, day=MONDAY - timedelta(days=1), user=self.user_agent_2)
        self.assertEqual(lead.telesales_idle_attempts, 1)
        self.assertEqual(lead.telesales_attempts_no_progress, 2, "R-LEAD-5 counts on its own terms")
        with self.assertRaisesText(AccessError, "kept by the system"):
            lead.with_user(self.user_agent_2).write({"telesales_idle_attempts": 5})
        with freeze_time(utc(9.0)):
            lead._telesales_set_owners({lead.id: (False, False, False)}, "recycle", "test")
        self.assertEqual(lead.telesales_idle_attempts, 0, "in the pool: nobody works it")


@tagged("post_install", "-at_install")
class TestWorkbenchBlocks(WorkbenchCase):
    """Pool, tomorrow's recycling, the month, live notifications."""

    def test_pool_and_recycling_tomorrow(self):
        self.company.write({"telesales_claim_daily_limit": 5, "telesales_claim_open_cap": 0})
        idle = self._lead("Idle C", telesales_grade="c")
        fresh = self._lead("Fresh C", telesales_grade="c")
        with freeze_time(utc(9.0, MONDAY - timedelta(days=14))):
            self.env["telesales.allocation.log"].create({
                "lead_id": idle.id, "level": "team", "to_team_id": self.team.id, "to_user_id": self.user_agent.id})
        with freeze_time(utc(9.0, MONDAY - timedelta(days=2))):
            self.env["telesales.allocation.log"].create({
                "lead_id": fresh.id, "level": "team", "to_team_id": self.team.id, "to_user_id": self.user_agent.id})
        pooled = self._lead("Claimed", user=False)
        with at(9.0):
            self.env["telesales.allocation.log"].create({
                "lead_id": pooled.id, "level": "claim", "to_team_id": self.team.id,
                "to_user_id": self.user_agent.id})
            day = self.Workbench.with_user(self.user_agent).get_my_day()
        self.assertEqual((day["pool"]["claims_limit"], day["pool"]["claims_left"]), (5, 4))
        self.assertEqual([row["lead_id"] for row in day["recycle_tomorrow"]], [idle.id])
        self.assertIn("2026-11-24", day["recycle_tomorrow"][0]["warning"])
        # The rule's own test decides: the same leads as the recycling run of that night.
        rule = self.env.ref("telesales_mgmt.allocation_rule_team_default")
        with at(9.0):
            _day, moment = self.Workbench._next_recycling(self.company)
        self.assertEqual(self.env["crm.lead"].union(*rule._due_for_recycling(idle | fresh, moment).values()), idle)
        with at(9.0):
            self.emp_agent.telesales_status = "trainee"
            self.assertEqual(self.Workbench.with_user(self.user_agent).get_my_day()["pool"]["claims_left"], 0)

    def test_month_and_next_tier(self):
        plan = self.env["telesales.commission.plan"].create({
            "name": "Workbench plan", "user_ids": [(6, 0, self.user_agent.ids)], "gate": 80.0,
            "measure": "achievement", "mode": "progressive",
            "tier_ids": [(0, 0, {"lower": 0, "upper": 100, "rate": 2}), (0, 0, {"lower": 100, "rate": 5})]})
        self.env["telesales.commission.plan"].search([("id", "!=", plan.id)]).write({"active": False})
        self.env["telesales.sales.target"].create({"user_id": self.user_agent.id, "month": MONDAY, "amount": 10000})
        won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        lead = self._lead("Won", expected_revenue=9000, stage_id=won.id, probability=100)
        lead.write({"telesales_won_user_id": self.user_agent.id, "telesales_won_date": MONDAY})
        with at(10.0):
            month = self.Workbench.with_user(self.user_agent).get_my_day()["month"]
        self.assertEqual((month["sales"], month["target"], month["achievement"]), (9000, 10000, 90.0))
        self.assertEqual(month["commission"], plan._commission(9000, 10000))
        self.assertEqual(month["next_tier"]["needs"], 1000)
        plan.gate = 95
        with at(10.0):
            month = self.Workbench.with_user(self.user_agent).get_my_day()["month"]
        self.assertEqual((month["commission"], month["next_tier"]["needs"]), (0, 500))

    def _bus(self):
        return [json.loads(value["message"]) | {"channel": json.loads(value["channel"])}
                for value in self.env.cr.precommit.data.get("bus.bus.values", [])]

    def test_live_updates_on_the_bus(self):
        lead = self._lead("Bus")
        before = len(self._bus())
        call = self._call(lead, 9.0, "effective", 120)
        sent = self._bus()[before:]
        progress = [message for message in sent if message["type"] == "telesales_progress"]
        self.assertEqual({message["channel"][-1] for message in progress},
                         {self.user_agent.partner_id.id, self.user_leader.partner_id.id})
        self.assertEqual({message["payload"]["user_id"] for message in progress}, {self.user_agent.id})
        before = len(self._bus())
        call.write({"notes": "nothing that counts"})
        self.assertFalse([m for m in self._bus()[before:] if m["type"] == "telesales_progress"])
        call.write({"talk_seconds": 300})
        self.assertTrue([m for m in self._bus()[before:] if m["type"] == "telesales_progress"])


@tagged("post_install", "-at_install")
class TestWorkbenchAccess(WorkbenchCase):
    """get_my_day: the caller's own data only; get_team_board: a leader their own team(s),
    the manager and the administrator the department's, agents refused."""

    def test_my_day_is_the_callers_own(self):
        self._lead("Mine")
        self._lead("Theirs", user=self.user_agent_2)
        with at(10.0):
            mine = self.Workbench.with_user(self.user_agent).get_my_day()
            theirs = self.Workbench.with_user(self.user_agent_2).with_context(uid=self.user_agent.id).get_my_day()
            with self.assertRaises(TypeError):
                self.Workbench.with_user(self.user_agent).get_my_day(self.user_agent_2.id)
            for user in (self.user_hr, self.user_outsider):
                with self.assertRaises(AccessError):
                    self.Workbench.with_user(user).get_my_day()
        with at(10.0):
            nobody = self.Workbench.with_user(self.user_admin).get_my_day()  # no employee: an empty day
        self.assertEqual((nobody["agent"]["name"], nobody["is_workday"], nobody["queue"]),
                         (self.user_admin.name, False, []))
        self.assertEqual([row["name"] for row in mine["queue"]], ["Mine"])
        self.assertEqual([row["name"] for row in theirs["queue"]], ["Theirs"])
        self.assertEqual(mine["agent"]["name"], "Agent")

    def test_team_board_by_role(self):
        with at(10.0):
            for user in (self.user_agent, self.user_service, self.user_hr):
                with self.assertRaises(AccessError):
                    self.Workbench.with_user(user).get_team_board()
            board = self.Workbench.with_user(self.user_leader).get_team_board()
            self.assertEqual([t["id"] for t in board["teams"]], [self.team.id])
            self.assertEqual({a["user_id"] for a in board["agents"]}, {self.user_agent.id, self.user_agent_2.id})
            for context in ({}, {"telesales_manager": True}, {"active_test": False}):
                with self.assertRaises(AccessError):
                    self.Workbench.with_user(self.user_leader).with_context(**context).get_team_board(self.team_2.id)
            with self.assertRaises(AccessError):
                self.Workbench.with_user(self.user_leader).get_team_board(str(self.team.id))
            for user in (self.user_manager, self.user_admin):
                board = self.Workbench.with_user(user).get_team_board(self.team_2.id)
                self.assertEqual(board["team"]["id"], self.team_2.id)
                self.assertTrue({self.team.id, self.team_2.id} <= {t["id"] for t in board["teams"]})
                self.assertEqual([a["user_id"] for a in board["agents"]], [self.user_agent_other.id])


@tagged("post_install", "-at_install")
class TestTeamBoard(CronBatchesMixin, WorkbenchCase):
    """Who is behind at the check time (Settings), today's leaderboard, the pool and a
    waiting preview; the cron's one activity per agent behind and day."""

    def _on_course(self, user):
        """30 connected calls and 2.75 h of talk before 16:00, first calls in time."""
        lead = self._lead(f"Course {user.login}", user=user)
        for n in range(15):
            self._call(lead, 9.1 + n / 12, "effective", 330, user=user)
            self._call(lead, 13.6 + n / 12, "effective", 330, user=user)

    def _alerts(self):
        return self.env["telesales.progress.alert"].search(
            [("employee_id", "in", self.agents.ids), ("date", "=", MONDAY)])

    def _leader_activities(self):
        alerts = self._alerts().filtered("behind")
        return {(a.employee_id, a.activity_ids.user_id) for a in alerts for _activity in a.activity_ids}

    def test_behind_at_the_check_time(self):
        self._on_course(self.user_agent_2)
        Alert = self.env["telesales.progress.alert"]
        with at(15.99):  # 15:59:24
            Alert._cron_check_behind()
            board = self.Workbench.with_user(self.user_leader).get_team_board()
        self.assertFalse(self._alerts(), "before the check time: nothing")
        self.assertFalse(any(agent["behind"] for agent in board["agents"]))
        with at(16.0):
            Alert._cron_check_behind()
            board = self.Workbench.with_user(self.user_leader).get_team_board()
        alerts = {alert.employee_id: alert for alert in self._alerts()}
        self.assertEqual(set(alerts), set(self.agents))
        self.assertTrue(alerts[self.emp_agent].behind)
        self.assertFalse(alerts[self.emp_agent_2].behind, alerts[self.emp_agent_2].reasons)
        self.assertTrue(alerts[self.emp_agent_other].behind)
        expected = {(self.emp_agent, self.user_leader), (self.emp_agent_other, self.user_leader_2)}
        self.assertEqual(self._leader_activities(), expected, "one activity for each agent's own leader")
        self.assertAlmostEqual(alerts[self.emp_agent_2].expected_connected, 40 * 5.5 / 7.5, places=1)
        rows = {agent["user_id"]: agent for agent in board["agents"]}
        self.assertTrue(rows[self.user_agent.id]["behind"])
        self.assertIn("no call before 09:30", rows[self.user_agent.id]["behind_reasons"])
        self.assertFalse(rows[self.user_agent_2.id]["behind"])
        with at(16.25):
            Alert._cron_check_behind()
        with at(17.5):
            Alert._cron_check_behind()
        self.assertEqual(len(self._alerts()), 3, "run again: the same result")
        self.assertEqual(self._leader_activities(), expected)

    def test_cron_in_batches(self):
        """In batches of agents, cut short and resumed: the same checks and activities."""
        def run(**kwargs):
            with at(16.5):
                self.env["telesales.progress.alert"]._cron_check_behind(**kwargs)

        def snapshot():
            return {(alert.employee_id.id, alert.behind, alert.reasons, len(alert.activity_ids))
                    for alert in self.env["telesales.progress.alert"].search([("date", "=", MONDAY)])}
        self._assert_resumes(run, snapshot)

    def test_cron_through_the_cron_machinery(self):
        """Cut short after each batch: Odoo runs it again until every working agent is
        checked, each batch committed with its progress; the next run finds nothing."""
        Alert = self.env["telesales.progress.alert"]
        with at(16.5):
            count = len(Alert._agents_to_check(self.company, MONDAY))
        code = f"model._cron_check_behind(batch_size={-(-count // 4)}, limit=1)"
        with freeze_time(utc(16.5), tick=True):
            progress = self._trigger("telesales_mgmt.ir_cron_check_behind", code)
        self.assertGreater(len(progress), 1, "several runs, one batch each")
        self.assertEqual(sum(progress.mapped("done")), count)
        self.assertEqual(Alert.search_count([("date", "=", MONDAY)]), count)
        with freeze_time(utc(16.5), tick=True):
            again = self._trigger("telesales_mgmt.ir_cron_check_behind", code)
        self.assertEqual(sum(again.mapped("done")), 0)

    def test_leave_and_holidays_are_never_behind(self):
        self.env["resource.calendar.leaves"].create({
            "name": "Leave", "calendar_id": self.company.resource_calendar_id.id,
            "resource_id": self.emp_agent.resource_id.id,
            "date_from": utc(0.0), "date_to": utc(23.99)})
        with at(16.5):
            self.env["telesales.progress.alert"]._cron_check_behind()
            board = self.Workbench.with_user(self.user_leader).get_team_board()
        self.assertEqual(self._alerts().employee_id, self.emp_agent_2 | self.emp_agent_other)
        row = next(agent for agent in board["agents"] if agent["user_id"] == self.user_agent.id)
        self.assertEqual((row["working"], row["behind"]), (False, False))
        self.env["telesales.day.exception"].create(
            {"name": "Holiday", "company_id": self.company.id, "date": MONDAY + timedelta(days=1), "kind": "holiday"})
        with at(16.5, MONDAY + timedelta(days=1)):
            self.env["telesales.progress.alert"]._cron_check_behind()
        self.assertFalse(self.env["telesales.progress.alert"].search(
            [("employee_id", "in", self.agents.ids), ("date", "=", MONDAY + timedelta(days=1))]))

    def test_leaderboard_pool_and_preview(self):
        won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        lead = self._lead("Won today", user=self.user_agent_2, expected_revenue=5000, stage_id=won.id,
                          probability=100)
        lead.write({"telesales_won_user_id": self.user_agent_2.id, "telesales_won_date": MONDAY})
        team_leads = self._lead("Free 1", user=False) | self._lead("Free 2", user=False)
        run = self.env["telesales.allocation.run"].create({"level": "team", "team_id": self.team.id})
        run.write({"plan": {str(lead.id): [self.team.id, self.user_agent.id, False, self.team.id]
                            for lead in team_leads}, "lead_count": 2})
        with at(11.0):
            board = self.Workbench.with_user(self.user_leader).get_team_board()
            month = self.env["telesales.sales.leaderboard"].search(
                [("user_id", "=", self.user_agent_2.id), ("month", "=", MONDAY.replace(day=1))])
        first = board["leaderboard"][0]
        self.assertEqual((first["user_id"], first["deals"], first["amount"]), (self.user_agent_2.id, 1, 5000))
        self.assertEqual(first["deals"], month.deal_count, "counted as the sales leaderboard counts")
        self.assertEqual(board["allocation_preview"], {
            "id": run.id, "name": run.with_user(self.user_leader).name, "lead_count": 2, "stale": False,
            "stale_note": False})
        self.assertEqual(board["pool"]["size"], self.env["telesales.pool.lead"].search_count([]))
        team_leads[0].user_id = self.user_agent_2
        with at(11.0):
            self.assertTrue(self.Workbench.with_user(self.user_leader).get_team_board()["allocation_preview"]["stale"])
        with at(11.0):
            self.assertFalse(self.Workbench.with_user(self.user_leader_2).get_team_board()["allocation_preview"])

    def test_check_time_setting(self):
        with self.assertRaises(ValidationError):
            self.company.telesales_behind_check_hour = 24
