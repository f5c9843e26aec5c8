from odoo.tests import BaseCase, tagged

from ..engines import workbench as engine

# Monday's calling windows by default: 09:00-12:00 and 13:30-18:30; cut-off 18:00.
WINDOWS = [(9.0, 12.0), (13.5, 18.5)]


@tagged("post_install", "-at_install")
class TestWorkbenchEngine(BaseCase):
    """The queue's order, the answer-rate hints and the pace, without the ORM."""

    def test_clock(self):
        self.assertEqual((engine.hhmm(9.5), engine.hhmm(14.0), engine.hhmm(None)), ("09:30", "14:00", False))
        self.assertEqual(engine.hhmm(0.0), "00:00", "midnight is a time, not nothing")
        self.assertEqual((engine.minutes_left(17.0, 18.0), engine.minutes_left(18.0, 18.0),
                          engine.minutes_left(17.99, 18.0)), (60, 0, 1))
        self.assertEqual(engine.first_call_state(9.49, 9.5, 10.0), "met")
        self.assertEqual(engine.first_call_state(9.5, 9.5, 10.0), "missed", "at the deadline is late")
        self.assertEqual(engine.first_call_state(None, 9.5, 9.49), "open")
        self.assertEqual(engine.first_call_state(None, 9.5, 9.5), "missed")

    def test_pace(self):
        self.assertEqual(engine.pace_share(WINDOWS, 8.0, 18.0), 0.0)
        self.assertAlmostEqual(engine.pace_share(WINDOWS, 16.0, 18.0), 5.5 / 7.5)
        self.assertAlmostEqual(engine.pace_share(WINDOWS, 12.75, 18.0), 3 / 7.5, msg="the noon rest counts nothing")
        self.assertEqual(engine.pace_share(WINDOWS, 18.2, 18.0), 1.0)
        self.assertEqual(engine.pace_share([], 10.0, 18.0), 0.0)
        self.assertEqual(engine.pace_share([(19.0, 21.0)], 18.0, 18.0), 1.0, "no calling time before the cut-off")

    def test_behind(self):
        share = 5.5 / 7.5
        self.assertEqual(engine.behind_reasons(30, 2.6, "met", "met", 40, 3.5, share), [])
        reasons = engine.behind_reasons(29, 2.5, "missed", "met", 40, 3.5, share)
        self.assertEqual([code for code, *_rest in reasons], ["connected", "talk", "morning"])
        self.assertAlmostEqual(reasons[0][2], 40 * share)
        self.assertEqual(engine.behind_reasons(0, 0, "open", "open", 40, 3.5, 0.0), [], "nothing due yet")

    def test_outlook(self):
        company = {10: (100, 50), 15: (100, 50)}
        x = {10: (3, 3), 15: (3, 0)}
        y = {10: (2, 1), 15: (2, 1)}
        rate_x, hint_x, source_x = engine.outlook(x, {}, company, 10)
        rate_y, _hint, _source = engine.outlook(y, {}, company, 10)
        self.assertGreater(rate_x, rate_y)
        self.assertEqual((hint_x, source_x), (10, "customer"))
        self.assertLess(engine.outlook(x, {}, company, 15)[0], engine.outlook(y, {}, company, 15)[0])
        # One answered call does not outrank nine of ten.
        self.assertGreater(engine.outlook({10: (10, 9)}, {}, company, 10)[0],
                           engine.outlook({10: (1, 1)}, {}, company, 10)[0])
        # No history: the segment's rate and hint, from MIN_SEGMENT_CALLS calls at the hour.
        segment = {11: (engine.MIN_SEGMENT_CALLS, 4), 16: (engine.MIN_SEGMENT_CALLS - 1, 4)}
        rate, hint, source = engine.outlook({}, segment, company, 11)
        self.assertEqual((hint, source), (11, "segment"))
        self.assertAlmostEqual(rate, engine.smooth(4, engine.MIN_SEGMENT_CALLS, 0.0))
        self.assertEqual(engine.outlook({}, {}, company, 10), (0.5, None, False))
        self.assertEqual(engine.outlook({}, {}, {}, 10), (0.0, None, False))

    def test_best_hour_ties(self):
        self.assertEqual(engine.best_hour({10: (2, 1), 14: (4, 2)}), 14, "same share: more answers")
        self.assertEqual(engine.best_hour({10: (2, 1), 14: (2, 1)}), 10, "then the earlier hour")
        self.assertIsNone(engine.best_hour({10: (5, 0)}), "never answered: no hint")

    def test_queue_order(self):
        def row(lead_id, group, **values):
            return {"lead_id": lead_id, "group": group, **values}
        rows = [
            row(1, "other", grade="c", rate=0.9), row(2, "other", grade="a", rate=0.1),
            row(3, "other", grade="a", rate=0.5), row(4, "other", grade="a", rate=0.9, planned_later=True),
            row(5, "new", grade="c", rate=0.2), row(6, "new", grade="a", rate=0.1),
            row(7, "due", rate=0.1), row(8, "overdue", rate=0.0), row(9, "overdue", rate=0.9, blocked="approval"),
            row(10, "other", grade="a", intent="high", rate=0.0),
        ]
        self.assertEqual([r["lead_id"] for r in engine.order_queue(rows)], [8, 9, 7, 5, 6, 10, 3, 2, 1, 4])
        ties = [row(12, "other", rate=0.5), row(11, "other", rate=0.5),
                row(13, "other", rate=0.5, last_call="2026-11-01 09:00:00")]
        self.assertEqual([r["lead_id"] for r in engine.order_queue(ties)], [11, 12, 13], "never called first, then id")
        self.assertEqual(engine.order_queue([]), [])
        self.assertEqual(len(engine.order_queue([row(n, "other") for n in range(80)])), engine.QUEUE_SIZE)
