"""My Day and the team board (issue 17): the call queue's order, the answer-rate hints,
the pace towards the daily minimum (R-CALL-5), and the few SQL statements that feed them.

Everything that decides is plain Python here (tested without the ORM); the SQL only
gathers: one statement for an agent's whole queue (leads, follow-ups, today's
allocations and each customer's calls by hour of day), and one per company and day for
the segments' answer rates (cached by the model).

Answer rates (the hint "usually answers 10-11"): a customer's connected share of the
outbound calls made to them at a local hour of the day, shrunk towards their segment's
share at that hour (source, grade, city), itself shrunk towards the company's, each by
PRIOR_WEIGHT calls: one answered call does not outrank nine of ten. A customer with no
call yet takes their segment's rate and hint.
"""
import math

from odoo.tools import SQL

GROUPS = ("overdue", "due", "new", "other")
GRADE_ORDER = {"a": 0, "b": 1, "c": 2}
INTENT_ORDER = {"high": 0, "medium": 1, "low": 2, "none": 3}
# Calls of history that weigh as much as the level above (segment, company) in a rate.
PRIOR_WEIGHT = 2.0
# A segment's hour gives a hint only from this many calls: a hint is a habit, not a fluke.
MIN_SEGMENT_CALLS = 5
# How far back the calls behind the answer rates go.
HISTORY_DAYS = 180
# Rows in the queue, and candidates ranked for them (an agent holds at most the open-lead
# cap, 200 by default).
QUEUE_SIZE = 50
QUEUE_CANDIDATES = 500


# ------------------------------------------------------------
# Clock
# ------------------------------------------------------------

def hhmm(hours):
    """"09:30" for 9.5; False for None."""
    if hours is None or hours is False:
        return False
    minutes = int(round(hours * 60))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes_left(now_hour, cutoff):
    """Whole minutes from `now_hour` to the cut-off (rounded up), 0 once it passed."""
    if now_hour >= cutoff:
        return 0
    return math.ceil(round((cutoff - now_hour) * 60, 6))


def first_call_state(first, due, now_hour):
    """"met" when the first call (a local hour, or None) came before `due`, "missed" once
    `due` passed without one, "open" before it."""
    if first is not None and first < due:
        return "met"
    return "missed" if now_hour >= due else "open"


# ------------------------------------------------------------
# Pace towards the daily minimum (behind at the check time)
# ------------------------------------------------------------

def pace_share(windows, hour, cutoff):
    """The share of the day's calling time, `windows` [(from, to)] in local hours cut at
    the cut-off, that has elapsed at `hour`: what part of the daily minimum an agent on
    course has done by then. No calling time before the cut-off: 0 before it, 1 after."""
    spans = [(start, min(stop, cutoff)) for start, stop in windows if start < min(stop, cutoff)]
    total = sum(stop - start for start, stop in spans)
    if total <= 0:
        return 1.0 if hour >= cutoff else 0.0
    done = sum(max(0.0, min(stop, hour) - start) for start, stop in spans)
    return min(1.0, done / total)


def behind_reasons(connected, talk_hours, morning_state, afternoon_state, min_connected, min_talk, share):
    """Why an agent is not on course for the minimum at `share` of the calling day:
    [(code, done, expected)] with code "connected" or "talk" (below the share of the
    minimum), "morning" or "afternoon" (a first-call deadline missed). [] on course."""
    reasons = []
    expected_connected, expected_talk = min_connected * share, min_talk * share
    if connected < expected_connected - 1e-9:
        reasons.append(("connected", connected, expected_connected))
    if talk_hours < expected_talk - 1e-9:
        reasons.append(("talk", talk_hours, expected_talk))
    if morning_state == "missed":
        reasons.append(("morning", None, None))
    if afternoon_state == "missed":
        reasons.append(("afternoon", None, None))
    return reasons


# ------------------------------------------------------------
# Answer rates and hints
# ------------------------------------------------------------

def smooth(connected, dialled, prior, weight=PRIOR_WEIGHT):
    """The connected share of `dialled` calls, shrunk towards `prior` by `weight` calls."""
    return (connected + weight * prior) / (dialled + weight)


def hour_stats(rows):
    """{hour: (dialled, connected)} from [(hour, dialled, connected)] (JSON from SQL)."""
    stats = {}
    for hour, dialled, connected in rows or ():
        before = stats.get(int(hour), (0, 0))
        stats[int(hour)] = (before[0] + dialled, before[1] + connected)
    return stats


def merge_stats(*many):
    total = {}
    for stats in many:
        for hour, (dialled, connected) in stats.items():
            before = total.get(hour, (0, 0))
            total[hour] = (before[0] + dialled, before[1] + connected)
    return total


