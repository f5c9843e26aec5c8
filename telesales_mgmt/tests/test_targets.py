from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from . import test_commission
from .common import TelesalesCase

YEAR = 2031  # no demo data in it, nor in the year before


@tagged("post_install", "-at_install")
class TestTargets(TelesalesCase):
    """R-KPI-1: a year's target broken down to quarters, months, teams and agents, each
    level adding up; achievement on the commission basis; who plans and who splits."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["telesales.target.plan"]
        cls.Target = cls.env["telesales.sales.target"]
        for employee in (cls.emp_agent, cls.emp_agent_2, cls.emp_agent_other):
            employee.telesales_rank_id = cls.rank_agent_1

    def _plan(self, amount, year=YEAR, **values):
        return self.Plan.with_user(self.user_manager).create({
            "year": year, "amount": amount, "basis": "won_revenue", "team_ids": [self.team.id, self.team_2.id],
            **values})

    def _targets(self, plan, user):
        return {t.month: t.amount for t in plan.target_ids.filtered(lambda t: t.user_id == user)}

    def _lines(self, plan, level, team=None):
        return plan.line_ids.filtered(lambda line: line.level == level and (not team or line.team_id == team))

    def _team_month(self, plan, team, month):
        return self._lines(plan, "team", team).filtered(lambda line: line.month == month)

    # The commission tests' deals: a won opportunity, a confirmed order.
    _commission_win = test_commission.TestCommission._win
    _commission_order = test_commission.TestCommission._order

    def _win(self, amount, when, user=None):
        return self._commission_win(amount, user=user, when=when)

    def _order(self, price, when, user=None):
        return self._commission_order(price, 0, user=user, when=when)

    def assertAddsUp(self, plan):
        """Every level adds up to the cent, in integers."""
        def cents(amount):
            return round(amount * 100)
        lines = plan.line_ids
        quarters = self._lines(plan, "quarter")
        self.assertEqual(sum(cents(q.amount) for q in quarters), cents(plan.amount))
        for quarter in quarters:
            self.assertEqual(sum(cents(m.amount) for m in self._lines(plan, "month")
                                 if m.quarter == quarter.quarter), cents(quarter.amount))
        for month in self._lines(plan, "month"):
            self.assertEqual(sum(cents(t.amount) for t in self._lines(plan, "team") if t.month == month.month),
                             cents(month.amount))
        for team_month in self._lines(plan, "team"):
            self.assertEqual(sum(cents(t.amount) for t in plan.target_ids
                                 if t.team_id == team_month.team_id and t.month == team_month.month),
                             cents(team_month.amount), team_month.display_name)
        self.assertFalse(lines.filtered("difference"))
        self.assertFalse(plan.has_mismatch, plan.mismatch_note)

    # ------------------------------------------------------------ break-downs
    def test_split_evenly_adds_up_with_the_remainder_last(self):
        plan = self._plan(1000.01)
        plan.action_split_even()
        self.assertAddsUp(plan)
        months = self._lines(plan, "month").sorted("month")
        self.assertEqual(months.mapped("amount"), [83.33] * 11 + [83.38], "the remainder on December")
        self.assertEqual(self._lines(plan, "quarter").sorted("quarter").mapped("amount"),
                         [249.99, 249.99, 249.99, 250.04])
        january = date(YEAR, 1, 1)
        # Evenly per agent: team 1 has two agents, team 2 one.
        self.assertEqual(self._team_month(plan, self.team, january).amount, 55.55)
        self.assertEqual(self._team_month(plan, self.team_2, january).amount, 27.78)
        self.assertEqual(self._targets(plan, self.user_agent)[january], 27.77)
        self.assertEqual(self._targets(plan, self.user_agent_2)[january], 27.78, "the remainder on the last agent")
        self.assertEqual(len(plan.target_ids), 36)
        plan.action_confirm()
        self.assertEqual(plan.state, "confirmed")

    def test_split_takes_in_targets_already_set(self):
        existing = self.Target.create({"user_id": self.user_agent.id, "month": date(YEAR, 3, 1), "amount": 5})
        self.assertFalse(existing.plan_id)
        plan = self._plan(1200)
        plan.action_split_even()
        self.assertEqual(existing.plan_id, plan)
        self.assertEqual(existing.amount, 33.33)
        self.assertAddsUp(plan)

    def test_split_by_last_years_months(self):
        self._win(3000, f"{YEAR - 1}-03-10 03:00:00")
        self._win(1000, f"{YEAR - 1}-07-20 03:00:00", user=self.user_agent_other)
        self._order(99_000, f"{YEAR - 1}-05-10 03:00:00")  # not on the plan's basis
        plan = self._plan(1000.03)
        plan.action_split_seasonal()
        self.assertEqual(plan.month_split, "seasonal")
        months = {line.month.month: line.amount for line in self._lines(plan, "month")}
        self.assertEqual(months, {**dict.fromkeys(range(1, 13), 0.0), 3: 750.02, 7: 250.01},
                         "three to one like last year, the remainder on the last month sold")
        self.assertAddsUp(plan)
        plan.basis = "order_untaxed"
        plan.action_split_seasonal()
        self.assertEqual({line.month.month: line.amount for line in self._lines(plan, "month") if line.amount},
                         {5: 1000.03}, "on confirmed orders, May was last year's only month")

    def test_split_by_season_without_last_year_is_even(self):
        plan = self._plan(1200)
        plan.action_split_seasonal()
        self.assertEqual(self._lines(plan, "month").mapped("amount"), [100.0] * 12)
        self.assertAddsUp(plan)

    def test_split_by_rank_weight(self):
        self.rank_senior_2.target_weight = 2.0
        self.emp_agent_2.telesales_rank_id = self.rank_senior_2
        plan = self._plan(1200)
        plan.action_split_rank()
        january = date(YEAR, 1, 1)
        self.assertEqual(self._team_month(plan, self.team, january).amount, 75,
                         "weights 1 + 2 against team 2's 1")
        self.assertEqual(self._targets(plan, self.user_agent)[january], 25)
        self.assertEqual(self._targets(plan, self.user_agent_2)[january], 50)
        self.assertEqual(self._targets(plan, self.user_agent_other)[january], 25)
        self.assertAddsUp(plan)
        plan.amount = 1000
        plan.action_split_rank()
        self.assertAddsUp(plan)
        self.assertEqual(self._targets(plan, self.user_agent_2)[january], 41.66)

    def test_rank_weight_defaults_to_one(self):
        rank = self.env["telesales.rank"].create({"name": "New", "base_pay": 1})
        self.assertEqual(rank.target_weight, 1.0)

    def test_copy_last_year(self):
        last = self._plan(1200, year=YEAR - 1)
        last.action_split_rank()
        self.Target.with_user(self.user_manager).search(
            [("plan_id", "=", last.id), ("user_id", "=", self.user_agent.id)])[:1].amount -= 10
        self.Target.with_user(self.user_manager).search(
            [("plan_id", "=", last.id), ("user_id", "=", self.user_agent_2.id)])[:1].amount += 10
        last.action_confirm()
        plan = self._plan(0, team_ids=[])
        plan.action_copy_last_year()
        self.assertEqual((plan.amount, plan.agent_split, plan.team_ids), (1200, "rank", self.team | self.team_2))
        self.assertEqual(len(plan.line_ids), len(last.line_ids))
        self.assertEqual(sorted((line.level, line.quarter, line.team_id.id, line.month, line.amount)
                                for line in plan.line_ids),
                         sorted((line.level, line.quarter, line.team_id.id,
                                 line.month and line.month.replace(year=YEAR), line.amount) for line in last.line_ids))
        for user in (self.user_agent, self.user_agent_2, self.user_agent_other):
            self.assertEqual(self._targets(plan, user),
                             {month.replace(year=YEAR): amount for month, amount in self._targets(last, user).items()},
                             "the agents' own split too, not a new one")
        self.assertAddsUp(plan)
        self.assertEqual(last.state, "confirmed")

    def test_copy_last_year_shows_a_moved_agent(self):
        last = self._plan(1200, year=YEAR - 1)
        last.action_split_even()
        self.emp_agent_other.telesales_team_id = self.team
        plan = self._plan(0)
        plan.action_copy_last_year()
        self.assertTrue(plan.has_mismatch)
        self.assertIn(f"The agents of team T-Team 2 in {YEAR}-01 add up to", plan.mismatch_note)
        with self.assertRaisesText(UserError, "cannot be confirmed"):
            plan.action_confirm()

    def test_copy_last_year_needs_one(self):
        with self.assertRaisesText(UserError, f"no target plan for {YEAR - 1}"):
            self._plan(100).action_copy_last_year()

    # ------------------------------------------------------------ mismatches
    def test_mismatch_shown_and_refused_on_confirm(self):
        plan = self._plan(1200)
        plan.action_split_even()
        target = plan.target_ids.filtered(lambda t: t.user_id == self.user_agent and t.month == date(YEAR, 2, 1))
        target.with_user(self.user_manager).amount += 1
        line = self._team_month(plan, self.team, date(YEAR, 2, 1))
        self.assertEqual((line.breakdown_amount, line.amount, line.difference), (67.66, 66.66, 1))
        self.assertTrue(plan.has_mismatch)
        with self.assertRaisesText(UserError, f"The agents of team T-Team 1 in {YEAR}-02 add up to") as catcher:
            plan.with_user(self.user_manager).action_confirm()
        message = str(catcher.exception)
        self.assertRegex(message, r"add up to \S*\s?67\.66\S*, expected \S*\s?66\.66")
        target.with_user(self.user_manager).amount -= 1
        self._lines(plan, "quarter").filtered(lambda q: q.quarter == 2).with_user(self.user_manager).amount = 299
        with self.assertRaisesText(UserError, "The months of Q2 add up to"):
            plan.with_user(self.user_manager).action_confirm()
        self._lines(plan, "quarter").filtered(lambda q: q.quarter == 2).with_user(self.user_manager).amount = 300
        plan.with_user(self.user_manager).amount = 1300
        with self.assertRaisesText(UserError, f"The quarters of {YEAR} add up to"):
            plan.with_user(self.user_manager).action_confirm()
        self.assertEqual(plan.state, "draft")

    def test_a_team_outside_the_plan_keeps_its_targets_outside(self):
        """The year's plan shares out to its teams only: another team's targets do not
        join it (nor meet its team limits)."""
        plan = self._plan(1200, team_ids=[self.team_2.id])
        plan.with_user(self.user_manager).action_split_even()
        plan.with_user(self.user_manager).action_confirm()
        outside = self.Target.create({"user_id": self.user_agent.id, "month": f"{YEAR}-11-01", "amount": 20_000})
        self.assertFalse(outside.plan_id)
        inside = self.Target.search([("user_id", "=", self.user_agent_other.id), ("month", "=", f"{YEAR}-11-01")])
        self.assertEqual(inside.plan_id, plan)

    def test_empty_plan_is_refused(self):
        with self.assertRaisesText(UserError, f"The quarters of {YEAR} add up to"):
            self._plan(500).action_confirm()

    # ------------------------------------------------------------ achievement
    def test_achievement_on_won_deals_and_on_orders(self):
        plan = self._plan(3600)
        plan.action_split_even()
        plan.action_confirm()
        february = date(YEAR, 2, 1)
        self._win(500, f"{YEAR}-02-10 03:00:00")
        self._win(700, f"{YEAR}-03-10 03:00:00", user=self.user_agent_other)
        self._order(800, f"{YEAR}-02-12 03:00:00")
        target = plan.target_ids.filtered(lambda t: t.user_id == self.user_agent and t.month == february)
        team_line = self._team_month(plan, self.team, february)
        month_line = self._lines(plan, "month").filtered(lambda line: line.month == february)
        quarter_line = self._lines(plan, "quarter").filtered(lambda line: line.quarter == 1)
        self.assertEqual((target.amount, target.achieved_amount, target.achievement), (100, 500, 500))
        self.assertEqual((team_line.achieved_amount, month_line.achieved_amount, quarter_line.achieved_amount),
                         (500, 500, 1200))
        self.assertEqual(plan.achieved_amount, 1200)
        self.assertAlmostEqual(plan.achievement, 33.3, places=1)
        report = self.env["telesales.target.achievement"].search([("target_id", "=", target.id)])
        self.assertEqual((report.achieved_amount, report.target_amount, report.basis), (500, 100, "won_revenue"))
        plan.action_draft()
        plan.basis = "order_untaxed"
        self.env.invalidate_all()
        self.assertEqual((target.achieved_amount, team_line.achieved_amount, plan.achieved_amount), (800, 800, 800))
        report = self.env["telesales.target.achievement"].search([("target_id", "=", target.id)])
        self.assertEqual((report.achieved_amount, report.basis), (800, "order_untaxed"))

    def test_achievement_without_plan_follows_the_commission_plan(self):
        self.env["telesales.commission.plan"].search([]).active = False
        self.env["telesales.commission.plan"].create({"name": "Orders", "basis": "order_untaxed",
                                                      "team_ids": [self.team.id]})
        target = self.Target.create({"user_id": self.user_agent.id, "month": date(YEAR, 4, 1), "amount": 1000})
        self._win(300, f"{YEAR}-04-10 03:00:00")
        self._order(400, f"{YEAR}-04-11 03:00:00")
        self._order(900, f"{YEAR}-05-11 03:00:00")  # next month
        self.assertEqual((target.achieved_amount, target.achievement), (400, 40))
        self.assertEqual(self.env["telesales.target.achievement"].search([("target_id", "=", target.id)])
                         .achieved_amount, 400)

    # ------------------------------------------------------------ rights
    def test_agent_reads_own_targets_only(self):
        plan = self._plan(1200)
        plan.action_split_even()
        Target = self.Target.with_user(self.user_agent)
        mine = Target.search([("month", ">=", date(YEAR, 1, 1))])
        self.assertEqual(mine.user_id, self.user_agent)
        self.assertEqual(len(mine), 12)
        self.assertEqual(mine.read(["achieved_amount", "plan_id"])[0]["plan_id"][0], plan.id)
        with self.assertRaises(AccessError):
            mine[:1].write({"amount": 1})
        with self.assertRaises(AccessError):
            Target.create({"user_id": self.user_agent.id, "month": date(YEAR + 1, 1, 1), "amount": 1})
        with self.assertRaises(AccessError):
            mine[:1].unlink()
        with self.assertRaises(AccessError):
            self.Plan.with_user(self.user_agent).browse(plan.id).read(["amount"])
        with self.assertRaises(AccessError):
            self.env["telesales.target.plan.line"].with_user(self.user_agent).search([])
        report = self.env["telesales.target.achievement"].with_user(self.user_agent).search(
            [("month", ">=", date(YEAR, 1, 1))])
        self.assertEqual(report.user_id, self.user_agent)

    def test_leader_splits_own_team_within_its_amount(self):
        plan = self._plan(1200)
        plan.action_split_even()
        plan.action_confirm()
        january = date(YEAR, 1, 1)
        Target = self.Target.with_user(self.user_leader)
        team_targets = Target.search([("plan_id", "=", plan.id), ("month", "=", january)])
        self.assertEqual(team_targets.user_id, self.user_agent | self.user_agent_2, "their team's only")
        first = team_targets.filtered(lambda t: t.user_id == self.user_agent)
        second = team_targets - first
        second.amount = 0
        first.amount = 66.66  # the whole team's month
        self.assertEqual(first.amount, 66.66)
        with self.assertRaisesText(UserError, "more than the team's"):
            second.amount = 0.01
        with self.assertRaisesText(UserError, "Only the department manager moves a planned target"):
            second.user_id = self.user_agent_other
        other = self.Target.search([("plan_id", "=", plan.id), ("user_id", "=", self.user_agent_other.id)])[:1]
        with self.assertRaises(AccessError):
            other.with_user(self.user_leader).write({"amount": 1})
        new_month = Target.create({"user_id": self.user_agent.id, "month": date(YEAR + 5, 1, 1), "amount": 9})
        self.assertFalse(new_month.plan_id, "no plan that year: no limit")
        # The plan itself: read, never written.
        leader_plan = self.Plan.with_user(self.user_leader).browse(plan.id)
        self.assertEqual(leader_plan.amount, 1200)
        lines = self.env["telesales.target.plan.line"].with_user(self.user_leader).search([("plan_id", "=", plan.id)])
        self.assertEqual(lines.filtered(lambda line: line.level == "team").team_id, self.team)
        self.assertEqual(len(lines), 4 + 12 + 12)
        with self.assertRaises(AccessError):
            leader_plan.write({"amount": 1})
        with self.assertRaises(AccessError):
            leader_plan.action_draft()
        with self.assertRaises(AccessError):
            leader_plan.unlink()
        with self.assertRaises(AccessError):
            lines[:1].write({"amount": 1})
        with self.assertRaises(AccessError):
            self.Plan.with_user(self.user_leader).create({"year": YEAR + 3, "amount": 1})

    def test_leader_cannot_break_down(self):
        plan = self._plan(1200)
        with self.assertRaises(AccessError):
            plan.with_user(self.user_leader).action_split_even()
        with self.assertRaises(AccessError):
            plan.with_user(self.user_leader).action_confirm()
        self.assertFalse(plan.line_ids)

    def test_manager_and_admin_plan_a_confirmed_year_stays(self):
        plan = self._plan(1200)
        plan.action_split_even()
        plan.with_user(self.user_admin).action_confirm()
        self.assertEqual(plan.state, "confirmed")
        with self.assertRaisesText(UserError, "reset it to draft"):
            plan.with_user(self.user_manager).amount = 1300
        with self.assertRaisesText(UserError, "reset it to draft"):
            plan.line_ids[:1].with_user(self.user_manager).amount = 1
        with self.assertRaisesText(UserError, "reset it to draft"):
            plan.with_user(self.user_manager).action_split_even()
        with self.assertRaisesText(UserError, "reset it to draft"):
            plan.with_user(self.user_manager).unlink()
        target = plan.target_ids[:1]
        with self.assertRaisesText(UserError, "more than the team's"):
            target.with_user(self.user_manager).amount += 1
        plan.with_user(self.user_manager).action_draft()
        plan.with_user(self.user_manager).amount = 1300
        self.assertTrue(plan.has_mismatch)
