from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..engines import lead_owner_sql
from .res_company import DEFAULT_TZ
from .telesales_call import CALL_OUTCOMES, CALL_STAGES, INTENT_LEVELS, PROGRESS_OUTCOMES, STAGE_RANK, local_hour_and_day

CUSTOMER_GRADES = [
    ("a", "A - key customer"),
    ("b", "B - strengthen contact"),
    ("c", "C - periodic revisit"),
]


# One meaning of "deal" (成交, R-CALL-3, R-INC-1): a won opportunity, counted once, for
# the agent who owned it when it was won (Won By), on the department's day it was won
# (Won On). A call logged with the outcome Deal wins its opportunity and counts only
# through that win (telesales.call._win_deals). Every figure of deals reads this
# definition: the daily figures (and the monthly summaries and My Day built on them),
# the leaderboard, commission statements and appraisal indicators on won opportunities
# (DEAL_SOURCES), honour titles and rank reviews (_telesales_won_totals).
WON_DEAL_DOMAIN = [("won_status", "=", "won"), ("telesales_won_user_id", "!=", False),
                   ("telesales_won_date", "!=", False)]
# The same on the crm_lead row aliased `{d}` (format it with the alias, a constant).
WON_DEAL_CONDITION = ("{d}.won_status = 'won' AND {d}.telesales_won_user_id IS NOT NULL "
                      "AND {d}.telesales_won_date IS NOT NULL")


def won_deal_sql(alias):
    """WON_DEAL_DOMAIN in SQL, on the crm_lead row `alias` (a name from the code)."""
    if not alias.isidentifier():
        raise ValueError(alias)
    return SQL(WON_DEAL_CONDITION.format(d=alias))


# Written by the system only: computed from the calls, set by the approval buttons, the
# win, and the pool's door.
SYSTEM_FIELDS = frozenset({
    "telesales_call_count", "telesales_last_call_date", "telesales_last_outcome",
    "telesales_furthest_stage", "telesales_intent_level", "telesales_attempts_no_progress",
    "telesales_approval_state", "telesales_approval_date", "telesales_won_user_id",
    "telesales_won_date", "telesales_in_pool", "telesales_idle_attempts", "telesales_next_followup",
})