def best_hour(stats, min_dialled=1):
    """The hour (local, whole) at which calls were answered most often: the best
    connected share among hours with an answered call and at least `min_dialled` calls,
    then more answered calls, then the earlier hour. None without any."""
    candidates = [(connected / dialled, connected, -hour, hour) for hour, (dialled, connected) in stats.items()
                  if connected and dialled >= min_dialled]
    return max(candidates)[3] if candidates else None


def outlook(customer, segment, company, hour):
    """(answer rate at `hour`, hint hour or None, source) of one customer. `customer`,
    `segment`, `company`: {hour: (dialled, connected)}. Source "customer" once they were
    called, else "segment" when their segment was, else False."""
    dialled, connected = company.get(hour, (0, 0))
    company_rate = connected / dialled if dialled else 0.0
    dialled, connected = segment.get(hour, (0, 0))
    segment_rate = smooth(connected, dialled, company_rate)
    if customer:
        dialled, connected = customer.get(hour, (0, 0))
        return smooth(connected, dialled, segment_rate), best_hour(customer), "customer"
    if segment:
        return segment_rate, best_hour(segment, MIN_SEGMENT_CALLS), "segment"
    return company_rate, None, False


# ------------------------------------------------------------
# The queue's order
# ------------------------------------------------------------

def queue_key(row):
    """Sort key of a queue row (a dict): its group (overdue and due follow-ups, today's
    new leads, the others); callable before blocked; in the last group grade and intent
    first, leads planned for a later day after the rest; then the customers most likely
    to answer at this hour; ties: grade, intent, the earliest follow-up, the longest
    without a call (never called first), the lowest lead id."""
    grade = GRADE_ORDER.get(row.get("grade"), 3)
    intent = INTENT_ORDER.get(row.get("intent"), 4)
    head = (GROUPS.index(row["group"]), bool(row.get("blocked")))
    if row["group"] == "other":
        head += (bool(row.get("planned_later")), grade, intent)
    due = row.get("due_at") or row.get("due_day")
    last = row.get("last_call")
    return head + (-round(row.get("rate") or 0.0, 9), grade, intent, (due is None, str(due or "")),
                   (last is not None, str(last or "")), row["lead_id"])


def order_queue(rows, size=QUEUE_SIZE):
    return sorted(rows, key=queue_key)[:size]


# ------------------------------------------------------------
# SQL
# ------------------------------------------------------------

