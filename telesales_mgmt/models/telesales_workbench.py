import math
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..engines import workbench as engine
from .crm_lead import won_deal_sql
from .telesales_call import local_hour_and_day
from .telesales_complaint_stage import DONE_STATES
from .telesales_workday import MAKE_UP_WEEKDAY

# Changes of a call that move its agent's figures of the day (telesales.call.daily).
PROGRESS_FIELDS = frozenset({"start", "talk_seconds", "outcome", "user_id", "direction", "source", "company_id"})
# How far ahead "tomorrow's" recycling looks for the next working day.
WORKDAY_HORIZON = 31


class TelesalesWorkbench(models.AbstractModel):
    """My Day (the agent's home) and the team board (the leader's), as JSON for the
    client screens (`notes/myday_contract.md`): today's progress against the daily minimum
    (R-CALL-5) with the same figures as the daily figures report, the call queue with
    answer-rate hints, the pool, tomorrow's recycling, the month, complaints, coaching and
    appraisal; for leaders each agent's progress, who is behind, today's leaderboard, the
    pool and a waiting allocation preview.

    Reads only: each block is one query (or a few), for the caller's own data (My Day)
    or their teams' (board), checked here and then read as the system."""

    _name = "telesales.workbench"
    _description = "Telesales Workbench"

    # ------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------

    @api.model
    def get_my_day(self):
        """The caller's day: never anyone else's (no argument names a user)."""
        user = self.env.user
        if not user.has_group("telesales_mgmt.group_telesales_agent"):
            raise AccessError(self.env._("My Day is for telesales staff (Telesales role on the user)."))
        employee = self._employee_of(user)
        company = employee.company_id or self.env.company
        now = fields.Datetime.now()
        now_hour, today = self._local_now(company)
        working = bool(employee) and bool(self.env["telesales.workday"]._working_employees(employee, today))
        progress = self._progress(company, user, today, now_hour)[user.id]
        progress.pop("_reasons")
        day, recycling = self._recycling_due(company, [("user_id", "=", user.id)])
        calling_open = self._calling_open(company, now)
        return {
            "agent": self._agent_info(user, employee),
            "today": fields.Date.to_string(today), "is_workday": working, "now": engine.hhmm(now_hour),
            "cti_enabled": bool(company.telesales_cti_enabled),
            "calling_open": calling_open,
            "progress": progress,
            "queue": self._queue(company, user, now, now_hour, today, calling_open),
            "pool": self._pool(company, user, employee),
            "recycle_tomorrow": [
                {"lead_id": lead.id, "name": lead.name,
                 "warning": self.env._("Back to the pool on %(day)s: %(reason)s",
                                       day=fields.Date.to_string(day), reason=reason)}
                for lead, reason in sorted(recycling.items(), key=lambda item: item[0].id)],
            "month": self._month(company, user, today),
            "complaints": self._complaints(user),
            "coaching": self._coaching(user),
            "appraisal": self._appraisal(user),
        }

    @api.model
    def get_team_board(self, team_id=False):
        """A team's board: a leader's own team(s) only, any telesales team of the company
        for the department manager (and the telesales administrator); agents are refused."""
        teams, manager = self._board_teams()
        if team_id:
            team = teams.filtered(lambda t: t.id == team_id)
            if not isinstance(team_id, int) or isinstance(team_id, bool) or not team:
                raise AccessError(self.env._(
                    "A team leader sees the board of their own team only (R-ORG-2)."))
        else:
            team = teams[:1]
        company = team.company_id or self.env.company
        now_hour, today = self._local_now(company)
        agents = self.env["hr.employee"].sudo().search([
            ("telesales_team_id", "=", team.id), ("telesales_role", "=", "agent"), ("user_id", "!=", False)],
            order="name, id")
        working = self.env["telesales.workday"]._working_employees(agents, today)
        progress = self._progress(company, agents.user_id, today, now_hour)
        check = company.telesales_behind_check_hour
        statuses = dict(agents._fields["telesales_status"]._description_selection(self.env))
        rows = []
        for agent in agents:
            figures = progress[agent.user_id.id]
            reasons = figures.pop("_reasons")
            behind = agent in working and now_hour >= check and bool(reasons)
            rows.append({
                "user_id": agent.user_id.id, "employee_id": agent.id, "name": agent.name,
                "status_label": statuses.get(agent.telesales_status, False), "working": agent in working,
                "progress": figures, "behind": behind,
                "behind_reasons": self._reason_texts(company, reasons, now_hour) if behind else [],
            })
        day, recycling = self._recycling_due(company, [("team_id", "=", team.id)])
        currency = company.currency_id
        return {
            "teams": [{"id": t.id, "name": t.name} for t in teams],
            "team": {"id": team.id, "name": team.name},
            "today": fields.Date.to_string(today),
            "behind_check": engine.hhmm(check), "now": engine.hhmm(now_hour),
            "cutoff": engine.hhmm(company.telesales_cutoff_hour),
            "agents": rows,
            "leaderboard": self._leaderboard(company, agents, today),
            "pool": {"size": self._pool_size(company), "recycle_tomorrow": len(recycling),
                     "recycle_day": fields.Date.to_string(day)},
            "allocation_preview": self._allocation_preview(company, team, manager),
            "currency_symbol": currency.symbol, "currency_position": currency.position,
        }

    # ------------------------------------------------------------
    # Who, when
    # ------------------------------------------------------------

    @api.model
    def _board_teams(self):
        """(teams the caller may see on the board, whether as the manager)."""
        user = self.env.user
        if not user.has_group("telesales_mgmt.group_telesales_leader"):
            raise AccessError(self.env._(
                "The team board is for team leaders and the department manager (R-ORG-2)."))
        Team = self.env["crm.team"].sudo()
        manager = user.has_group("telesales_mgmt.group_telesales_manager")
        domain = [("is_telesales", "=", True), ("company_id", "in", [False, *self.env.companies.ids])]
        if not manager:
            domain.append(("user_id", "=", user.id))
        teams = Team.search(domain, order="sequence, name, id")
        if not teams:
            raise UserError(self.env._(
                "You lead no telesales team: the board shows a team's agents (Team Leader on the team)."))
        return teams, manager

    @api.model
    def _employee_of(self, user):
        return self.env["hr.employee"].sudo().search(
            [("user_id", "=", user.id), ("company_id", "in", self.env.companies.ids)], limit=1)

    @api.model
    def _agent_info(self, user, employee):
        statuses = dict(employee._fields["telesales_status"]._description_selection(self.env))
        return {"name": employee.name or user.name, "team": employee.telesales_team_id.name or False,
                "status": employee.telesales_status or False,
                "status_label": statuses.get(employee.telesales_status, False)}

    @api.model
    def _local_now(self, company):
        """(local hour as a float, local date) of now in the department's time zone."""
        return local_hour_and_day(fields.Datetime.now(), company.telesales_tz or "UTC")

    @api.model
    def _hhmm(self, hours):
        return engine.hhmm(hours)

    @api.model
    def _calling_open(self, company, now):
        return company._telesales_in_calling_window(now)

    # ------------------------------------------------------------
    # Progress against the daily minimum (R-CALL-5)
    # ------------------------------------------------------------

    @api.model
    def _progress(self, company, users, day, now_hour):
        """{user id: progress}: the figures of the daily figures report for `day`
        (telesales.call.daily: dialled, connected, effective, deals, talk time, first
        calls) and the minimum's own count (`telesales.daily.minimum._figures`: before the
        cut-off, and only the phone system's calls when typed calls do not count), which
        decides met, the first-call states and the pace. Two queries for all `users`."""
        Minimum = self.env["telesales.daily.minimum"].sudo()
        report = {user.id: values for user, *values in self.env["telesales.call.daily"].sudo()._read_group(
            [("date", "=", day), ("user_id", "in", users.ids), ("company_id", "=", company.id)], ["user_id"],
            ["dialled:sum", "connected:sum", "effective:sum", "deals:sum", "talk_seconds:sum",
             "first_call_morning:min", "first_call_afternoon:min"])}
        phone_only = company.telesales_cti_enabled and not company.telesales_cti_typed_counts
        counted = Minimum._figures(users, day, company.telesales_cutoff_hour, phone_only=phone_only)
        share = engine.pace_share(self._windows(company, day), now_hour, company.telesales_cutoff_hour)
        return {user.id: self._progress_of(company, report.get(user.id), counted.get(user.id), now_hour, share,
                                           phone_only)
                for user in users}

    @api.model
    def _progress_of(self, company, report, counted, now_hour, share, phone_only):
        dialled, connected, effective, deals, talk_seconds, morning, afternoon = report or (0, 0, 0, 0, 0, None, None)
        dialled, connected, effective, deals = (int(value or 0) for value in (dialled, connected, effective, deals))
        c_connected, c_talk_seconds, c_morning, c_afternoon = counted or (0, 0, None, None)
        c_talk_hours = (c_talk_seconds or 0) / 3600
        morning_due, afternoon_due = company.telesales_first_call_morning, company.telesales_first_call_afternoon
        morning_state = engine.first_call_state(c_morning, morning_due, now_hour)
        afternoon_state = engine.first_call_state(c_afternoon, afternoon_due, now_hour)
        missing = self.env["telesales.daily.minimum"]._shortfall(
            company, c_connected or 0, c_talk_hours, c_morning, c_afternoon)
        reasons = engine.behind_reasons(
            c_connected or 0, c_talk_hours, morning_state, afternoon_state, company.telesales_min_connected,
            company.telesales_min_talk_hours, share)
        talk_hours = round((talk_seconds or 0) / 3600, 2)
        note = False
        if (c_connected or 0) != (connected or 0) or round(c_talk_hours, 2) != talk_hours:
            note = (self.env._("Calls typed by hand (the phone system is on) and calls after the cut-off do not "
                               "count toward the minimum.") if phone_only else
                    self.env._("Calls after the cut-off do not count toward the minimum."))
        return {
            "connected": connected or 0, "connected_due": company.telesales_min_connected,
            "talk_hours": talk_hours, "talk_hours_due": company.telesales_min_talk_hours,
            "morning": {"due": engine.hhmm(morning_due), "first": engine.hhmm(_hour(morning)),
                        "state": morning_state},
            "afternoon": {"due": engine.hhmm(afternoon_due), "first": engine.hhmm(_hour(afternoon)),
                          "state": afternoon_state},
            "cutoff": engine.hhmm(company.telesales_cutoff_hour),
            "minutes_left": engine.minutes_left(now_hour, company.telesales_cutoff_hour),
            "met": not missing,
            "deals": deals or 0, "effective": effective or 0, "dialled": dialled or 0,
            # What the minimum counts (it differs from the figures above only for calls after
            # the cut-off, and typed calls while the phone system measures calls).
            "counted": {"connected": c_connected or 0, "talk_hours": round(c_talk_hours, 2), "note": note},
            "on_course": not reasons,
            "expected": {"connected": math.ceil(round(company.telesales_min_connected * share, 6)),
                         "talk_hours": round(company.telesales_min_talk_hours * share, 2)},
            "_reasons": reasons,
        }

    @api.model
    def _windows(self, company, day):
        """The calling windows of `day` as [(from, to)] local hours (a make-up working day
        uses Monday's); without any, from the morning first-call time to the cut-off."""
        Workday = self.env["telesales.workday"]
        weekday = MAKE_UP_WEEKDAY if Workday._exception_of(company, day).kind == "workday" else str(day.weekday())
        windows = [(window.hour_from, window.hour_to) for window in company.sudo().telesales_call_window_ids
                   if window.dayofweek == weekday]
        return windows or [(company.telesales_first_call_morning, company.telesales_cutoff_hour)]

    @api.model
    def _behind_at(self, company, day, users, hour):
        """{user id: verdict} as at `hour` of `day`: the minimum's count of the calls made
        before that time, against the share of the minimum due by then (the check time's
        judgement, the same whenever it is made)."""
        phone_only = company.telesales_cti_enabled and not company.telesales_cti_typed_counts
        figures = self.env["telesales.daily.minimum"].sudo()._figures(
            users, day, min(hour, company.telesales_cutoff_hour), phone_only=phone_only)
        share = engine.pace_share(self._windows(company, day), hour, company.telesales_cutoff_hour)
        result = {}
        for user in users:
            connected, talk_seconds, morning, afternoon = figures.get(user.id, (0, 0, None, None))
            talk_hours = (talk_seconds or 0) / 3600
            reasons = engine.behind_reasons(
                connected, talk_hours,
                engine.first_call_state(morning, company.telesales_first_call_morning, hour),
                engine.first_call_state(afternoon, company.telesales_first_call_afternoon, hour),
                company.telesales_min_connected, company.telesales_min_talk_hours, share)
            result[user.id] = {
                "connected": connected, "talk_hours": talk_hours,
                "expected_connected": company.telesales_min_connected * share,
                "expected_talk_hours": company.telesales_min_talk_hours * share,
                "reasons": self._reason_texts(company, reasons, hour),
            }
        return result

    @api.model
    def _reason_texts(self, company, reasons, hour):
        texts = []
        cutoff, at = engine.hhmm(company.telesales_cutoff_hour), engine.hhmm(hour)
        for code, done, expected in reasons:
            if code == "connected":
                texts.append(self.env._(
                    "%(done)s connected calls, %(expected)s expected by %(time)s (%(due)s by %(cutoff)s)",
                    done=done, expected=math.ceil(round(expected, 6)), time=at, due=company.telesales_min_connected,
                    cutoff=cutoff))
            elif code == "talk":
                texts.append(self.env._(
                    "%(done)s h of talk time, %(expected)s h expected by %(time)s (%(due)s h by %(cutoff)s)",
                    done=f"{round(done, 2):g}", expected=f"{round(expected, 2):g}", time=at,
                    due=f"{company.telesales_min_talk_hours:g}",
                    cutoff=cutoff))
            elif code == "morning":
                texts.append(self.env._("no call before %(time)s",
                                        time=engine.hhmm(company.telesales_first_call_morning)))
            else:
                texts.append(self.env._("no call after lunch before %(time)s",
                                        time=engine.hhmm(company.telesales_first_call_afternoon)))
        return texts

    # ------------------------------------------------------------
    # The call queue
    # ------------------------------------------------------------

    @api.model
    def _queue(self, company, user, now, now_hour, today, calling_open):
        """The agent's open leads in calling order (`engines.workbench.queue_key`), at most
        QUEUE_SIZE: one statement for the leads, their follow-ups, today's allocations and
        each customer's answers by hour; the segments' rates come from a daily cache."""
        self.env.flush_all()
        rows = engine.queue_rows(
            self.env.cr, user.id, company.id, today, company._telesales_day_bounds(),
            now - timedelta(days=engine.HISTORY_DAYS),
            company.telesales_no_progress_limit)
        if not rows:
            return []
        segments, company_stats = self._segment_stats(company.id, today)
        hour = int(now_hour)
        for row in rows:
            segment = segments.get((row["source_id"], row["segment_grade"], row["city"]), {})
            row["rate"], row["hint_hour"], row["hint_source"] = engine.outlook(
                engine.hour_stats(row["hours"]), segment, company_stats, hour)
            row["blocked"] = "do_not_call" if row["do_not_call"] else "approval" if row["needs_approval"] else False
        tz = pytz.timezone(self.env.user.tz or company.telesales_tz or "UTC")
        Lead = self.env["crm.lead"]
        grades, intents, stages = (dict(Lead._fields[name]._description_selection(self.env)) for name in (
            "telesales_grade", "telesales_intent_level", "telesales_furthest_stage"))
        groups = self._group_labels()
        return [{
            "lead_id": row["lead_id"], "name": row["name"], "partner_name": row["customer"] or False,
            "phone": row["phone"] or False,
            "group": row["group"], "group_label": groups[row["group"]],
            "grade": row["grade"] or False, "grade_label": grades.get(row["grade"], False),
            "intent_label": intents.get(row["intent"], False), "stage_label": stages.get(row["stage"], False),
            "next_followup": self._followup_label(row, tz),
            "attempts_without_progress": row["idle"],
            "hint": (self.env._("usually answers %(start)s–%(end)s", start=row["hint_hour"], end=row["hint_hour"] + 1)
                     if row["hint_hour"] is not None else False),
            "hint_source": row["hint_source"], "answer_rate": round(row["rate"], 3),
            "blocked": row["blocked"], "blocked_label": self._blocked_label(row),
            "can_call": not row["blocked"] and calling_open,
        } for row in engine.order_queue(rows)]

    @api.model
    def _group_labels(self):
        return {"overdue": self.env._("Overdue Follow-ups"), "due": self.env._("Due Today"),
                "new": self.env._("New Today"), "other": self.env._("To Work")}

    @api.model
    def _blocked_label(self, row):
        if row["blocked"] == "do_not_call":
            return self.env._("Do not call (R-CALL-4)")
        if row["blocked"] == "approval":
            if row["approval"] == "requested":
                return self.env._("Waiting for the manager's approval (R-LEAD-5)")
            if row["approval"] == "refused":
                return self.env._("Further calls refused (R-LEAD-5)")
            return self.env._("Needs the manager's approval (R-LEAD-5)")
        return False

    @api.model
    def _followup_label(self, row, tz):
        """"YYYY-MM-DD HH:MM" in the user's time zone when the follow-up has a time (a
        call's plan), "YYYY-MM-DD" for a follow-up activity with a day only."""
        if row["due_at"]:
            return pytz.utc.localize(row["due_at"]).astimezone(tz).strftime("%Y-%m-%d %H:%M")
        return fields.Date.to_string(row["due_day"]) if row["due_day"] else False

    @api.model
    @tools.ormcache("company_id", "day")
    def _segment_stats(self, company_id, day):
        """The company's answer rates by segment (source, grade, city) and hour, and by
        hour alone, over HISTORY_DAYS: computed once a day (per worker), as segments move
        slowly and the statement reads many calls."""
        self.env["telesales.call"].flush_model(["lead_id", "company_id", "direction", "start", "local_hour",
                                                "is_connected"])
        self.env["crm.lead"].flush_model(["source_id", "telesales_grade", "city"])
        since = datetime.combine(day, time.min) - timedelta(days=engine.HISTORY_DAYS)
        return engine.segment_stats(engine.segment_rows(self.env.cr, company_id, since))

    # ------------------------------------------------------------
    # Pool, recycling
    # ------------------------------------------------------------

    @api.model
    def _pool(self, company, user, employee):
        """Claims left today as `action_telesales_claim` counts them (R-LEAD-6): the daily
        limit less today's claims not won, within the open-lead cap; none for a trainee."""
        limit = company.telesales_claim_daily_limit
        start, stop = company._telesales_day_bounds()
        claimed = self.env["telesales.allocation.log"].sudo().search_count(
            [("to_user_id", "=", user.id), ("level", "=", "claim"), ("date", ">=", start), ("date", "<", stop),
             ("lead_id.won_status", "!=", "won")])
        left = max(0, limit - claimed)
        cap = company.telesales_claim_open_cap
        if cap:
            held = self.env["crm.lead"].sudo().search_count([("user_id", "=", user.id), ("won_status", "=", "pending")])
            left = min(left, max(0, cap - held))
        if employee.telesales_role == "agent" and employee.telesales_status == "trainee":
            left = 0
        return {"claims_left": left, "claims_limit": limit, "size": self._pool_size(company)}

    @api.model
    def _pool_size(self, company):
        return self.env["telesales.pool.lead"].sudo().search_count([("company_id", "in", [company.id, False])])

    @api.model
    def _next_recycling(self, company, is_working=None):
        """(the next working day, the instant of that day's recycling run): the nightly
        cron's time of day (local), on the company's next working day after today."""
        _hour, today = self._local_now(company)
        is_working = is_working or self.env["telesales.allocation.rule"]._working_day_test(company)
        day = today + timedelta(days=1)
        while not is_working(day) and day < today + timedelta(days=WORKDAY_HORIZON):
            day += timedelta(days=1)
        tz = pytz.timezone(company.telesales_tz or "UTC")
        cron = self.env.ref("telesales_mgmt.ir_cron_recycle_leads", raise_if_not_found=False)
        nextcall = cron.sudo().nextcall if cron else None
        at = pytz.utc.localize(nextcall).astimezone(tz).time() if nextcall else time.min
        return day, tz.localize(datetime.combine(day, at)).astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _recycling_due(self, company, domain):
        """(day, {lead: reason}): the open leads matching `domain` that the recycling run
        of the next working day takes back to the pool, by the team rules' own matching
        and test (`telesales.allocation.rule._held_leads_by_rule`, `_due_for_recycling`)."""
        Rule = self.env["telesales.allocation.rule"].sudo().with_company(company)
        is_working = Rule._working_day_test(company)
        day, moment = self._next_recycling(company, is_working)
        due = {}
        for rule, leads in Rule._held_leads_by_rule(company, domain=domain):
            for reason, found in rule._due_for_recycling(leads, moment, is_working=is_working).items():
                for lead in found.filtered("active"):
                    due.setdefault(lead, reason)
        return day, due

    # ------------------------------------------------------------
    # The month, complaints, coaching, appraisal
    # ------------------------------------------------------------

    @api.model
    def _plan_of(self, company, user):
        for plan in self.env["telesales.commission.plan"].sudo().search([("company_id", "=", company.id)]):
            if user in plan._agents():
                return plan
        return self.env["telesales.commission.plan"]

    @api.model
    def _month(self, company, user, today):
        """Sales against the month's target (on the target's basis, as the achievement
        report counts), commission so far by the agent's plan, and what the next tier
        (or the gate) needs."""
        month = today.replace(day=1)
        end = month + relativedelta(months=1)
        Target = self.env["telesales.sales.target"].sudo()
        targets = Target.search([("user_id", "=", user.id), ("month", "=", month)])
        target = sum(targets.mapped("amount"))
        plan = self._plan_of(company, user)
        basis = targets[:1].plan_id.basis or Target._telesales_default_basis(company)
        sales = Target._telesales_achieved(company, basis, month, end, user).get((user.id, month), 0.0)
        plan_sales = sales if not plan or plan.basis == basis else Target._telesales_achieved(
            company, plan.basis, month, end, user).get((user.id, month), 0.0)
        currency = company.currency_id
        return {
            "sales": currency.round(sales), "target": currency.round(target),
            "achievement": round(sales * 100.0 / target, 1) if target else 0.0,
            "commission": currency.round(plan._commission(plan_sales, target)) if plan else 0.0,
            "next_tier": self._next_tier(plan, plan_sales, target) if plan else False,
            "currency_symbol": currency.symbol, "currency_position": currency.position,
        }

    @api.model
    def _next_tier(self, plan, sales, target):
        """{"label", "needs"}: the sales still needed for the gate (no commission below
        it), else for the next band of the tier table; False at the top or without a
        target to measure achievement against."""
        currency = plan.company_id.currency_id
        achievement = sales * 100.0 / target if target else None
        if plan.gate and (achievement is None or achievement < plan.gate):
            if not target:
                return False
            return {"label": self.env._("Commission from %(gate)s%% of the target", gate=f"{plan.gate:g}"),
                    "needs": currency.round(plan.gate * target / 100.0 - sales)}
        if plan.measure == "achievement":
            if achievement is None:
                return False
            reach, scale = achievement, target / 100.0
        else:
            reach, scale = sales, 1.0
        for tier in plan.tier_ids.sorted("lower"):
            if tier.lower > reach:
                return {"label": self.env._("Next tier %(tier)s", tier=tier.display_name),
                        "needs": currency.round(tier.lower * scale - sales)}
        return False

    @api.model
    def _complaints(self, user):
        """Open complaints about the agent (R-CMP-4), the nearest deadline first."""
        complaints = self.env["telesales.complaint"].sudo().search(
            [("agent_id", "=", user.id), ("state", "not in", list(DONE_STATES))], order="sla_deadline, id", limit=10)
        tz = pytz.timezone(user.tz or complaints.company_id[:1].telesales_tz or "UTC")
        return [{
            "id": complaint.id, "name": complaint.name, "subject": complaint.subject,
            "deadline": pytz.utc.localize(complaint.sla_deadline).astimezone(tz).strftime("%Y-%m-%d %H:%M")
            if complaint.sla_deadline else False,
            "state_label": complaint.stage_id.name or False, "late": complaint.sla_status == "breached",
        } for complaint in complaints]

    @api.model
    def _coaching(self, user):
        """Coaching sessions to do: the agent's own (R-CALL-6), or those they coach."""
        sessions = self.env["telesales.coaching"].sudo().search(
            [("state", "=", "todo"), "|", ("user_id", "=", user.id), ("leader_id", "=", user.id)],
            order="date, id", limit=10)
        return [{"id": s.id, "name": s.display_name, "date": fields.Date.to_string(s.date)} for s in sessions]

    @api.model
    def _appraisal(self, user):
        """The caller's latest appraisal not done yet: its step and due day (R-KPI-4)."""
        appraisal = self.env["telesales.appraisal"].sudo().search(
            [("user_id", "=", user.id), ("state", "!=", "done")], order="date_from desc, id desc", limit=1)
        if not appraisal:
            return False
        return {"id": appraisal.id, "name": appraisal.name, "step": appraisal.state,
                "step_label": appraisal._step_label(appraisal.state), "your_step": appraisal.state == "self",
                "deadline": fields.Date.to_string(appraisal.due_date) if appraisal.due_date else False}

    # ------------------------------------------------------------
    # The board: leaderboard, allocation preview
    # ------------------------------------------------------------

    @api.model
    def _leaderboard(self, company, agents, day):
        """Today's won deals per agent, counted as the sales leaderboard counts them (won
        opportunities, for whoever owned them when won); more sales first, then more
        deals, then the lower user id."""
        self.env["crm.lead"].flush_model(["won_status", "telesales_won_user_id", "telesales_won_date",
                                          "expected_revenue", "company_id"])
        self.env.cr.execute(SQL("""
            SELECT d.telesales_won_user_id, COUNT(*), COALESCE(SUM(COALESCE(d.expected_revenue, 0)), 0)
              FROM crm_lead d
             WHERE %s AND d.telesales_won_user_id = ANY(%s) AND d.telesales_won_date = %s
               AND (d.company_id = %s OR d.company_id IS NULL)
          GROUP BY 1
        """, won_deal_sql("d"), agents.user_id.ids, day, company.id))
        won = {user: (count, float(amount)) for user, count, amount in self.env.cr.fetchall()}
        rows = [{"user_id": agent.user_id.id, "name": agent.name, "deals": won.get(agent.user_id.id, (0, 0.0))[0],
                 "amount": company.currency_id.round(won.get(agent.user_id.id, (0, 0.0))[1])} for agent in agents]
        return sorted(rows, key=lambda row: (-row["amount"], -row["deals"], row["user_id"]))

    @api.model
    def _allocation_preview(self, company, team, manager):
        """The latest allocation preview waiting for this team (and for the manager, the
        department's), with `stale` when some of its leads were taken or moved since
        (`telesales.allocation.run.is_stale`)."""
        domain = [("state", "=", "preview"), ("company_id", "=", company.id)]
        domain += (["|", ("level", "=", "department"), "&", ("level", "=", "team"), ("team_id", "=", team.id)]
                   if manager else [("level", "=", "team"), ("team_id", "=", team.id)])
        run = self.env["telesales.allocation.run"].sudo().search(domain, order="id desc", limit=1)
        if not run:
            return False
        run.invalidate_recordset(["is_stale", "stale_note"])  # its leads change under it
        return {"id": run.id, "name": run.name, "lead_count": run.lead_count, "stale": run.is_stale,
                "stale_note": run.stale_note or False}

    # ------------------------------------------------------------
    # Live updates (Odoo's bus)
    # ------------------------------------------------------------

    @api.model
    def _notify_progress(self, calls, vals=None):
        """Tell the agents whose figures `calls` change (logged, or `vals` written), and
        their team leaders, to fetch My Day and the board again: "telesales_progress"
        {"user_id"} on the bus, sent once the transaction commits. One query."""
        if vals is not None and not PROGRESS_FIELDS & set(vals):
            return
        user_ids = set(calls.user_id.ids)
        if vals and vals.get("user_id"):
            user_ids.add(vals["user_id"])
        if not user_ids:
            return
        self.env.cr.execute(SQL("""
            SELECT u.id, u.partner_id, lu.partner_id
              FROM res_users u
              LEFT JOIN hr_employee e ON e.user_id = u.id AND e.active
              LEFT JOIN crm_team t ON t.id = e.telesales_team_id
              LEFT JOIN res_users lu ON lu.id = t.user_id
             WHERE u.id = ANY(%s)
        """, sorted(user_ids)))
        targets = {(partner, user) for user, *partners in self.env.cr.fetchall() for partner in partners if partner}
        Partner = self.env["res.partner"].sudo()
        for partner, user in sorted(targets):
            Partner.browse(partner)._bus_send("telesales_progress", {"user_id": user})


def _hour(value):
    """A local hour from the report (NULL when there was no call), or None."""
    return None if value is None or value is False else value

