from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import TelesalesCase


@tagged("post_install", "-at_install")
class TestTranslation(TelesalesCase):
    """zh_CN users see the department's own words, in data and in error messages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["telesales_mgmt"], ["zh_CN"], overwrite=True)

    def test_rank_names_in_chinese(self):
        self.assertEqual(self.rank_trainee.with_context(lang="zh_CN").name, "见习专员")
        self.assertEqual(self.rank_senior_2.with_context(lang="zh_CN").name, "主任二级")

    def test_error_message_in_chinese(self):
        Employee = self.env["hr.employee"].with_context(lang="zh_CN")
        with self.assertRaisesText(ValidationError, "必须关联用户"):
            Employee.create({"name": "无用户", "telesales_role": "agent"})
        with self.assertRaisesText(ValidationError, "必须是小组 T-Team 2 的成员"):
            self.team_2.with_context(lang="zh_CN").user_id = self.user_leader

    def test_call_terms_in_chinese(self):
        stages = dict(self.env["telesales.call"].with_context(lang="zh_CN")._fields["stage"]
                      ._description_selection(self.env(context={"lang": "zh_CN"})))
        self.assertEqual(stages["objection"], "异议处理")
        with self.assertRaisesText(ValidationError, "跟进计划"):
            self.env["telesales.call"].with_context(lang="zh_CN").create(
                {"user_id": self.env.uid, "outcome": "no_answer", "company_id": self.company.id})

    def test_follow_up_labels_in_chinese(self):
        # "By" is the channel (phone, SMS, ...), not a person; "Action" is what to do.
        labels = self.env["telesales.call"].with_context(lang="zh_CN").fields_get(["plan_channel", "plan_action"])
        self.assertEqual(labels["plan_channel"]["string"], "跟进方式")
        self.assertEqual(labels["plan_action"]["string"], "跟进事项")

    def test_lead_sources_in_chinese(self):
        marketing = self.env.ref("telesales_mgmt.utm_source_marketing")
        self.assertEqual(marketing.with_context(lang="zh_CN").display_name, "市场部")
        self.assertEqual(marketing.with_context(lang="en_US").display_name, "Marketing Department")
        # The unique key users of the website and mailings match on stays as it was.
        self.assertEqual(marketing.name, "Marketing Department (市场部)")
        found = self.env["utm.source"].with_context(lang="zh_CN").name_search("市场部")
        self.assertIn(marketing.id, [source_id for source_id, _name in found])