def queue_rows(cr, user_id, company_id, today, day_bounds, since, no_progress_limit, limit=QUEUE_CANDIDATES):
    """The open leads `user_id` holds, each with its group, its earliest open follow-up
    (activity of the agent; the planned time when a call's plan made it), today's
    allocation, what blocks a call (do-not-call, number blacklisted, R-LEAD-5 approval) and
    its customer's outbound calls by local hour since `since` ("hours": [[hour,
    dialled, connected]]): one statement. `day_bounds`: today's start and end (naive UTC).
    The customer is the lead's partner (all their leads' calls) or else the lead."""
    cr.execute(SQL("""
        WITH l AS (
            SELECT l.id, l.name, l.partner_id, l.phone, l.phone_sanitized,
                   COALESCE(p.name, NULLIF(l.contact_name, ''), NULLIF(l.partner_name, '')) AS customer,
                   l.telesales_grade AS grade, l.telesales_intent_level AS intent,
                   l.telesales_furthest_stage AS stage, COALESCE(l.telesales_idle_attempts, 0) AS idle,
                   COALESCE(l.telesales_attempts_no_progress, 0) AS attempts,
                   l.telesales_approval_state AS approval,
                   COALESCE(l.telesales_do_not_call, FALSE) OR COALESCE(p.telesales_do_not_call, FALSE) AS dnc,
                   COALESCE(l.source_id, 0) AS source_id, COALESCE(l.telesales_grade, '') AS segment_grade,
                   COALESCE(lower(btrim(l.city)), '') AS city, l.telesales_last_call_date AS last_call
              FROM crm_lead l
              LEFT JOIN res_partner p ON p.id = l.partner_id
             WHERE l.user_id = %(uid)s AND l.active AND l.won_status = 'pending'
               AND (l.company_id = %(company)s OR l.company_id IS NULL)
        ), f AS (
            SELECT DISTINCT ON (a.res_id) a.res_id AS lead_id, a.date_deadline AS due_day, c.plan_date AS due_at
              FROM mail_activity a
              LEFT JOIN LATERAL (
                    SELECT plan_date FROM telesales_call
                     WHERE lead_id = a.res_id AND plan_activity_id = a.id LIMIT 1) c ON TRUE
             WHERE a.res_model = 'crm.lead' AND a.res_id IN (SELECT id FROM l)
               AND a.user_id = %(uid)s AND a.active
          ORDER BY a.res_id, a.date_deadline, c.plan_date NULLS LAST, a.id
        ), n AS (
            SELECT lead_id, MAX(date) AS received
              FROM telesales_allocation_log
             WHERE to_user_id = %(uid)s AND date >= %(day_start)s AND date < %(day_stop)s
               AND lead_id IN (SELECT id FROM l)
          GROUP BY lead_id
        ), q AS (
            SELECT l.*, f.due_day, f.due_at, n.received,
                   CASE WHEN f.due_day < %(today)s THEN 'overdue'
                        WHEN f.due_day = %(today)s THEN 'due'
                        WHEN n.received IS NOT NULL
                             AND (l.last_call IS NULL OR l.last_call < n.received) THEN 'new'
                        ELSE 'other' END AS grp,
                   l.dnc OR EXISTS (SELECT 1 FROM phone_blacklist b
                                     WHERE b.number = l.phone_sanitized AND b.active) AS do_not_call,
                   %(limit_np)s > 0 AND l.attempts >= %(limit_np)s AS needs_approval,
                   f.due_day > %(today)s AS planned_later
              FROM l
              LEFT JOIN f ON f.lead_id = l.id
              LEFT JOIN n ON n.lead_id = l.id
        ), top AS (
            SELECT * FROM q
          ORDER BY CASE grp WHEN 'overdue' THEN 0 WHEN 'due' THEN 1 WHEN 'new' THEN 2 ELSE 3 END,
                   do_not_call OR needs_approval,
                   CASE grp WHEN 'other' THEN COALESCE(planned_later, FALSE) ELSE FALSE END,
                   CASE grade WHEN 'a' THEN 0 WHEN 'b' THEN 1 WHEN 'c' THEN 2 ELSE 3 END,
                   CASE intent WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2
                               WHEN 'none' THEN 3 ELSE 4 END,
                   id
             LIMIT %(limit)s
        ), calls AS (
            SELECT t.id AS lead_id, c.id AS call_id, c.local_hour, c.is_connected
              FROM top t JOIN telesales_call c ON c.lead_id = t.id
             WHERE c.direction = 'outbound' AND c.start >= %(since)s AND c.local_hour IS NOT NULL
             UNION
            SELECT t.id, c.id, c.local_hour, c.is_connected
              FROM top t JOIN telesales_call c ON c.partner_id = t.partner_id
             WHERE t.partner_id IS NOT NULL AND c.direction = 'outbound' AND c.start >= %(since)s
               AND c.local_hour IS NOT NULL
        ), h AS (
            SELECT lead_id, json_agg(json_build_array(hour, dialled, connected)) AS hours
              FROM (SELECT lead_id, floor(local_hour)::int AS hour, COUNT(*) AS dialled,
                           COUNT(*) FILTER (WHERE is_connected) AS connected
                      FROM calls GROUP BY 1, 2) s
          GROUP BY lead_id
        )
        SELECT t.id AS lead_id, t.name, t.customer, t.phone, t.grade, t.intent, t.stage, t.idle,
               t.approval, t.grp AS "group", t.do_not_call, t.needs_approval, t.planned_later,
               t.due_day, t.due_at, t.last_call, t.source_id, t.segment_grade, t.city, h.hours
          FROM top t LEFT JOIN h ON h.lead_id = t.id
    """, uid=user_id, company=company_id, today=today, day_start=day_bounds[0], day_stop=day_bounds[1], since=since,
        limit_np=no_progress_limit or 0, limit=limit))
    names = [column.name for column in cr.description]
    return [dict(zip(names, row)) for row in cr.fetchall()]


def segment_rows(cr, company_id, since):
    """[(source id or 0, grade or '', city or '', hour, dialled, connected)]: the
    company's outbound calls since `since` by the called lead's segment and local hour."""
    cr.execute(SQL("""
        SELECT COALESCE(l.source_id, 0), COALESCE(l.telesales_grade, ''), COALESCE(lower(btrim(l.city)), ''),
               floor(c.local_hour)::int, COUNT(*), COUNT(*) FILTER (WHERE c.is_connected)
          FROM telesales_call c
          JOIN crm_lead l ON l.id = c.lead_id
         WHERE c.company_id = %s AND c.direction = 'outbound' AND c.start >= %s AND c.local_hour IS NOT NULL
      GROUP BY 1, 2, 3, 4
    """, company_id, since))
    return cr.fetchall()


def segment_stats(rows):
    """({segment: {hour: (dialled, connected)}}, company {hour: (dialled, connected)})."""
    segments, company = {}, {}
    for source, grade, city, hour, dialled, connected in rows:
        for stats in (segments.setdefault((source, grade, city), {}), company):
            before = stats.get(hour, (0, 0))
            stats[hour] = (before[0] + dialled, before[1] + connected)
    return segments, company
