from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TelesalesCase
from .cron_common import CronBatchesMixin


@tagged("post_install", "-at_install")
@freeze_time("2026-11-25 12:00:00")
class TestCustomerGrade(CronBatchesMixin, TelesalesCase):
    """R-LEAD-3: grades suggested from won deals (amount, count, recency), set by hand by
    leaders only, shown on leads."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"telesales_grade_recency_days": 365, "telesales_grade_a_amount": 50000,
                           "telesales_grade_a_deals": 3, "telesales_grade_b_amount": 10000,
                           "telesales_grade_b_deals": 1})
        cls.big, cls.small, cls.new = cls.env["res.partner"].create(
            [{"name": "Big buyer"}, {"name": "Small buyer"}, {"name": "Prospect"}])

    def _won(self, partner, amount, days_ago=10):
        lead = self.env["crm.lead"].create({"name": f"Deal {partner.name}", "type": "opportunity",
                                            "partner_id": partner.id, "expected_revenue": amount})
        lead.action_set_won()
        lead.date_closed = f"2026-11-{25 - days_ago:02d} 00:00:00" if days_ago < 25 else "2024-01-01 00:00:00"
        return lead

    def test_thresholds(self):
        self._won(self.big, 50000)          # exactly the A amount
        self._won(self.small, 9999)         # one deal: B by count
        partners = self.big | self.small | self.new
        self.assertEqual(partners.mapped("telesales_grade_suggested"), ["a", "b", "c"])

    def test_old_deals_do_not_count(self):
        self._won(self.big, 80000, days_ago=700)
        self.assertEqual(self.big.telesales_grade_suggested, "c")

    def test_cron_applies_but_keeps_manual_grades(self):
        lead = self._won(self.big, 60000)
        self._won(self.small, 20000)
        self.small.with_user(self.user_leader).telesales_grade = "a"  # the leader knows better
        self.env["res.partner"]._cron_suggest_grades()
        self.assertEqual(self.big.telesales_grade, "a")
        self.assertEqual(self.small.telesales_grade, "a", "a grade set by hand stays")
        self.assertEqual(lead.telesales_grade, "a", "the lead shows its customer's grade")
        self.small.with_user(self.user_leader).action_telesales_apply_suggested_grade()
        self.assertEqual(self.small.telesales_grade, "b")

    def test_cron_in_batches_resumes(self):
        buyers = self.env["res.partner"].create([{"name": f"Buyer {n}"} for n in range(5)])
        for buyer in buyers:
            self._won(buyer, 60000)
        customers = self.env["crm.lead"].search([("partner_id", "!=", False)]).partner_id.sorted("id")
        self._assert_resumes(lambda **kw: self.env["res.partner"]._cron_suggest_grades(**kw),
                             lambda: customers.mapped("telesales_grade"))

    def test_only_leaders_grade_by_hand(self):
        with self.assertRaisesText(UserError, "Only a team leader or the manager"):
            self.new.with_user(self.user_agent).telesales_grade = "a"
