from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import TelesalesCase


@tagged("post_install", "-at_install")
class TestSettings(TelesalesCase):

    def test_settings_set_department_and_starting_rank(self):
        department = self.env["hr.department"].create({"name": "电销部"})
        with Form(self.env["res.config.settings"]) as settings:
            settings.telesales_department_id = department
            settings.telesales_default_rank_id = self.rank_agent_1
        self.assertEqual(self.company.telesales_department_id, department)
        self.assertEqual(self.company.telesales_default_rank_id, self.rank_agent_1)
        user = self.user_outsider
        user.group_ids = [(4, self.env.ref("telesales_mgmt.group_telesales_agent").id)]
        self.emp_outsider.telesales_role = "agent"
        self.assertEqual(self.emp_outsider.telesales_rank_id, self.rank_agent_1)

    def test_settings_view_has_telesales_app(self):
        arch = self.env["res.config.settings"].get_view(view_type="form")["arch"]
        self.assertIn('name="telesales_mgmt"', arch)
        self.assertIn('telesales_default_rank_id', arch)

    def test_allocation_frequency_drives_the_cron(self):
        cron = self.env.ref("telesales_mgmt.ir_cron_allocate_leads")
        settings = Form(self.env["res.config.settings"])
        self.assertEqual((settings.telesales_allocation_interval_number,
                          settings.telesales_allocation_interval_type), (1, "hours"))
        settings.telesales_allocation_interval_number = 30
        settings.telesales_allocation_interval_type = "minutes"
        settings.save().execute()
        self.assertEqual((cron.interval_number, cron.interval_type), (30, "minutes"))
        settings = self.env["res.config.settings"].create({"telesales_allocation_interval_number": 0})
        with self.assertRaisesText(UserError, "Allocate Every: give a number from 1 to 99"):
            settings.execute()
        self.assertEqual(cron.interval_number, 30)

    def test_telesales_administrator_sets_the_rules_and_nothing_else(self):
        """Issue 13: the telesales administrator, who is no Odoo administrator, changes the
        department's rules from Telesales › Configuration › Settings, and only those."""
        admin = self.user_admin
        self.assertFalse(admin._is_admin())
        Settings = self.env["res.config.settings"].with_user(admin).with_context(telesales_settings_only=True)
        arch = Settings.get_view(view_type="form")["arch"]
        self.assertIn('name="telesales_mgmt"', arch)
        self.assertNotIn('name="crm"', arch, "the other apps stay the administrators'")
        with Form(Settings) as settings:
            settings.telesales_no_progress_limit = 7
            settings.telesales_allocation_interval_number = 2
        settings.record.execute()
        self.assertEqual(self.company.telesales_no_progress_limit, 7)
        self.assertEqual(self.env.ref("telesales_mgmt.ir_cron_allocate_leads").interval_number, 2)
        with self.assertRaisesText(AccessError, "Only Odoo administrators change"):
            Settings.create({"group_multi_currency": not self.env.user.has_group("base.group_multi_currency")})
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.user_manager).create({"telesales_no_progress_limit": 1})
