from hypothesis import given
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from odoo.addons.telesales_mgmt.engines.kpi import band_score, check_bands, grade, rated_score, score

COMPLAINT_BANDS = [(0, 100), (1, 80), (2, 60), (3, 40)]  # lower is better
CALL_BANDS = [(500, 60), (1000, 80), (1500, 100)]  # higher is better
values = st.floats(-1e6, 1e7, allow_nan=False)
targets = st.floats(0, 1e7, allow_nan=False)
caps = st.floats(1, 300, allow_nan=False)


@st.composite
def monotone_bands(draw, direction):
    """A band table where a better value never earns less (what the model accepts)."""
    thresholds = sorted(set(draw(st.lists(st.integers(0, 2000), min_size=1, max_size=6))))
    points = sorted(draw(st.lists(st.floats(0, 150, allow_nan=False),
                                  min_size=len(thresholds), max_size=len(thresholds))))
    if direction == "lower":
        points.reverse()  # the lowest threshold is the best one
    return list(zip(thresholds, points))


@tagged("post_install", "-at_install")
class TestKpiEngine(BaseCase):
    """R-KPI-2: scoring an indicator, linear to target with a cap or by bands; R-KPI-4: grades."""

    def test_linear_edges(self):
        self.assertEqual(score(100_000, 100_000), 100, "exactly at target: 100")
        self.assertEqual(score(0, 100_000), 0, "zero: 0")
        self.assertEqual(score(50_000, 100_000), 50)
        self.assertEqual(score(119_000, 100_000), 119)
        self.assertEqual(score(500_000, 100_000), 120, "above the cap: the cap")
        self.assertEqual(score(500_000, 100_000, cap=150), 150)
        self.assertEqual(score(-3_000, 100_000), 0, "a negative month (clawbacks) scores 0")
        self.assertEqual(score(0, 0), 100, "a target of 0 is met by any value")
        self.assertEqual(score(None, 100), 0, "no data scores 0")

    def test_lower_is_better(self):
        self.assertEqual(score(30, 30, "lower"), 100, "exactly at target: 100")
        self.assertEqual(score(60, 30, "lower"), 50)
        self.assertEqual(score(20, 30, "lower"), 120, "better than target, capped")
        self.assertEqual(score(0, 30, "lower"), 120, "0 is the best there is: the cap")
        self.assertEqual(score(5, 0, "lower"), 0, "target 0: anything above scores 0")
        self.assertEqual(score(None, 30, "lower"), 0, "no deal, no sales cycle: 0, not the cap")

    def test_band_edges(self):
        for value, expected in ((0, 100), (1, 80), (2, 60), (3, 40), (3.5, 0), (4, 0)):
            with self.subTest(complaints=value):
                self.assertEqual(score(value, 0, "lower", "bands", 120, COMPLAINT_BANDS), expected)
        for value, expected in ((499, 0), (500, 60), (999, 60), (1000, 80), (1500, 100), (9000, 100)):
            with self.subTest(calls=value):
                self.assertEqual(score(value, 0, "higher", "bands", 120, CALL_BANDS), expected)
        self.assertEqual(score(2000, 0, "higher", "bands", 90, CALL_BANDS), 90, "bands are capped too")

    def test_ratings(self):
        self.assertEqual(rated_score(85), 85)
        self.assertEqual(rated_score(150), 120)
        self.assertEqual(rated_score(-5), 0)
        self.assertEqual(rated_score(None), 0)

    def test_band_tables_checked(self):
        self.assertEqual(check_bands("lower", COMPLAINT_BANDS), [])
        self.assertEqual(check_bands("higher", CALL_BANDS), [])
        self.assertEqual(check_bands("higher", COMPLAINT_BANDS), [
            "threshold 1 scores 80, less than 100 at the worse threshold 0",
            "threshold 2 scores 60, less than 80 at the worse threshold 1",
            "threshold 3 scores 40, less than 60 at the worse threshold 2"])
        self.assertIn("two bands have the same threshold", check_bands("higher", [(1, 10), (1, 20)]))
        self.assertIn("a band's score is negative", check_bands("higher", [(1, -10)]))

    def test_grade_edges(self):
        bands = [95, 85, 70, 60]
        for total, expected in ((120, "S"), (95, "S"), (94.99, "A"), (85, "A"), (84.9, "B"), (70, "B"),
                                (69.99, "C"), (60, "C"), (59.99, "D"), (0, "D")):
            with self.subTest(total=total):
                self.assertEqual(grade(total, bands), expected)

    @given(values, values, targets, caps)
    def test_higher_never_scores_less_linear(self, value, other, target, cap):
        low, high = sorted((value, other))
        self.assertLessEqual(score(low, target, cap=cap), score(high, target, cap=cap))
        self.assertLessEqual(score(high, target, "lower", cap=cap), score(low, target, "lower", cap=cap))
        for result in (score(value, target, cap=cap), score(value, target, "lower", cap=cap)):
            self.assertTrue(0 <= result <= cap)

    @given(st.data(), values, values, caps)
    def test_better_never_scores_less_bands(self, data, value, other, cap):
        low, high = sorted((value, other))
        higher = data.draw(monotone_bands("higher"))
        lower = data.draw(monotone_bands("lower"))
        self.assertEqual(check_bands("higher", higher), [])
        self.assertEqual(check_bands("lower", lower), [])
        self.assertLessEqual(score(low, 0, "higher", "bands", cap, higher),
                             score(high, 0, "higher", "bands", cap, higher))
        self.assertLessEqual(score(high, 0, "lower", "bands", cap, lower),
                             score(low, 0, "lower", "bands", cap, lower))
        self.assertIn(band_score(value, "higher", higher), [0.0, *(points for _t, points in higher)])

    @given(st.floats(0, 200, allow_nan=False), st.floats(0, 200, allow_nan=False))
    def test_grade_is_monotone(self, total, other):
        bands = [95, 85, 70, 60]
        low, high = sorted((total, other))
        self.assertGreaterEqual("SABCD".index(grade(low, bands)), "SABCD".index(grade(high, bands)))
