from hypothesis import assume, given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from odoo.addons.telesales_mgmt.engines.commission import Band, band_reached, check_bands, commission

# 0-100 % of target at 2 %, 100-150 % at 4 %, above at 6 %.
BANDS = [Band(0, 100, 2), Band(100, 150, 4), Band(150, None, 6)]


@st.composite
def tier_tables(draw):
    edges = sorted(set(draw(st.lists(st.integers(1, 400), min_size=1, max_size=5))))
    rates = draw(st.lists(st.floats(0, 20, allow_nan=False), min_size=len(edges) + 1,
                          max_size=len(edges) + 1))
    lowers = [0, *edges]
    return [Band(lower, upper, rate) for lower, upper, rate in zip(lowers, [*edges, None], rates)]


@tagged("post_install", "-at_install")
class TestCommissionEngine(BaseCase):
    """R-INC-1: tiers on a period total, progressive or whole, behind a gate."""

    def test_progressive_and_whole_at_and_around_the_edges(self):
        target = 10_000
        for total, progressive, whole in (
                (9_999, 0, 0),              # below the 100 % gate: nothing
                (10_000, 200, 400),         # exactly at the gate: band 2 starts at 100 %
                (10_001, 200.04, 400.04),
                (14_999, 399.96, 599.96),
                (15_000, 400, 900),         # 150 %: band 3 reached
                (15_001, 400.06, 900.06),
                (20_000, 700, 1_200)):
            with self.subTest(total=total):
                self.assertEqual(commission(total, target, BANDS, "progressive"), progressive)
                self.assertEqual(commission(total, target, BANDS, "whole"), whole)

    def test_gate(self):
        self.assertEqual(commission(8_000, 10_000, BANDS, gate=80), 160)
        self.assertEqual(commission(7_999, 10_000, BANDS, gate=80), 0)
        self.assertEqual(commission(500, 10_000, BANDS, gate=0), 10)
        self.assertEqual(commission(500, 0, BANDS, gate=100), 0, "no target: no achievement")

    def test_amount_bands(self):
        bands = [Band(0, 5_000, 1), Band(5_000, None, 3)]
        self.assertEqual(commission(8_000, 0, bands, "progressive", "amount", gate=0), 140)
        self.assertEqual(commission(8_000, 0, bands, "whole", "amount", gate=0), 240)
        self.assertEqual(band_reached(5_000, 0, bands, "amount"), 1)

    def test_bad_tables_name_their_rows(self):
        self.assertEqual(check_bands(BANDS), [])
        self.assertEqual(check_bands([Band(0, 100, 2), Band(120, None, 4)]),
                         ["rows 1-2: gap between 100 and 120"])
        self.assertEqual(check_bands([Band(0, 100, 2), Band(90, None, 4)]),
                         ["rows 1-2: overlap from 90 to 100"])
        self.assertIn("row 2: upper bound 50 not above lower bound 100",
                      check_bands([Band(0, 100, 2), Band(100, 50, 4), Band(50, None, 1)]))
        self.assertEqual(check_bands([Band(0, None, -1)]), ["row 1: negative rate -1"])
        self.assertIn("row 1: only the last row may be open-ended",
                      check_bands([Band(0, None, 1), Band(100, None, 2)]))

    @settings(max_examples=200, deadline=None)
    @given(tier_tables(), st.integers(1, 50_000), st.integers(0, 100_000), st.integers(0, 100_000))
    def test_progressive_never_decreases(self, bands, target, a, b):
        low, high = sorted((a, b))
        for gate in (0, 100):
            self.assertLessEqual(commission(low, target, bands, gate=gate),
                                 commission(high, target, bands, gate=gate) + 0.01)

    @settings(max_examples=200, deadline=None)
    @given(tier_tables(), st.integers(1, 50_000), st.integers(1, 100_000))
    def test_progressive_is_continuous(self, bands, target, total):
        # One currency unit more never moves the commission by more than the top rate.
        step = commission(total + 1, target, bands, gate=0) - commission(total, target, bands, gate=0)
        top = max(band.rate for band in bands)
        self.assertLessEqual(step, top / 100 + 0.02)

    @settings(max_examples=200, deadline=None)
    @given(tier_tables(), st.integers(1, 50_000), st.integers(1, 100_000))
    def test_modes_agree_within_the_first_band(self, bands, target, total):
        assume(band_reached(total, target, bands) == 0)
        self.assertEqual(commission(total, target, bands, "progressive", gate=0),
                         commission(total, target, bands, "whole", gate=0))

    @settings(max_examples=100, deadline=None)
    @given(tier_tables(), st.integers(1, 50_000), st.integers(1, 100_000), st.floats(0, 20))
    def test_modes_agree_when_every_band_pays_the_same(self, bands, target, total, rate):
        flat = [Band(band.lower, band.upper, rate) for band in bands]
        self.assertAlmostEqual(commission(total, target, flat, "progressive", gate=0),
                               commission(total, target, flat, "whole", gate=0), delta=0.02)
