from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import TelesalesCase

MONDAY_0900 = "2026-11-23 01:00:00"  # Monday 09:00 in Shanghai: inside the calling window


@tagged("post_install", "-at_install")
@freeze_time(MONDAY_0900)
class TestInputGuard(TelesalesCase):
    """Issue 12 §6: wrong types, NUL bytes, numbers beyond PostgreSQL's integer and ids
    that do not exist end in a ValidationError naming the field, never in a raw database
    error (DataError, NumericValueOutOfRange, NUL literal, foreign-key violation)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"telesales_tz": "Asia/Shanghai", "telesales_window_mode": "block",
                           "telesales_no_progress_limit": 0})
        cls.lead = cls.env["crm.lead"].create({
            "name": "Guard lead", "phone": "13900139001",
            "user_id": cls.user_agent.id, "team_id": cls.team.id})
        cls.Call = cls.env["telesales.call"].with_user(cls.user_agent)

    def _vals(self, **values):
        return {"lead_id": self.lead.id, "outcome": "no_answer", "plan_date": "2026-12-01 02:00:00",
                "plan_goal": "reach the customer", **values}

    def _refused(self, text, **values):
        """Both doors refuse `values`: create, and write on an existing call."""
        call = self.Call.create(self._vals())
        with self.subTest(door="create", values=values), self.assertRaisesText(ValidationError, text):
            self.Call.create(self._vals(**values))
            self.env.flush_all()
        with self.subTest(door="write", values=values), self.assertRaisesText(ValidationError, text):
            call.write(values)
            self.env.flush_all()

    def test_normal_create_and_write_still_work(self):
        call = self.Call.create(self._vals(talk_seconds=90, outcome="effective", notes="Wants the offer",
                                           start="2026-11-23 01:00:00", end="2026-11-23 01:02:00"))
        call.write({"notes": "Sent the offer", "talk_seconds": 100.0, "outcome": "intent", "ring_seconds": False})
        self.env.flush_all()
        self.assertEqual((call.talk_seconds, call.outcome, call.lead_id), (100, "intent", self.lead),
                         "a whole float (SQL sums, JSON clients) is a whole number")

    def test_talk_time_beyond_an_integer(self):
        self._refused("Talk Time (s): 1000000000000 is not a whole number", talk_seconds=10**12)
        self._refused("Talk Time (s): 2147483648 is not a whole number", talk_seconds=2**31)

    def test_talk_time_of_the_wrong_type(self):
        self._refused("Talk Time (s): 'abc' is not a whole number", talk_seconds="abc")
        self._refused("Talk Time (s): True is not a whole number", talk_seconds=True)
        self._refused("Talk Time (s): 12.5 is not a whole number", talk_seconds=12.5)

    def test_nul_byte_in_text(self):
        self._refused("Notes: the text contains a NUL character", notes="before\x00after")
        self._refused("Follow-up Goal: the text contains a NUL character", plan_goal="\x00")

    def test_unknown_lead(self):
        self._refused("Lead: Lead 987654321 does not exist.", lead_id=987654321)
        self._refused("Lead: Lead 99999999999 does not exist.", lead_id=99999999999)
        self._refused("Lead: 'abc' is not a record id.", lead_id="abc")
        self._refused("Lead: -3 is not a record id.", lead_id=-3)
        gone = self.env["crm.lead"].create({"name": "Gone", "user_id": self.user_agent.id})
        gone_id = gone.id
        gone.unlink()  # read and cached before: the cache must not vouch for it
        self._refused(f"Lead: Lead {gone_id} does not exist.", lead_id=gone_id)

    def test_start_that_is_not_a_date(self):
        self._refused("Start: 'not a date' is not a date and time", start="not a date")
        self._refused("Start: '2026-02-30 10:00:00' is not a date and time", start="2026-02-30 10:00:00")

    def test_outcome_outside_the_selection(self):
        self._refused("Outcome: 'bogus' is not one of the allowed values", outcome="bogus")

    def test_complaint_subject_with_nul(self):
        values = {"subject": "Called\x00again", "lead_id": self.lead.id,
                  "category_id": self.env.ref("telesales_mgmt.complaint_category_price").id}
        with self.assertRaisesText(ValidationError, "Subject: the text contains a NUL character"):
            self.env["telesales.complaint"].create(values)
            self.env.flush_all()

    def test_fields_the_addon_adds_to_other_models(self):
        with self.assertRaisesText(ValidationError, "'z' is not one of the allowed values (a, b, c)"):
            self.env["res.partner"].create({"name": "Graded", "telesales_grade": "z"})
        with self.assertRaisesText(ValidationError, "is not a whole number"):
            self.company.write({"telesales_min_connected": 10**10})
        # Odoo's own fields on those models keep Odoo's own behaviour.
        self.lead.write({"name": "Renamed", "expected_revenue": 10})
        self.assertEqual(self.lead.name, "Renamed")
