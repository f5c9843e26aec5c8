from datetime import date, datetime, timedelta

from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from odoo.addons.telesales_mgmt.engines.idle_clock import idle_cutoff, idle_deadline

from .common import TelesalesCase

# The Spring Festival of 2026 (国办发明电〔2025〕7号): 15-23 February off, Saturdays 14 and
# 28 February worked. Times below are UTC; Shanghai is UTC+8.
SPRING_FESTIVAL = [date(2026, 2, 15) + timedelta(days=n) for n in range(9)]
MAKE_UP_DAYS = [date(2026, 2, 14), date(2026, 2, 28)]
RECEIVED = "2026-02-13 02:00:00"  # Friday 13 February, 10:00 in Shanghai


@tagged("post_install", "-at_install")
class TestIdleClockEngine(BaseCase):
    """engines/idle_clock.py: the clock runs on working days only; the cut-off is the
    exact inverse of the deadline, so one cut-off per grade decides for every lead."""

    @settings(max_examples=300, deadline=None)
    @given(pattern=st.lists(st.booleans(), min_size=1, max_size=21).filter(any),
           start=st.integers(0, 60 * 24 * 4), now=st.integers(0, 60 * 24 * 4), days=st.integers(1, 20))
    def test_cutoff_is_the_inverse_of_the_deadline(self, pattern, start, now, days):
        def is_working(day):
            return pattern[day.toordinal() % len(pattern)]
        origin = datetime(2026, 1, 1)
        start, now = origin + timedelta(minutes=15 * start), origin + timedelta(minutes=15 * now)
        deadline, cutoff = idle_deadline(start, days, is_working), idle_cutoff(now, days, is_working)
        self.assertEqual(deadline <= now, start <= cutoff, (start, now, deadline, cutoff))

    @settings(deadline=None)
    @given(now=st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1)), days=st.integers(1, 60))
    def test_every_day_working_is_the_calendar(self, now, days):
        self.assertEqual(idle_cutoff(now, days, lambda day: True), now - timedelta(days=days))
        self.assertEqual(idle_deadline(now, days, lambda day: True), now + timedelta(days=days))

    def test_rest_days_stop_the_clock(self):
        weekdays = lambda day: day.weekday() < 5  # noqa: E731
        friday_10 = datetime(2026, 11, 20, 10)
        self.assertEqual(idle_deadline(friday_10, 1, weekdays), datetime(2026, 11, 23, 10), "Monday 10:00")
        self.assertEqual(idle_deadline(datetime(2026, 11, 21, 15), 1, weekdays), datetime(2026, 11, 24),
                         "received on Saturday: the clock starts on Monday")
        self.assertIsNone(idle_cutoff(friday_10, 0, weekdays), "0 days: never")
        self.assertIsNone(idle_cutoff(friday_10, 3, lambda day: False), "no working day at all: never")


