from datetime import datetime, timedelta

import pytz
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from odoo.addons.telesales_mgmt.engines.attendance import judge_day

SHANGHAI = pytz.timezone("Asia/Shanghai")
DAY = datetime(2026, 11, 16)


def at(hhmm, minutes=0):
    hours, mins = map(int, hhmm.split(":"))
    return SHANGHAI.localize(DAY + timedelta(hours=hours, minutes=mins + minutes))


# 09:00-12:00 and 13:30-18:30, as the default schedule
BLOCKS = ((at("09:00"), at("12:00")), (at("13:30"), at("18:30")))


def judge(late=0, early=0, grace=0, threshold=15, overtime=0.0):
    attendances = [(BLOCKS[0][0] + timedelta(minutes=late), BLOCKS[-1][1] - timedelta(minutes=early))]
    return judge_day(list(BLOCKS), len(BLOCKS), attendances, grace, threshold, overtime)


def cost(findings):
    """What a day costs: the wage share at stake first, then the deductions."""
    return (sum(found["share"] for found in findings),
            sum(1 for found in findings if found["kind"] in ("late", "early")))


@tagged("post_install", "-at_install")
class TestAttendanceEngine(BaseCase):
    """R-ATT-2 … R-ATT-4: lateness and early leave in whole minutes, the threshold, halves."""

    def test_the_threshold_edges(self):
        self.assertEqual(judge(late=0), [])
        self.assertEqual(judge(late=15), [{"kind": "late", "minutes": 15, "share": 0}],
                         "exactly 15 minutes late: a deduction (R-ATT-2)")
        self.assertEqual(judge(late=16), [{"kind": "half_day", "minutes": 16, "share": 0.5}],
                         "16 minutes: half a day absent (R-ATT-3)")
        self.assertEqual(judge(early=15)[0]["kind"], "early")
        self.assertEqual(judge(late=16, early=16)[0], {"kind": "full_day", "minutes": 16, "share": 1.0})
        self.assertEqual(judge(late=5, grace=5), [], "within the grace")
        # Found by the property below: absent all morning, 2 minutes late after lunch and
        # leaving a minute early was a full day AND an early-leave deduction.
        self.assertEqual(judge_day(list(BLOCKS), 2, [(at("13:32"), at("18:29"))], 0, 1),
                         [{"kind": "full_day", "minutes": 2, "share": 1.0}])

    def test_no_attendance_and_one_half(self):
        self.assertEqual(judge_day(list(BLOCKS), 2, [], 0, 15), [{"kind": "full_day", "minutes": 0, "share": 1.0}])
        morning = [(at("08:55"), at("12:05"))]
        self.assertEqual(judge_day(list(BLOCKS), 2, morning, 0, 15),
                         [{"kind": "half_day", "minutes": 0, "share": 0.5}])
        self.assertEqual(judge_day(list(BLOCKS[1:]), 2, [], 0, 15),
                         [{"kind": "half_day", "minutes": 0, "share": 0.5}],
                         "a half-day leave leaves one block: missing it is half a day")

    def test_missing_checkout_and_overtime(self):
        kinds = [found["kind"] for found in judge_day(list(BLOCKS), 2, [(at("08:50"), None)], 0, 15)]
        self.assertEqual(kinds, ["missing_checkout"])
        self.assertEqual(judge(overtime=1.0)[0], {"kind": "overtime", "minutes": 60, "share": 0})
        self.assertEqual(judge(early=-60, overtime=1.0), [], "stayed the hour owed")

    @settings(deadline=None, max_examples=300)
    @given(st.integers(-120, 600), st.integers(0, 600), st.integers(-120, 600),
           st.integers(0, 30), st.integers(0, 60))
    def test_a_later_arrival_never_costs_less(self, late, more, early, grace, threshold):
        threshold = max(grace, threshold)
        self.assertLessEqual(cost(judge(late, early, grace, threshold)),
                             cost(judge(late + more, early, grace, threshold)))

    @settings(deadline=None, max_examples=300)
    @given(st.integers(-120, 600), st.integers(-120, 600), st.integers(0, 600),
           st.integers(0, 30), st.integers(0, 60))
    def test_an_earlier_departure_never_costs_less(self, late, early, more, grace, threshold):
        threshold = max(grace, threshold)
        self.assertLessEqual(cost(judge(late, early, grace, threshold)),
                             cost(judge(late, early + more, grace, threshold)))

    @settings(deadline=None, max_examples=200)
    @given(st.integers(-600, 1000), st.integers(-600, 1000))
    def test_at_most_one_absence_and_a_share_of_a_day(self, late, early):
        findings = judge(late, early)
        absences = [found for found in findings if found["kind"] in ("half_day", "full_day")]
        self.assertLessEqual(len(absences), 1)
        self.assertIn(sum(found["share"] for found in findings), (0, 0.5, 1.0))