class CrmLead(models.Model):
    _inherit = "crm.lead"

    telesales_grade = fields.Selection(
        CUSTOMER_GRADES, "Customer Grade", tracking=True,
        compute="_compute_telesales_grade", store=True, readonly=False,
        help="A: key attention and best service; B: strengthen contact; C: periodic "
        "revisit to find needs (R-LEAD-3). Follows the customer's grade when the lead has "
        "a customer.")
    is_telesales = fields.Boolean(
        related="team_id.is_telesales", string="Telesales Lead",
        help="The lead belongs to a telesales team.")
    telesales_do_not_call = fields.Boolean(
        "Do Not Call", tracking=True,
        compute="_compute_telesales_do_not_call", store=True, readonly=False,
        help="The customer refused further calls: nobody may call this lead (R-CALL-4).")

    # Calls (R-CALL-1, R-CALL-2, R-LEAD-5)
    telesales_call_ids = fields.One2many("telesales.call", "lead_id", "Call Log")
    telesales_call_count = fields.Integer(
        "Calls", compute="_compute_telesales_calls", store=True)
    telesales_last_call_date = fields.Datetime(
        "Last Call", compute="_compute_telesales_calls", store=True)
    telesales_last_outcome = fields.Selection(
        CALL_OUTCOMES, "Last Outcome", compute="_compute_telesales_calls", store=True)
    telesales_furthest_stage = fields.Selection(
        CALL_STAGES, "Furthest Stage", compute="_compute_telesales_calls", store=True,
        help="The furthest call stage reached over all calls (R-CALL-1).")
    telesales_intent_level = fields.Selection(
        INTENT_LEVELS, "Intent Level", compute="_compute_telesales_calls", store=True)
    telesales_next_followup = fields.Datetime(
        "Next Follow-up", compute="_compute_telesales_calls", store=True,
        help="When the latest call planned to follow up (R-LEAD-4); empty when it planned "
        "nothing (refused, invalid number, deal).")
    telesales_attempts_no_progress = fields.Integer(
        "Attempts Without Progress", compute="_compute_telesales_calls", store=True,
        help="Calls since the last one that reached intent, a deal or a further stage "
        "(and since the manager's last approval).")
    telesales_idle_attempts = fields.Integer(
        "Calls Without Progress", compute="_compute_telesales_idle_attempts", store=True,
        help="Calls since the furthest call stage (R-CALL-1) last advanced, counted from the "
        "lead's latest allocation, claim or move; none while the lead waits in the pool. "
        "Updated when a call is logged and when the lead leaves or enters the pool.")
    telesales_approval_state = fields.Selection(
        [("none", "Not Needed"), ("requested", "Requested"), ("approved", "Approved"),
         ("refused", "Refused")], "Further-Call Approval", default="none", tracking=True)
    telesales_approval_date = fields.Datetime("Approved On", readonly=True)
    telesales_needs_approval = fields.Boolean(
        "Needs Approval", compute="_compute_telesales_needs_approval",
        help="Too many contacts without progress: the next call needs the manager's "
        "approval (R-LEAD-5).")

    # Pool, win and history
    telesales_in_pool = fields.Boolean(
        "In the Pool", readonly=True, copy=False,
        help="Taken back from an agent (recycled, or pulled back by a leader) and waiting in "
        "the shared pool (公海) for an agent to claim it (R-LEAD-6). Allocation leaves "
        "these to claims unless a department rule shares pool leads too.")
    # No index on the grade or the do-not-call flag: three values and a flag select too
    # little to help, and each index slows every owner change on a large pool.
    telesales_won_user_id = fields.Many2one(
        "res.users", "Won By", readonly=True, copy=False, index="btree_not_null",
        help="The agent who owned the opportunity when it was won: the deal counts for them.")
    telesales_won_date = fields.Date("Won On", readonly=True, copy=False)
    telesales_complaint_ids = fields.One2many("telesales.complaint", "lead_id", "Complaints")
    telesales_complaint_count = fields.Integer("Number of Complaints", compute="_compute_telesales_complaint_count")
    telesales_allocation_log_ids = fields.One2many(
        "telesales.allocation.log", "lead_id", "Allocation Log")

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    def _compute_telesales_complaint_count(self):
        counts = self.env["telesales.complaint"]._counts("lead_id", self)
        for lead in self:
            lead.telesales_complaint_count = counts.get(lead, 0)

    @api.depends("partner_id.telesales_grade")
    def _compute_telesales_grade(self):
        for lead in self:
            lead.telesales_grade = lead.partner_id.telesales_grade or lead.telesales_grade

    @api.depends("partner_id.telesales_do_not_call")
    def _compute_telesales_do_not_call(self):
        for lead in self:
            lead.telesales_do_not_call = lead.partner_id.telesales_do_not_call or (
                not lead.partner_id and lead.telesales_do_not_call)

    @api.depends("telesales_call_ids.start", "telesales_call_ids.outcome",
                 "telesales_call_ids.stage", "telesales_call_ids.intent_level",
                 "telesales_call_ids.plan_goal", "telesales_call_ids.plan_date",
                 "telesales_approval_date")
    def _compute_telesales_calls(self):
        for lead in self:
            calls = lead.telesales_call_ids.sorted(lambda c: (c.start, c.id))
            last = calls[-1:]
            lead.telesales_call_count = len(calls)
            lead.telesales_last_call_date = last.start
            lead.telesales_last_outcome = last.outcome
            lead.telesales_intent_level = last.intent_level
            lead.telesales_next_followup = last.plan_date
            lead.telesales_furthest_stage = max(
                calls, key=lambda c: STAGE_RANK.get(c.stage, 0)).stage if calls else False
            lead.telesales_attempts_no_progress = lead._telesales_count_attempts(calls)

    @api.depends("telesales_call_ids.start", "telesales_call_ids.stage", "telesales_in_pool")
    def _compute_telesales_idle_attempts(self):
        """In batch: the leads' calls come in one prefetch, their latest owner changes
        (allocation log) in one query."""
        called = self.filtered(lambda lead: lead.telesales_call_ids and not lead.telesales_in_pool)
        ids = [lead_id for lead_id in called._origin.ids if lead_id]
        received = {lead.id: date for lead, date in self.env["telesales.allocation.log"].sudo()._read_group(
            [("lead_id", "in", ids)], ["lead_id"], ["date:max"])} if ids else {}
        for lead in self:
            since, idle, furthest = received.get(lead._origin.id), 0, STAGE_RANK["preparation"]
            for call in (lead.telesales_call_ids.sorted(lambda c: (c.start, c.id)) if lead in called else ()):
                rank = STAGE_RANK.get(call.stage, 0)
                if rank > furthest:
                    furthest, idle = rank, 0
                elif not since or call.start >= since:
                    idle += 1
            lead.telesales_idle_attempts = idle

    def _telesales_count_attempts(self, calls):
        """Contacts (calls sorted by start) since the last one that progressed or brought a
        new plan, and since the manager's last approval (R-LEAD-5). Progress: intent, a
        deal, or a stage further than any before; a new plan: a follow-up goal other than
        the one the previous contacts were chasing."""
        # Reaching "preparation" is no progress: every unanswered call is there.
        attempts, furthest, goal = 0, STAGE_RANK["preparation"], None
        for call in calls:
            rank = STAGE_RANK.get(call.stage, 0)
            call_goal = (call.plan_goal or "").strip().lower() or goal
            progressed = (call.outcome in PROGRESS_OUTCOMES or rank > furthest
                          or (goal is not None and call_goal != goal))
            furthest, goal = max(furthest, rank), call_goal
            approved_after = self.telesales_approval_date and self.telesales_approval_date > call.start
            attempts = 0 if progressed or approved_after else attempts + 1
        return attempts

    @api.depends("telesales_attempts_no_progress", "company_id")
    def _compute_telesales_needs_approval(self):
        for lead in self:
            lead.telesales_needs_approval = lead._telesales_over_limit(lead.telesales_attempts_no_progress)

    def _telesales_over_limit(self, attempts):
        limit = (self.company_id or self.env.company).telesales_no_progress_limit
        return bool(limit) and attempts >= limit

    def _telesales_attempts_before(self, call):
        """The contacts without progress made before `call`, over all the lead's calls
        whoever made them (sudo: an agent reads their own calls only)."""
        lead = self.sudo()
        earlier = (lead.telesales_call_ids - call).filtered(lambda c: (c.start, c.id) < (call.start, call.id))
        return lead._telesales_count_attempts(earlier.sorted(lambda c: (c.start, c.id)))

    # ------------------------------------------------------------
    # Ownership: one door (design notes)
    # ------------------------------------------------------------

    def _telesales_assign(self, team_id, user_id, level, reason, rule=None, run=None, cooldown_until=None):
        """Give these leads to `team_id`/`user_id` (False/False: back to the pool)."""
        owner = (team_id or False, user_id or False, rule.id if rule else False)
        return self._telesales_set_owners({lead.id: owner for lead in self}, level, reason, run,
                                          cooldown_until=cooldown_until)

    @api.model
    def _telesales_set_owners(self, owners, level, reason, run=None, cooldown_until=None,
                              expected=None):
        """The one door: every change of a lead's owner (allocation, claim, transfer,
        recycling) goes through here, so the log, the do-not-call list and cool-downs
        cannot be bypassed.

        `owners` is {lead id: (team id, user id, rule id)}. The leads are locked; those
        whose owner does not change are left alone. With `expected` ({lead id: (team id,
        user id)}, allocation runs), leads no longer in that state, archived, or being
        changed by another transaction right now are skipped rather than waited for.
        Large batches are written in SQL (see `lead_owner_sql`); small ones, and every one
        when Settings ask for the full write, through the ORM with its tracking and
        automation rules. Returns the ids whose owner changed."""
        if not owners:
            return []
        self.env.flush_all()
        rows = lead_owner_sql.lock(self.env.cr, list(owners), skip_locked=expected is not None)
        before = {lead: row[:2] for lead, row in rows.items()}
        if expected is not None:
            before = {lead: owner for lead, owner in before.items()
                      if owner == tuple(expected[lead]) and rows[lead][2]}
        changed = {lead: owner for lead, owner in owners.items()
                   if lead in before and owner[:2] != before[lead]}
        refused = self._telesales_refused(changed, {lead for lead, row in rows.items() if row[3]})
        if refused and level in ("claim", "manual"):
            raise UserError(next(iter(refused.values())))
        changed = {lead: owner for lead, owner in changed.items() if lead not in refused}
        if not changed:
            return []
        if level == "manual":
            self._telesales_check_move_right(changed, before)
        if level in ("claim", "manual"):
            self._telesales_check_caps(changed, level)
        elif level in ("department", "team"):
            changed = self._telesales_within_rule_caps(changed)
            if not changed:
                return []
        company = self.env.company
        fast = set()
        if len(changed) >= lead_owner_sql.BULK_MIN and not company.telesales_allocation_full_write \
                and lead_owner_sql.is_safe(self.env):
            fast = lead_owner_sql.write_owners(self.env, changed, before)
        by_owner = defaultdict(list)
        for lead, (team, user, _rule) in changed.items():
            if lead not in fast:
                by_owner[team, user].append(lead)
        context = {"mail_auto_subscribe_no_notify": True}
        if not company.telesales_allocation_full_write:
            context["mail_notrack"] = True  # no chatter line, but the agent still follows
        # Who may do this was checked above or by the caller (claim limits, leader's team,
        # run rights); an agent claiming a pool lead cannot write it before it is theirs.
        # Taken back to nobody: the lead waits in the pool for a claim.
        to_pool = level in ("recycle", "manual")
        for (team, user), ids in by_owner.items():
            leads = self.sudo().browse(ids).with_context(**context)
            # Past this class's write: that one routes owner changes to this door.
            super(CrmLead, leads).write({
                "team_id": team, "user_id": user, "telesales_in_pool": to_pool and not (team or user)})
        lead_owner_sql.insert_log(self.env, changed, before, level, reason, run, cooldown_until)
        return list(changed)

    @api.model
    def _telesales_refused(self, owners, do_not_call):
        """{lead: message} for the owners the rules forbid: an agent for a do-not-call
        lead (R-CALL-4), or for a lead recycled from them during its cool-down (R-LEAD-6).
        `do_not_call`: the ids of the leads on the do-not-call list."""
        cooling = {(lead.id, user.id) for lead, user in self.env["telesales.allocation.log"].sudo()._read_group(
            [("level", "=", "recycle"), ("cooldown_until", ">", fields.Datetime.now())],
            ["lead_id", "from_user_id"])}
        refused = {}
        for lead_id, (_team, user_id, *_rule) in owners.items():
            if not user_id or (lead_id not in do_not_call and (lead_id, user_id) not in cooling):
                continue
            lead, user = self.browse(lead_id).sudo(), self.env["res.users"].sudo().browse(user_id)
            if lead_id in do_not_call:
                refused[lead_id] = self.env._(
                    "%(lead)s is on the do-not-call list: nobody may work it.", lead=lead.name)
            else:
                refused[lead_id] = self.env._(
                    "%(lead)s was taken back from %(user)s recently: it cannot go back to them "
                    "before the cool-down ends.", lead=lead.name, user=user.name)
        return refused

    @api.model
    def _telesales_check_move_right(self, changed, before):
        """Who may change a telesales lead's owner by hand (R-LEAD-2): the manager
        anywhere; a leader between their own team's agents and the pool; nobody else
        (agents claim from the pool). Leads of other sales teams keep Odoo's own rights."""
        user = self.env.user
        if self.env.su or user.has_group("telesales_mgmt.group_telesales_manager") or (
                user.has_group("sales_team.group_sale_manager")
                and not user.has_group("telesales_mgmt.group_telesales_agent")):
            return
        Team = self.env["crm.team"].sudo()
        telesales = set(Team.search([("is_telesales", "=", True)]).ids)
        mine = set(Team.search([("is_telesales", "=", True), ("user_id", "=", user.id)]).ids)
        is_leader = user.has_group("telesales_mgmt.group_telesales_leader")
        for lead_id, (team, agent, *_rule) in changed.items():
            old_team, old_agent = before[lead_id]
            involved = {old_team, team} & telesales or not (old_team or old_agent)
            if not involved:
                continue
            if is_leader and {old_team or False, team or False} <= mine | {False}:
                if agent and agent not in Team.browse(team).crm_team_member_ids.user_id.ids:
                    raise UserError(self.env._(
                        "%(user)s is not a member of team %(team)s.",
                        user=self.env["res.users"].sudo().browse(agent).name, team=Team.browse(team).name))
                continue
            lead = self.sudo().browse(lead_id)
            if is_leader:
                raise UserError(self.env._(
                    "A team leader moves leads within their own team or back to the pool only: "
                    "%(lead)s is not your team's to move there (R-LEAD-2).", lead=lead.name))
            raise UserError(self.env._(
                "Only a team leader or the department manager changes who works %(lead)s "
                "(R-LEAD-2); agents take leads from the pool with Claim (R-LEAD-6).", lead=lead.name))

    @api.model
    def _telesales_check_caps(self, changed, level):
        """The limits on what one agent receives (R-LEAD-6), counted under the agent's
        lock: the open-lead cap for every claim and move, the daily limit for claims."""
        incoming = defaultdict(int)
        for _team, user, *_rule in changed.values():
            if user:
                incoming[user] += 1
        if not incoming:
            return
        self._telesales_lock_agents(incoming)
        company = self.env.company
        Users = self.env["res.users"].sudo()
        cap = company.telesales_claim_open_cap
        if cap:
            held = self._telesales_open_held(incoming, changed)
            for user_id, count in incoming.items():
                user = Users.browse(user_id)
                if held[user_id] + count > cap:
                    raise UserError(self.env._(
                        "%(user)s holds %(held)s open leads, the cap is %(cap)s: %(count)s more would "
                        "pass it (Settings › Telesales › Open Leads Cap, R-LEAD-6).",
                        user=user.name, held=held[user_id], count=count, cap=cap))
        if level != "claim":
            return
        limit = company.telesales_claim_daily_limit
        start, stop = company._telesales_day_bounds()
        # Claims that became won deals do not use up the day's quota.
        claimed = dict(self.env["telesales.allocation.log"].sudo()._read_group(
            [("to_user_id", "in", list(incoming)), ("level", "=", "claim"),
             ("date", ">=", start), ("date", "<", stop), ("lead_id.won_status", "!=", "won")],
            ["to_user_id"], ["__count"]))
        for user_id, count in incoming.items():
            user = Users.browse(user_id)
            if claimed.get(user, 0) + count > limit:
                raise UserError(self.env._(
                    "%(user)s has claimed %(count)s leads today, the daily limit is %(limit)s "
                    "(Settings › Telesales › Claims per Day, R-LEAD-6).",
                    user=user.name, count=claimed.get(user, 0), limit=limit))

    @api.model
    def _telesales_lock_agents(self, user_ids):
        """Lock and touch the receiving agents' user rows: parallel assignments to the same
        agent queue up here, and under REPEATABLE READ the later one is retried with fresh
        counts instead of counting the same free place twice."""
        self.env.cr.execute(SQL("""
            UPDATE res_users SET write_date = write_date
             WHERE id IN (SELECT id FROM res_users WHERE id IN %s ORDER BY id FOR NO KEY UPDATE)
        """, tuple(sorted(user_ids))))

    @api.model
    def _telesales_open_held(self, user_ids, changed):
        """{user id: open leads held}, not counting the leads being assigned."""
        held = defaultdict(int)
        for user, count in self.sudo()._read_group(
                [("user_id", "in", list(user_ids)), ("won_status", "=", "pending"),
                 ("id", "not in", list(changed))], ["user_id"], ["__count"]):
            held[user.id] = count
        return held

    @api.model
    def _telesales_within_rule_caps(self, changed):
        """An allocation run applies its preview, planned within each rule's per-agent caps;
        leads a claim or a move filled the room of meanwhile are skipped, not forced."""
        Rule = self.env["telesales.allocation.rule"].sudo()
        rules = Rule.browse({rule for _team, user, rule in changed.values() if user and rule})
        capped = rules.filtered(lambda rule: rule.daily_cap or rule.open_cap)
        users = {user for _team, user, rule in changed.values() if user and rule in capped.ids}
        if not users:
            return changed
        self._telesales_lock_agents(users)
        held = self._telesales_open_held(users, changed)
        start, stop = self.env.company._telesales_day_bounds()
        received = defaultdict(int)
        for user, count in self.env["telesales.allocation.log"].sudo()._read_group(
                [("to_user_id", "in", list(users)), ("level", "in", ["department", "team"]),
                 ("date", ">=", start), ("date", "<", stop)], ["to_user_id"], ["__count"]):
            received[user.id] = count
        kept = {}
        for lead, (team, user, rule_id) in sorted(changed.items()):
            rule = Rule.browse(rule_id)
            if user and rule in capped:
                if (rule.daily_cap and received[user] >= rule.daily_cap) or (
                        rule.open_cap and held[user] >= rule.open_cap):
                    continue
                received[user] += 1
                held[user] += 1
            kept[lead] = (team, user, rule_id)
        return kept

    def action_telesales_claim(self):
        """An agent takes a lead from the pool (公海, R-LEAD-6), within the daily claim
        limit and the open-lead cap. Of two agents claiming the same lead at once, the
        row lock lets exactly one through; the other is told, and nothing changes."""
        self.ensure_one()
        # sudo to read only: a lead taken meanwhile is no longer readable by this agent,
        # who must hear that it was taken, not get an access error.
        lead = self.sudo()
        user = self.env.user
        if self.env["hr.employee"].sudo().search_count(
                [("user_id", "=", user.id), ("telesales_status", "=", "trainee"), ("telesales_role", "=", "agent")],
                limit=1):
            raise UserError(self.env._(
                "%(user)s is a trainee: leads are claimed from the pool once live, after the onboarding "
                "training and exam (Telesales Status, R-TRN-2).", user=user.name))
        if lead.telesales_do_not_call:
            raise UserError(self.env._("%(lead)s is on the do-not-call list: it cannot be claimed.", lead=lead.name))
        if not lead.telesales_in_pool and not lead.user_id:
            raise UserError(self.env._(
                "%(lead)s is not in the pool: only leads taken back from agents can be claimed; "
                "the others are shared out by allocation.", lead=lead.name))
        locked = lead.try_lock_for_update()
        lead.invalidate_recordset(["user_id", "team_id"])
        if not locked or lead.user_id:
            raise UserError(self.env._(
                "%(lead)s was just claimed by someone else: pick another lead.", lead=lead.name))
        team = self.env["hr.employee"].sudo().search([("user_id", "=", user.id)], limit=1).telesales_team_id
        self._telesales_assign(team_id=(team or lead.team_id).id, user_id=user.id, level="claim",
                               reason=self.env._("Claimed by %(user)s", user=user.name))
        return True

    def write(self, vals):
        self._telesales_check_protected_write(vals)
        res = self._telesales_write_owner(vals)
        if {"stage_id", "probability", "active"} & set(vals):
            self._telesales_record_win()
        return res

    def _telesales_check_protected_write(self, vals):
        """Figures the system keeps (call totals, approvals, who won the deal, the pool
        flag) are written by the system or through the buttons that check the caller's
        right, never by a plain write (R-LEAD-5, R-INC-1); the customer's grade and lifting
        a do-not-call are a leader's call (R-LEAD-3, R-CALL-4)."""
        if self.env.su:
            return
        system = SYSTEM_FIELDS & set(vals)
        if system:
            names = ", ".join(self._fields[name].string for name in sorted(system))
            raise AccessError(self.env._(
                "%(fields)s are kept by the system (R-LEAD-5, R-INC-1): use the lead's buttons.",
                fields=names))
        leader = self.env.user.has_group("telesales_mgmt.group_telesales_leader")
        if "telesales_grade" in vals and not leader:
            raise AccessError(self.env._(
                "Only a team leader or the manager sets a customer's grade (Customer Grade, R-LEAD-3)."))
        if "telesales_do_not_call" in vals and not vals["telesales_do_not_call"] and not leader \
                and any(self.mapped("telesales_do_not_call")):
            raise AccessError(self.env._(
                "Only a team leader or the manager lifts a do-not-call (Do Not Call, R-CALL-4)."))

    def _telesales_record_win(self):
        """Who owned the deal when it was won, and when (R-INC-1): commission follows
        them, whatever happens to the lead afterwards. The day is the department's (its
        time zone), as the calls' days are: a deal won at 07:30 in Shanghai is that day's."""
        won = self.filtered(lambda lead: lead.won_status == "won" and not lead.telesales_won_user_id)
        for lead in won:
            company = lead.company_id or self.env.company
            day = local_hour_and_day(lead.date_closed or fields.Datetime.now(), company.telesales_tz or DEFAULT_TZ)[1]
            lead.sudo().write({"telesales_won_user_id": lead.user_id.id, "telesales_won_date": day})

    def _telesales_win_from_call(self):
        """A call was logged with the outcome Deal: its opportunity is won now (R-CALL-3),
        as the agent would win it in CRM, with the caller's rights (their own lead, or their
        team's for a leader). The deal counts for whoever owns the lead (Won By)."""
        leads = self.filtered(lambda lead: lead.won_status != "won")
        if not leads:
            return
        leads.check_access("write")
        leads.filtered(lambda lead: lead.type != "opportunity").write({"type": "opportunity"})
        leads.action_set_won()

    @api.model
    def _telesales_deal_domain(self, users=None, date_from=None, date_to=None, company=None):
        """The deals (WON_DEAL_DOMAIN) of `users` won in [date_from, date_to), in `company`
        (or without one)."""
        domain = list(WON_DEAL_DOMAIN)
        if users is not None:
            domain.append(("telesales_won_user_id", "in", users.ids))
        if date_from:
            domain.append(("telesales_won_date", ">=", date_from))
        if date_to:
            domain.append(("telesales_won_date", "<", date_to))
        if company:
            domain += ["|", ("company_id", "=", company.id), ("company_id", "=", False)]
        return domain

    def _telesales_write_owner(self, vals):
        """A change of owner by hand (form, list, import, RPC) of a telesales lead goes
        through the one door, with its rights, caps, cool-downs and log; leads of other
        sales teams keep Odoo's own behaviour, logged too."""
        if not ({"team_id", "user_id"} & set(vals)):
            return super().write(vals)
        before = {lead.id: (lead.team_id.id, lead.user_id.id) for lead in self}
        owners = {lead.id: (vals.get("team_id", lead.team_id.id) or False,
                            vals.get("user_id", lead.user_id.id) or False, False) for lead in self}
        telesales_teams = set(self.env["crm.team"].sudo().search([("is_telesales", "=", True)]).ids)
        door = {lead for lead, (team, user, _rule) in owners.items()
                if {before[lead][0], team} & telesales_teams or not any(before[lead])
                or self.browse(lead).telesales_in_pool}
        rest = {key: value for key, value in vals.items() if key not in ("team_id", "user_id")}
        reason = self.env._("Changed by %(user)s", user=self.env.user.name)
        if door:
            self.env["crm.lead"]._telesales_set_owners(
                {lead: owner for lead, owner in owners.items() if lead in door}, "manual", reason)
        others = self.filtered(lambda lead: lead.id not in door)
        res = super(CrmLead, self - others).write(rest) if rest and others != self else True
        if others:
            if vals.get("team_id") or vals.get("user_id"):
                vals = {**vals, "telesales_in_pool": False}  # given to someone: out of the pool
            res = super(CrmLead, others).write(vals)
            after = {lead.id: (lead.team_id.id, lead.user_id.id, False) for lead in others}
            changed = {lead: owner for lead, owner in after.items() if owner[:2] != before[lead]}
            lead_owner_sql.insert_log(self.env, changed, before, "manual", reason)
        return res

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_telesales_log_call(self):
        """A short form that works on a phone screen."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a Call"),
            "res_model": "telesales.call",
            "view_mode": "form",
            "views": [(self.env.ref("telesales_mgmt.telesales_call_view_form_quick").id, "form")],
            "target": "new",
            "context": {"default_lead_id": self.id, "default_user_id": self.env.user.id},
        }

    def action_telesales_dial(self):
        """The Call button: click-to-dial after the desk rules (R-CALL-4, R-LEAD-5)."""
        self.ensure_one()
        self.check_access("read")
        self._telesales_check_workable()
        return self.env["telesales.call"]._telesales_dial(self, self.partner_id)

    def action_telesales_complaint(self):
        self.ensure_one()
        return self.env["telesales.complaint"]._action_record({
            "lead_id": self.id, "partner_id": self.partner_id.id, "agent_id": self.user_id.id,
            "subject": self.name})

    def action_telesales_view_complaints(self):
        self.ensure_one()
        return self.env["telesales.complaint"]._action_list([("lead_id", "=", self.id)], {"lead_id": self.id})

    def action_telesales_view_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("telesales_mgmt.telesales_call_action")
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id}
        return action

    @api.model
    def _telesales_won_totals(self, users, date_from, date_to, company=None):
        """{user id: (sales, deals, last deal date)} of the deals `users` won in
        [date_from, date_to) (R-ORG-3, R-INC-2): what honour titles and rank reviews
        count, each deal for whoever owned it when it was won."""
        domain = self._telesales_deal_domain(users, date_from, date_to, company)
        rows = self.sudo().with_context(active_test=False)._read_group(
            domain, ["telesales_won_user_id"], ["expected_revenue:sum", "__count", "telesales_won_date:max"])
        return {user.id: (total or 0.0, count, last) for user, total, count, last in rows}

    def _telesales_check_workable(self):
        """Calls and complaints are recorded on leads the user may read: not on a pool
        lead, whose number shows only once claimed (R-LEAD-6, R-DATA-2)."""
        hidden = self - self._filtered_access("read")
        if hidden:
            raise AccessError(self.env._(
                "You cannot record anything on %(lead)s: it is not yours to work. Claim it from "
                "the pool first (R-LEAD-6).", lead=hidden[:1].sudo().name))

    def _telesales_approver(self):
        self.ensure_one()
        manager = self.team_id.telesales_manager_id
        return manager or self.company_id.telesales_department_id.manager_id.user_id

    def action_telesales_request_approval(self):
        # Whoever works the lead asks; the state itself is the system's to write.
        self.check_access("write")
        for lead in self:
            if not lead.telesales_needs_approval:
                raise UserError(self.env._(
                    "%(lead)s does not need approval: fewer than %(limit)s contacts without "
                    "progress.", lead=lead.name, limit=lead.company_id.telesales_no_progress_limit))
            approver = lead._telesales_approver()
            if not approver:
                raise UserError(self.env._(
                    "Nobody can approve: set the department manager on team %(team)s.",
                    team=lead.team_id.name or "-"))
            lead.sudo().telesales_approval_state = "requested"
            lead.activity_schedule(
                "mail.mail_activity_data_todo", user_id=approver.id,
                summary=self.env._("Approve a further call (R-LEAD-5)"),
                note=self.env._("%(count)s contacts without progress; %(agent)s asks to call again.",
                                count=lead.telesales_attempts_no_progress, agent=self.env.user.name))

    def _telesales_decide(self, state):
        if not self.env.user.has_group("telesales_mgmt.group_telesales_manager"):
            raise UserError(self.env._("Only the department manager decides on further calls (R-LEAD-5)."))
        self.check_access("write")
        values = {"telesales_approval_state": state}
        if state == "approved":
            values["telesales_approval_date"] = fields.Datetime.now()
        self.sudo().write(values)
        self.activity_feedback(["mail.mail_activity_data_todo"], feedback=self.env._(
            "Further call %(decision)s.", decision=dict(
                self._fields["telesales_approval_state"]._description_selection(self.env))[state]))

    def action_telesales_approve(self):
        self._telesales_decide("approved")

    def action_telesales_refuse(self):
        self._telesales_decide("refused")

    def _telesales_set_do_not_call(self, reason):
        self.write({"telesales_do_not_call": True})
        numbers = [number for number in self.mapped("phone_sanitized") if number]
        if numbers:
            self.env["phone.blacklist"].sudo()._add(numbers, message=reason)
