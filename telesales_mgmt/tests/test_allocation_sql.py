from contextlib import closing

from psycopg2.errors import SerializationFailure

from odoo import sql_db
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..engines import lead_owner_sql
from .common import TelesalesCase

# Every stored field an owner change can touch, and the followers.
COMPARED = ["team_id", "user_id", "company_id", "stage_id", "date_last_stage_update",
            "date_open", "day_open", "probability", "automated_probability", "prorated_revenue",
            "recurring_revenue_prorated", "recurring_revenue_monthly_prorated", "won_status",
            "lead_properties", "write_uid", "message_partner_ids"]


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestOwnerSqlMatchesOrm(TelesalesCase):
    """The one door writes large batches in SQL: the result must be what Odoo's own
    write would give, field by field, and the cache must not serve stale values."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lead = cls.env["crm.lead"]
        stages = cls.env["crm.stage"].search([("is_won", "=", False)], limit=2)
        cls.team_stage = cls.env["crm.stage"].create({"name": "Team 2 only", "team_ids": [cls.team_2.id]})
        # The team has its own scoring data, so moving to it changes the probability.
        cls.env["crm.lead.scoring.frequency"].create([
            {"variable": "stage_id", "value": str(stage.id), "won_count": won, "lost_count": lost,
             "team_id": cls.team.id}
            for stage, won, lost in zip(stages, (30, 5), (10, 40))])
        values = []
        for n in range(lead_owner_sql.BULK_MIN + 10):
            values.append({
                "name": f"Parity {n}", "type": "lead" if n % 3 else "opportunity",
                "stage_id": stages[n % 2].id, "expected_revenue": 1000 + 37 * n,
                "recurring_revenue": 90 + n, "company_id": cls.company.id,
                "team_id": False, "user_id": False,
                "create_date": f"2026-10-{1 + n % 28:02d} 0{n % 10}:15:00"})
        values[0]["stage_id"] = cls.team_stage.id   # a stage the new team cannot use
        values[1]["company_id"] = False              # no company yet
        values[2]["probability"] = 42.0              # set by hand: not automated
        cls.leads = Lead.create(values)
        agents = [cls.user_agent.id, cls.user_agent_2.id]
        cls.owners = {lead.id: (cls.team.id, agents[i % 2], False) for i, lead in enumerate(cls.leads)}

    def _assign(self, full_write):
        self.company.telesales_allocation_full_write = full_write
        self.env.flush_all()
        last_message = self.env["mail.message"].search([], order="id desc", limit=1).id
        try:
            with self.env.cr.savepoint():
                Lead = self.env["crm.lead"].with_context(tracking_disable=False)
                changed = Lead._telesales_set_owners(self.owners, "department", "parity")
                self.assertEqual(sorted(changed), sorted(self.leads.ids))
                # Read through the cache first: the SQL path must have invalidated it.
                values = {lead.id: {name: lead[name] for name in COMPARED} for lead in self.leads}
                self.env.flush_all()
                self.env.cr.precommit.run()  # tracking messages are written at commit
                tracked = self.env["mail.tracking.value"].search_count([
                    ("mail_message_id", ">", last_message), ("field_id.name", "=", "user_id")])
                self.env.invalidate_all()
                fresh = {lead.id: {name: lead[name] for name in COMPARED} for lead in self.leads}
                self.assertEqual(values, fresh, "no stale cache")
                logs = self.env["telesales.allocation.log"].search_count([("lead_id", "in", self.leads.ids)])
                raise _Rollback(values, tracked, logs)
        except _Rollback as done:
            self.env.invalidate_all(flush=False)
            return done.args

    def test_sql_and_orm_give_the_same_leads(self):
        sql, sql_tracked, sql_logs = self._assign(full_write=False)
        orm, orm_tracked, orm_logs = self._assign(full_write=True)
        self.assertEqual(orm_tracked, len(self.leads), "the full write tracks the agent in the chatter")
        self.assertEqual(sql_tracked, 0, "the bulk write does not: it went through SQL")
        self.assertEqual(sql_logs, orm_logs)
        self.assertEqual(sql_logs, len(self.leads))
        for lead in self.leads:
            for name in COMPARED:
                self.assertEqual(sql[lead.id][name], orm[lead.id][name], f"{lead.name}: {name}")
        moved = self.leads[3]
        self.assertNotEqual(sql[moved.id]["automated_probability"], moved.automated_probability,
                            "the new team's scoring data applied")
        self.assertEqual(sql[self.leads[2].id]["probability"], 42.0, "a probability set by hand stays")
        self.assertNotEqual(sql[self.leads[0].id]["stage_id"], self.team_stage, "a usable stage was found")
        self.assertEqual(sql[self.leads[1].id]["company_id"], self.company)
        self.assertIn(self.user_agent.partner_id,
                      sql[moved.id]["message_partner_ids"] | sql[self.leads[4].id]["message_partner_ids"])

    def test_owner_dependents_are_all_handled(self):
        """If Odoo or another module makes a new stored field depend on the owner, the
        bulk path must learn it (or the door falls back to the ORM)."""
        self.assertLessEqual(lead_owner_sql.stored_dependents(self.env),
                             {f"crm.lead.{name}" for name in lead_owner_sql.HANDLED})

    def test_run_skips_leads_changed_since_it_began(self):
        """Odoo's transactions are REPEATABLE READ: locking a lead that another transaction
        changed (a claim, a call) after this one began raises a serialization failure. An
        allocation run skips such leads instead of failing at every retry while agents
        claim from the pool (the flaky system test `test_claims_and_allocation_at_once`)."""
        changed, untouched = self.env["crm.lead"].search(
            [("id", "not in", self.leads.ids)], order="id desc", limit=2)  # committed demo leads
        self.env.cr.execute("SELECT 1")  # this transaction's snapshot is taken
        with closing(sql_db.db_connect(self.env.cr.dbname).cursor()) as other:
            other.execute("SET LOCAL lock_timeout = '10s'")
            other.execute("UPDATE crm_lead SET write_date = write_date WHERE id = %s", [changed.id])
            other.commit()
        with mute_logger("odoo.sql_db"), self.assertRaises(SerializationFailure), self.env.cr.savepoint(flush=False):
            lead_owner_sql.lock(self.env.cr, [changed.id, untouched.id])
        rows = lead_owner_sql.lock(self.env.cr, [changed.id, untouched.id], skip_locked=True)
        self.assertEqual(set(rows), {untouched.id}, "the changed lead is skipped, the other locked")
