import json
from datetime import datetime, time, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tests import tagged
from odoo.tools import file_open

from ..models.telesales_call import STAGE_RANK
from ..report.telesales_call_talk_time import TALK_BUCKETS
from .common import TelesalesCase

DASHBOARD_FILE = "telesales_mgmt/data/dashboards/telesales_dashboard.json"
# The dashboard's default period ("last_90_days"), as the spreadsheet applies it.
DEFAULT_DAYS = 90


@tagged("post_install", "-at_install")
class TestDashboard(TelesalesCase):
    """The Telesales dashboard in Odoo's Dashboards app (issue 17): the manager opens it
    and every figure has data with the demo; agents and leaders are not offered it. Its
    reports (call funnel, talk time, lead flows) count what the ORM counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref("telesales_mgmt.spreadsheet_dashboard_telesales")
        cls.ts_manager = cls.env.ref("telesales_mgmt.user_ts_manager")
        cls.ts_leader1 = cls.env.ref("telesales_mgmt.user_ts_leader1")
        cls.ts_agent1 = cls.env.ref("telesales_mgmt.user_ts_agent1")
        cls.ts_agent3 = cls.env.ref("telesales_mgmt.user_ts_agent3")
        with file_open(DASHBOARD_FILE) as f:
            cls.spreadsheet = json.load(f)

    # -- who gets it ------------------------------------------------------------------

    def test_dashboard_is_for_the_manager(self):
        self.assertEqual(self.dashboard.group_ids, self.env.ref("telesales_mgmt.group_telesales_manager")
                         | self.env.ref("telesales_mgmt.group_telesales_admin"))
        self.assertTrue(self.dashboard.is_published)
        self.assertEqual(json.loads(self.dashboard.spreadsheet_data), self.spreadsheet,
                         "the record holds the shipped file")

    def test_manager_opens_the_dashboard(self):
        for user in (self.ts_manager, self.user_manager, self.user_admin):
            with self.subTest(user=user.login):
                dashboard = self.dashboard.with_user(user)
                groups = self.env["spreadsheet.dashboard.group"].with_user(user).search(
                    [("published_dashboard_ids", "!=", False)])
                self.assertIn(dashboard, groups.published_dashboard_ids, "offered in the Dashboards app")
                self.assertFalse(dashboard._dashboard_is_empty())
                data = json.loads(dashboard._get_serialized_readonly_dashboard())
                self.assertEqual([sheet["name"] for sheet in data["snapshot"]["sheets"]], ["Dashboard", "Data"])
                self.assertEqual(data["translation_namespace"], "telesales_mgmt",
                                 "its _t() terms are looked up in this module's translations")

    def test_agents_and_leaders_are_refused(self):
        for user in (self.ts_agent1, self.ts_agent3, self.ts_leader1, self.user_agent, self.user_leader):
            with self.subTest(user=user.login):
                Dashboard = self.env["spreadsheet.dashboard"].with_user(user)
                self.assertFalse(Dashboard.search([("id", "=", self.dashboard.id)]))
                groups = self.env["spreadsheet.dashboard.group"].with_user(user).search(
                    [("published_dashboard_ids", "!=", False)])
                self.assertNotIn(self.dashboard.id, groups.published_dashboard_ids.ids)
                dashboard = self.dashboard.with_user(user)
                with self.assertRaises(AccessError):
                    dashboard.check_access("read")
                with self.assertRaises(AccessError):
                    dashboard.read(["name", "spreadsheet_data"])
                # The file is an attachment of the dashboard: whoever cannot read the
                # dashboard gets no content (Odoo's route then answers with an error).
                self.assertFalse(dashboard.spreadsheet_data)

    # -- what it shows --------------------------------------------------------------------

    def _sources(self):
        """(name, model, domain, groupby, aggregates, field matching) of every pivot and
        Odoo chart of the spreadsheet."""
        for pivot in self.spreadsheet["pivots"].values():
            groupby = [f"{d['fieldName']}:{d['granularity']}" if d.get("granularity") else d["fieldName"]
                       for d in pivot["rows"] + pivot["columns"]]
            aggregates = ["__count" if m["fieldName"] == "__count" else f"{m['fieldName']}:{m['aggregator']}"
                          for m in pivot["measures"]]
            yield pivot["name"], pivot["model"], pivot["domain"], groupby, aggregates, pivot["fieldMatching"]
        for sheet in self.spreadsheet["sheets"]:
            for figure in sheet["figures"]:
                chart = figure["data"]
                if not chart["type"].startswith("odoo_"):
                    continue
                meta = chart["metaData"]
                measure = meta["measure"] if meta["measure"] == "__count" else f"{meta['measure']}:sum"
                yield (figure["id"], meta["resModel"], chart["searchParams"]["domain"], meta["groupBy"],
                       [measure], chart["fieldMatching"])

    def _period_domain(self, model, matching):
        """The default global filters: the last 90 days on each source's date field, no team."""
        filters = {f["id"]: f for f in self.spreadsheet["globalFilters"]}
        today = fields.Date.context_today(self.env["res.users"].with_user(self.ts_manager))
        domain = Domain.TRUE
        for filter_id, match in matching.items():
            if filters[filter_id]["type"] != "date":
                continue
            self.assertEqual(filters[filter_id]["defaultValue"], "last_90_days")
            start = today - timedelta(days=DEFAULT_DAYS - 1) + timedelta(days=DEFAULT_DAYS * match.get("offset", 0))
            end = start + timedelta(days=DEFAULT_DAYS - 1)
            if match["type"] == "datetime":
                start, end = datetime.combine(start, time.min), datetime.combine(end, time.max)
            domain &= Domain(match["chain"], ">=", start) & Domain(match["chain"], "<=", end)
        return domain

    def test_filters_match_real_fields(self):
        filters = {f["id"]: f for f in self.spreadsheet["globalFilters"]}
        self.assertEqual({f["label"] for f in filters.values()}, {"Period", "Team"})
        for name, model, _domain, groupby, _aggregates, matching in self._sources():
            with self.subTest(source=name):
                Model = self.env[model]
                for spec in groupby:
                    self.assertIn(spec.split(":")[0], Model._fields)
                for filter_id, match in matching.items():
                    field = Model._fields[match["chain"]]
                    expected = "many2one" if filters[filter_id]["type"] == "relation" else field.type
                    self.assertEqual(match["type"], expected, match)
                    if match["type"] == "many2one":
                        self.assertEqual(field.comodel_name, filters[filter_id]["modelName"])

    def test_every_figure_has_data_for_the_manager(self):
        """With the demo and the default period, each pivot and chart the dashboard reads
        returns rows with figures for the manager, as the spreadsheet asks for them."""
        checked = 0
        for name, model, domain, groupby, aggregates, matching in self._sources():
            with self.subTest(source=name):
                Model = self.env[model].with_user(self.ts_manager)
                full = Domain(domain) & self._period_domain(model, matching)
                groups = Model.formatted_read_group(full, groupby, aggregates)
                previous = any(match.get("offset") for match in matching.values())
                if previous:
                    continue  # the period before the demo's: read without error, may be empty
                self.assertTrue(groups, f"{name}: no rows")
                self.assertTrue(any(group[aggregate] for group in groups for aggregate in aggregates),
                                f"{name}: only zeros")
                checked += 1
        self.assertGreaterEqual(checked, 12)

    # -- the reports behind it -------------------------------------------------------------

    def test_funnel_counts_calls_that_reached_each_stage(self):
        Call = self.env["telesales.call"]
        funnel = dict(self.env["telesales.call.funnel"]._read_group([], ["stage"], ["calls:sum"]))
        self.assertTrue(funnel, "the demo has calls")
        previous = None
        for key, rank in STAGE_RANK.items():
            with self.subTest(stage=key):
                later = [other for other, other_rank in STAGE_RANK.items() if other_rank >= rank]
                reached = Call.search_count([] if rank == 1 else [("stage", "in", later)])
                self.assertEqual(funnel.get(f"{rank}_{key}", 0), reached)
                if previous is not None:
                    self.assertLessEqual(reached, previous, "a funnel never widens")
                previous = reached

    def test_talk_time_buckets(self):
        Call = self.env["telesales.call"]
        buckets = dict(self.env["telesales.call.talk.time"]._read_group([], ["bucket"], ["calls:sum"]))
        for index, (key, _label, low) in enumerate(TALK_BUCKETS):
            with self.subTest(bucket=key):
                if low is None:
                    domain = ["|", ("talk_seconds", "=", 0), ("talk_seconds", "=", False)]
                else:
                    domain = [("talk_seconds", ">=", low)]
                    if index + 1 < len(TALK_BUCKETS):
                        domain.append(("talk_seconds", "<", TALK_BUCKETS[index + 1][2]))
                self.assertEqual(buckets.get(key, 0), Call.search_count(domain))
        self.assertEqual(sum(buckets.values()), Call.search_count([]))
        self.assertEqual(buckets.get("2_1_3", 0), Call.search_count(
            [("talk_seconds", ">=", 60), ("talk_seconds", "<", 180)]), "1–3 minutes")

    def test_pool_flows_add_up_to_the_pool(self):
        """Leads into the pool less leads out of it, over the whole log, is the pool."""
        Flow = self.env["telesales.pool.flow"]
        [(change, pool_in)] = Flow._read_group([], [], ["pool_change:sum", "pool_in:sum"])
        self.assertEqual(change, self.env["telesales.pool.lead"].search_count([]))
        self.assertTrue(pool_in, "the demo recycles leads to the pool")
        # A claim takes a lead out: the pool shrinks by one.
        lead = self.env["telesales.pool.lead"].search([], limit=1).lead_id
        live_agent = self.env["res.users"].search([("login", "=", "ts_agent9")])  # team B, live
        lead.with_user(live_agent).action_telesales_claim()
        self.env.invalidate_all()
        [(change_after, pool_out)] = Flow._read_group([], [], ["pool_change:sum", "pool_out:sum"])
        self.assertEqual(change_after, change - 1)
        self.assertEqual(pool_out, 1)
        self.assertEqual(change_after, self.env["telesales.pool.lead"].search_count([]))

    def test_report_rules_per_role(self):
        """Agent: own rows; leader: the team's; manager: the department's."""
        team_a = self.env.ref("telesales_mgmt.team_a")
        for model in ("telesales.call.funnel", "telesales.call.talk.time"):
            with self.subTest(model=model):
                Report = self.env[model]
                everyone = Report.search([])
                self.assertEqual(Report.with_user(self.ts_manager).search_count([]), len(everyone))
                mine = Report.with_user(self.ts_agent1).search([])
                self.assertTrue(mine)
                self.assertEqual(set(mine.sudo().user_id.ids), {self.ts_agent1.id})
                team = Report.with_user(self.ts_leader1).search([])
                self.assertEqual(set(team.sudo().team_id.ids), {team_a.id})
                self.assertLess(len(mine), len(team))
                self.assertLess(len(team), len(everyone))
        Flow = self.env["telesales.pool.flow"]
        received = Flow.with_user(self.ts_agent3).search([])
        self.assertTrue(received, "the demo allocates Team A's leads to its live agents")
        self.assertTrue(all(self.ts_agent3 in (flow.to_user_id | flow.from_user_id) for flow in received.sudo()))
        self.assertLess(len(received), Flow.with_user(self.ts_leader1).search_count([]))
        self.assertEqual(Flow.with_user(self.ts_manager).search_count([]), Flow.search_count([]))
