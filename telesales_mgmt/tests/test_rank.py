from psycopg2.errors import CheckViolation

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TelesalesCase


@tagged("post_install", "-at_install")
class TestRankLadder(TelesalesCase):

    def test_default_ladder_is_policy_r_org_3(self):
        ladder = self.env["telesales.rank"].search([("company_id", "in", [False, self.company.id])])
        expected = [
            ("rank_trainee", 1380, 650, 45000, True),
            ("rank_agent_1", 1580, 0, 45000, False),
            ("rank_agent_2", 1780, 0, 90000, False),
            ("rank_agent_3", 1980, 0, 135000, False),
            ("rank_senior_1", 2180, 0, 180000, False),
            ("rank_senior_2", 2380, 0, 210000, False),
        ]
        ranks = self.env["telesales.rank"].browse(
            [self.env.ref(f"telesales_mgmt.{xmlid}").id for xmlid, *_ in expected])
        self.assertEqual(ladder.filtered(lambda r: r in ranks), ranks,
                         "the ladder is ordered from trainee to senior II")
        for rank, (xmlid, pay, allowance, threshold, trainee) in zip(ranks, expected):
            self.assertEqual(
                (rank.base_pay, rank.new_hire_allowance, rank.review_threshold, rank.is_trainee),
                (pay, allowance, threshold, trainee), xmlid)
        self.assertEqual(self.company.telesales_default_rank_id, self.rank_trainee)

    def test_next_rank_walks_up_the_ladder(self):
        self.assertEqual(self.rank_trainee._next_rank(), self.rank_agent_1)
        self.assertEqual(self.rank_agent_1._next_rank(), self.rank_agent_2)
        self.assertFalse(self.rank_senior_2._next_rank())

    def test_negative_amounts_are_refused(self):
        for field in ("base_pay", "new_hire_allowance", "review_threshold"):
            with self.subTest(field=field), mute_logger("odoo.sql_db"), \
                    self.assertRaises(CheckViolation), self.env.cr.savepoint():
                self.rank_agent_1.write({field: -1})
                self.env.flush_all()

    def test_rank_changes_are_kept_in_history(self):
        agent = self.emp_agent
        self.assertEqual(agent.telesales_rank_id, self.rank_trainee, "new agents start as trainees")
        first = agent.telesales_rank_history_ids
        self.assertEqual(first.mapped("direction"), ["initial"])

        agent.with_context(telesales_rank_reason="Q3 review").telesales_rank_id = self.rank_agent_2
        agent.telesales_rank_id = self.rank_agent_1
        history = agent.telesales_rank_history_ids - first
        by_new = {line.new_rank_id: line for line in history}
        self.assertEqual(by_new[self.rank_agent_2].direction, "promote")
        self.assertEqual(by_new[self.rank_agent_2].old_rank_id, self.rank_trainee)
        self.assertEqual(by_new[self.rank_agent_2].reason, "Q3 review")
        self.assertEqual(by_new[self.rank_agent_1].direction, "demote")

        agent.telesales_rank_id = self.rank_agent_1  # unchanged: no line
        self.assertEqual(len(agent.telesales_rank_history_ids), 3)

    def test_rank_change_is_tracked_in_chatter(self):
        agent = self.emp_agent.with_context(tracking_disable=False)
        # Odoo tracks only records that existed before the transaction: act as if the
        # employee had been created in an earlier one.
        self.env.cr.precommit.data.pop("mail.tracking.hr.employee", None)
        agent.telesales_rank_id = self.rank_agent_1
        self.env.flush_all()
        self.env.cr.flush()  # runs the tracking precommit hooks
        tracked = agent.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "telesales_rank_id")
        self.assertTrue(tracked, "the rank change is in the employee's chatter")

    def test_employee_count_smart_button(self):
        self.assertGreaterEqual(self.rank_trainee.employee_count, 3)
        action = self.rank_trainee.action_view_employees()
        self.assertEqual(self.env["hr.employee.public"].search_count(action["domain"]),
                         self.rank_trainee.employee_count)