@tagged("post_install", "-at_install")
class TestRecyclingWorkdays(TelesalesCase):
    """Recycling and its warning count the company's working days (R-LEAD-6, design
    notes "working days"): a Spring Festival week does not send every C lead back to
    the pool; make-up Saturdays count."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.telesales_tz = "Asia/Shanghai"
        cls.company.resource_calendar_id = cls.env["resource.calendar"].create({
            "name": "Mon-Fri 9-18 Shanghai", "tz": "Asia/Shanghai", "attendance_ids": [
                (0, 0, {"name": f"{d} {p}", "dayofweek": str(d), "hour_from": h_from, "hour_to": h_to,
                        "day_period": p})
                for d in range(5) for p, h_from, h_to in (("morning", 9, 12), ("afternoon", 13, 18))]})
        # The test's own holidays (a database may carry the shipped ones, or none).
        DayException = cls.env["telesales.day.exception"]
        DayException.search([("company_id", "=", cls.company.id)]).unlink()
        cls.holidays = DayException.create(
            [{"name": "春节", "date": day, "kind": "holiday"} for day in SPRING_FESTIVAL]
            + [{"name": "春节调休上班", "date": day, "kind": "workday"} for day in MAKE_UP_DAYS])
        (cls.emp_agent | cls.emp_agent_2).write({
            "telesales_status": "live", "telesales_live_date": "2026-01-05",
            "resource_calendar_id": cls.company.resource_calendar_id.id})
        Rule = cls.env["telesales.allocation.rule"]
        Rule.search([]).active = False
        cls.rule = Rule.create({
            "name": "Team rule", "level": "team", "strategy": "round_robin", "daily_cap": 0, "open_cap": 0,
            "recycle_days_a": 30, "recycle_days_b": 15, "recycle_days_c": 7, "recycle_attempts": 0,
            "recycle_warn_days": 2, "recycle_cooldown_days": 7})
        cls.Lead = cls.env["crm.lead"]
        cls.warning_type = cls.env.ref("telesales_mgmt.mail_act_recycle_warning")

    def _held(self, grade="c", received=RECEIVED, user=None):
        with freeze_time(received):
            lead = self.Lead.create({"name": f"Held {grade}", "type": "lead", "telesales_grade": grade,
                                     "team_id": self.team.id, "user_id": False})
            lead._telesales_assign(self.team.id, (user or self.user_agent).id, "manual", "test")
        return lead

    def _recycle(self, when):
        with freeze_time(when):
            self.env["telesales.allocation.rule"]._cron_recycle()

    def _warnings(self, lead):
        return lead.activity_ids.filtered(lambda activity: activity.activity_type_id == self.warning_type)

    def test_seven_calendar_days_over_the_spring_festival_keep_the_lead(self):
        lead = self._held()
        # Friday 13 10:00 to Friday 20 10:00: a day and 14 hours of work (Friday's rest,
        # the make-up Saturday), then holidays.
        self._recycle("2026-02-20 02:00:00")
        self.assertEqual(lead.user_id, self.user_agent, "7 calendar days, 1.6 working days: kept")
        self.assertFalse(self._warnings(lead), "nor warned")
        self._recycle("2026-02-24 18:00:00")  # the first night after the holidays
        self.assertEqual(lead.user_id, self.user_agent)

    def test_seven_working_days_recycle_the_lead(self):
        """Friday 13 (14 h), Saturday 14 (make-up), 24-27 February, Saturday 28
        (make-up): 6 days 14 hours; the 7th working day ends on Monday 2 March at 10:00."""
        lead = self._held()
        self._recycle("2026-03-02 01:59:00")
        self.assertEqual(lead.user_id, self.user_agent, "6 working days 23:59")
        self._recycle("2026-03-02 02:00:00")
        self.assertFalse(lead.user_id, "7 working days: back to the pool")
        self.assertTrue(lead.telesales_in_pool)
        log = lead.telesales_allocation_log_ids.filtered(lambda line: line.level == "recycle")
        self.assertIn("Not contacted for 7 working days", log.reason)
        self._recycle("2026-03-02 03:00:00")
        self.assertEqual(len(lead.telesales_allocation_log_ids.filtered(lambda line: line.level == "recycle")), 1,
                         "a rerun does nothing more")

    def test_make_up_saturday_counts(self):
        lead = self._held()
        self.holidays.filtered(lambda day: day.date == date(2026, 2, 28)).unlink()
        self._recycle("2026-03-02 02:00:00")
        self.assertEqual(lead.user_id, self.user_agent, "without the make-up Saturday, a day short")
        self._recycle("2026-03-03 02:00:00")
        self.assertFalse(lead.user_id)

    def test_warning_two_working_days_before(self):
        """Warned once 5 working days idle (Friday 27 at 10:00), for Monday 2 March."""
        lead = self._held()
        self._recycle("2026-02-18 02:00:00")  # 5 calendar days: the old warning day
        self.assertFalse(self._warnings(lead))
        self._recycle("2026-02-27 01:59:00")
        self.assertFalse(self._warnings(lead), "4 working days 23:59")
        self._recycle("2026-02-27 02:00:00")
        warning = self._warnings(lead)
        self.assertEqual(len(warning), 1)
        self.assertEqual(warning.date_deadline, date(2026, 3, 2), "the recycling day, Monday")
        self.assertEqual(warning.user_id, self.user_agent)
        self._recycle("2026-02-27 08:00:00")
        self._recycle("2026-02-28 08:00:00")
        self.assertEqual(self._warnings(lead), warning, "warned once")

    def test_recycling_due_on_a_day(self):
        """`_recycling_due_on(day)`: what the night run of `day` (02:00 Shanghai) takes,
        for My Day's "recycled tomorrow" card, per agent, read with the caller's rights."""
        mine, theirs = self._held(), self._held(user=self.user_agent_2)
        safe = self._held(received="2026-02-27 02:00:00")
        Rule = self.env["telesales.allocation.rule"]
        cron = self.env.ref("telesales_mgmt.ir_cron_recycle_leads")
        cron.nextcall = "2026-03-01 18:00:00"  # 02:00 in Shanghai
        with freeze_time("2026-02-27 04:00:00"):
            self.assertFalse(Rule._recycling_due_on(date(2026, 3, 2)) & (mine | theirs | safe),
                             "Monday's run comes before 10:00")
            self.assertEqual(Rule._recycling_due_on(date(2026, 3, 3)) & (mine | theirs | safe), mine | theirs)
            self.assertEqual(Rule._recycling_due_on(date(2026, 3, 3), users=self.user_agent), mine)
            self.assertEqual(Rule.with_user(self.user_agent)._recycling_due_on(date(2026, 3, 3)) & (mine | theirs),
                             mine, "an agent sees only their own")
        self._recycle("2026-03-02 18:00:00")  # the night run of 3 March
        self.assertFalse((mine | theirs).user_id, "as announced")
        self.assertEqual(safe.user_id, self.user_agent)

    def test_one_query_whatever_the_number_of_leads(self):
        """The cut-offs are computed once per rule and grade; the leads are compared with
        them in SQL, not walked through the calendar one by one."""
        def queries(leads):
            self.env.invalidate_all()
            with freeze_time("2026-03-02 02:00:00"):
                is_working = self.rule._working_day_test(self.company)
                self.rule._due_for_recycling(leads, datetime(2026, 3, 2, 2), is_working=is_working)
                start = self.env.cr.sql_log_count
                due = self.rule._due_for_recycling(leads, datetime(2026, 3, 2, 2), is_working=is_working)
                return self.env.cr.sql_log_count - start, due
        few = self.Lead.browse([self._held(grade).id for grade in "abc"])
        many = few | self.Lead.browse([self._held(grade).id for grade in "abc" * 10])
        (few_count, _due), (many_count, due) = queries(few), queries(many)
        self.assertEqual(few_count, many_count)
        self.assertEqual(sum(due.values(), self.Lead), many.filtered(lambda lead: lead.telesales_grade == "c"))

    def test_sql_idle_clock_matches_the_orm(self):
        """The query's idle clock (last call, else the last allocation to an agent, else
        Odoo's opening date) against the same rule written with the ORM."""
        called, reassigned = self._held("a"), self._held("b")
        with freeze_time("2026-02-26 03:00:00"):
            self.env["telesales.call"].with_context(telesales_seed=True).sudo().create({
                "lead_id": called.id, "user_id": self.user_agent.id, "outcome": "no_answer",
                "start": "2026-02-26 03:00:00"})
        with freeze_time("2026-02-27 05:00:00"):
            reassigned._telesales_assign(self.team.id, self.user_agent_2.id, "manual", "test")
        unlogged = self._held("c")
        self.env["telesales.allocation.log"].search([("lead_id", "=", unlogged.id)]).unlink()
        unlogged.date_open = datetime(2026, 2, 25, 6)
        won = self._held("c")
        won.action_set_won()
        leads = called | reassigned | unlogged | won
        since = self.rule._idle_since(leads, dict.fromkeys("abc", datetime(2027, 1, 1)))

        def orm_since(lead):
            received = self.env["telesales.allocation.log"].search(
                [("lead_id", "=", lead.id), ("to_user_id", "!=", False)], order="date desc", limit=1).date
            return max(filter(None, [lead.telesales_last_call_date, received or lead.date_open]))
        self.assertEqual(since, {lead.id: orm_since(lead) for lead in leads if lead.won_status == "pending"})
        self.assertEqual(since[called.id], datetime(2026, 2, 26, 3))
        self.assertEqual(since[reassigned.id], datetime(2026, 2, 27, 5))
        self.assertEqual(since[unlogged.id], datetime(2026, 2, 25, 6))
        self.assertEqual(self.rule._idle_since(leads, dict.fromkeys("abc", datetime(2026, 2, 26, 4))),
                         {called.id: since[called.id], unlogged.id: since[unlogged.id]}, "the cut-off decides")
