"""Writing a batch of lead owners in a few SQL statements, for `crm.lead`'s one door.

An ORM write of `team_id`/`user_id` on 100,000 leads spends minutes checking companies
and recomputing, lead by lead, the stored fields that depend on the owner. For most
pool leads those fields provably keep their value, or follow from a formula that SQL
evaluates over the whole batch. `write_owners` writes in SQL exactly the leads for
which this holds and leaves the others to the ORM:

- company: kept, since the lead's company is the new team's and the agent's;
- stage (and the stage date): kept, since the lead has a stage open to the new team;
- properties: kept, since the team does not change or neither side has properties;
- opening date: Odoo's own rule from `crm.lead.write` (now for a new agent, cleared
  without one), and the days to open from it;
- probabilities: Odoo's own predictive scoring, computed in batch for the leads that
  change to or from a team with its own scoring data, then the prorated revenues and
  the won status from them;
- followers: the new agent follows the lead, as Odoo's auto-subscription would do;
- the pool flag: a lead with a team is out of the pool.

`is_safe` checks that no other stored field depends on the owner (another module may
add one); if one does, everything goes through the ORM. `tests/test_allocation_sql.py`
compares both paths field by field.
"""
from psycopg2.errors import SerializationFailure

from odoo import fields
from odoo.tools import SQL

# Below this many leads the ORM write is fast enough, and runs automation rules.
BULK_MIN = 50
# Stored fields of crm.lead that depend on the owner, and that write_owners handles.
HANDLED = frozenset({
    "telesales_in_pool", "team_id", "user_id", "company_id", "stage_id", "date_last_stage_update",
    "lead_properties", "date_open", "day_open", "automated_probability", "probability",
    "prorated_revenue", "recurring_revenue_prorated", "recurring_revenue_monthly_prorated",
    "won_status",
})
SOURCES = ("team_id", "user_id", "date_open", "probability", "automated_probability")
PLS_BATCH = 50_000


def stored_dependents(env):
    """{"model.field"} stored fields recomputed when a lead's owner changes."""
    fields = env["crm.lead"]._fields
    return {f"{dep.model_name}.{dep.name}" for source in SOURCES
            for dep in env.registry.get_dependent_fields(fields[source]) if dep.store}


def is_safe(env):
    return stored_dependents(env) <= {f"crm.lead.{name}" for name in HANDLED}


def lock(cr, ids, skip_locked=False):
    """Lock the leads (in id order, so two batches cannot deadlock);
    {id: (team, user, active, do not call)}. With `skip_locked`, leads another
    transaction is changing are left out, and so are leads another transaction changed
    since this one began (claimed, moved, called): under Odoo's REPEATABLE READ, locking
    such a row raises a serialization failure, which would fail the whole run again at
    every retry while agents claim from the pool. They are found by halving the batch
    in savepoints; the caller counts them as skipped, and the next run takes them."""
    if not skip_locked:
        return _lock(cr, sorted(ids), SQL())
    return _lock_skipping_changed(cr, sorted(ids))


def _lock(cr, ids, mode, log_exceptions=True):
    cr.execute(SQL("""
        SELECT id, COALESCE(team_id, 0), COALESCE(user_id, 0), active,
               COALESCE(telesales_do_not_call, false)
          FROM crm_lead WHERE id = ANY(%s) ORDER BY id FOR UPDATE %s
    """, ids, mode), log_exceptions=log_exceptions)
    return {lead: (team or False, user or False, active, dnc)
            for lead, team, user, active, dnc in cr.fetchall()}


def _lock_skipping_changed(cr, ids):
    if not ids:
        return {}
    try:
        with cr.savepoint(flush=False):
            return _lock(cr, ids, SQL("SKIP LOCKED"), log_exceptions=False)
    except SerializationFailure:
        if len(ids) == 1:
            return {}
        half = len(ids) // 2
        return {**_lock_skipping_changed(cr, ids[:half]), **_lock_skipping_changed(cr, ids[half:])}


def _owner_rows(changed):
    ids = list(changed)
    return (ids, [changed[lead][0] or None for lead in ids], [changed[lead][1] or None for lead in ids])


def write_owners(env, changed, before):
    """Write in SQL the leads of `changed` ({id: (team, user, rule)}) whose dependent
    fields SQL can settle (see the module's docstring); return their ids. The caller
    has flushed and locked the leads."""
    cr = env.cr
    ids, teams, users = _owner_rows(changed)
    # The opening date by Odoo's rule in crm.lead.write, and day_open from it: whole
    # days from the creation (to the second) to the opening.
    cr.execute(SQL("""
        UPDATE crm_lead l
           SET team_id = n.team_id, user_id = n.user_id, date_open = n.date_open,
               telesales_in_pool = false,
               day_open = CASE WHEN n.date_open IS NULL OR l.create_date IS NULL THEN NULL
                               ELSE abs(extract(day FROM n.date_open - date_trunc('second', l.create_date))) END,
               write_uid = %(uid)s, write_date = %(now)s
          FROM (SELECT v.id, v.team_id, v.user_id,
                       CASE WHEN v.user_id IS NULL THEN NULL
                            WHEN v.user_id IS DISTINCT FROM o.user_id THEN %(now)s
                            ELSE o.date_open END AS date_open
                  FROM unnest(%(ids)s::int[], %(teams)s::int[], %(users)s::int[]) AS v(id, team_id, user_id)
                  JOIN crm_lead o ON o.id = v.id
                  JOIN crm_team t ON t.id = v.team_id
                 WHERE o.company_id IS NOT NULL AND t.company_id = o.company_id
                   AND (v.user_id IS NULL OR EXISTS (
                            SELECT 1 FROM res_company_users_rel r
                             WHERE r.user_id = v.user_id AND r.cid = o.company_id))
                   AND o.stage_id IS NOT NULL
                   AND NOT EXISTS (
                            SELECT 1 FROM crm_stage_crm_team_rel st
                             WHERE st.crm_stage_id = o.stage_id
                            HAVING bool_and(st.crm_team_id <> v.team_id))
                   AND (o.team_id = v.team_id
                        OR (COALESCE(o.lead_properties, '{}'::jsonb) IN ('{}'::jsonb, 'null'::jsonb)
                            AND COALESCE(t.lead_properties_definition, '[]'::jsonb) IN ('[]'::jsonb, 'null'::jsonb)))
               ) AS n
         WHERE l.id = n.id
     RETURNING l.id
    """, now=cr.now(), uid=env.uid, ids=ids, teams=teams, users=users))
    fast = {lead for lead, in cr.fetchall()}
    if not fast:
        return fast
    env.invalidate_all(flush=False)
    rows = {lead: changed[lead] for lead in fast}
    # Scoring uses a team's own frequencies if it has any, else everyone's: a lead
    # between two teams without their own keeps its score.
    scored = {team.id for [team] in env["crm.lead.scoring.frequency"].sudo()._read_group([], ["team_id"])}
    scoring_team = lambda team: team if team in scored else None  # noqa: E731
    _rescore(env, [lead for lead in fast if scoring_team(rows[lead][0]) != scoring_team(before[lead][0])])
    _follow(env, rows)
    return fast


def _rescore(env, ids):
    """Predictive lead scoring depends on the team: Odoo's own computation, in batch."""
    Lead = env["crm.lead"]
    for start in range(0, len(ids), PLS_BATCH):
        batch = Lead.browse(ids[start:start + PLS_BATCH])
        scores, _unused = batch._pls_get_naive_bayes_probabilities()
        if not scores:
            continue
        lead_ids = list(scores)
        env.cr.execute(SQL("""
            WITH n AS (
                SELECT l.id, v.score, l.active, s.is_won, cur.rounding::numeric AS rounding,
                       CASE WHEN l.active AND round((COALESCE(l.probability, 0)
                                 - COALESCE(l.automated_probability, 0))::numeric, 2) = 0
                            THEN v.score ELSE l.probability END AS probability
                  FROM unnest(%s::int[], %s::float8[]) AS v(id, score)
                  JOIN crm_lead l ON l.id = v.id
                  LEFT JOIN crm_stage s ON s.id = l.stage_id
                  JOIN res_company c ON c.id = l.company_id
                  JOIN res_currency cur ON cur.id = c.currency_id
            )
            UPDATE crm_lead l
               SET automated_probability = n.score, probability = n.probability,
                   -- monetary fields: rounded to the company currency, as the ORM stores them
                   prorated_revenue = round(round(COALESCE(l.expected_revenue, 0)
                       * COALESCE(n.probability, 0)::numeric / 100, 2) / n.rounding) * n.rounding,
                   recurring_revenue_prorated = round(COALESCE(l.recurring_revenue, 0)
                       * COALESCE(n.probability, 0)::numeric / 100 / n.rounding) * n.rounding,
                   recurring_revenue_monthly_prorated = round(COALESCE(l.recurring_revenue_monthly, 0)
                       * COALESCE(n.probability, 0)::numeric / 100 / n.rounding) * n.rounding,
                   won_status = CASE WHEN n.probability = 100 AND n.is_won THEN 'won'
                                     WHEN NOT n.active AND n.probability = 0 THEN 'lost'
                                     ELSE 'pending' END
              FROM n
             WHERE l.id = n.id
               AND (l.automated_probability IS DISTINCT FROM n.score
                    OR l.probability IS DISTINCT FROM n.probability)
        """, lead_ids, [scores[lead] for lead in lead_ids]))
    env.invalidate_all(flush=False)


def _follow(env, rows):
    """The new agent follows the lead with the default subtypes, as Odoo's
    auto-subscription of the salesperson does (without notifying them)."""
    pairs = [(lead, user) for lead, (_team, user, _rule) in rows.items() if user]
    if not pairs:
        return
    subtypes = env["mail.message.subtype"].sudo().default_subtypes("crm.lead")[0].ids
    env.cr.execute(SQL("""
        WITH f AS (
            INSERT INTO mail_followers (res_model, res_id, partner_id)
            SELECT 'crm.lead', v.lead_id, u.partner_id
              FROM unnest(%s::int[], %s::int[]) AS v(lead_id, user_id)
              JOIN res_users u ON u.id = v.user_id
            ON CONFLICT DO NOTHING
            RETURNING id
        )
        INSERT INTO mail_followers_mail_message_subtype_rel (mail_followers_id, mail_message_subtype_id)
        SELECT f.id, s FROM f, unnest(%s::int[]) AS s
    """, [lead for lead, _user in pairs], [user for _lead, user in pairs], subtypes))
    env["mail.followers"].invalidate_model()


def insert_log(env, changed, before, level, reason, run=None, cooldown_until=None):
    """One log line per lead whose owner changed, in one statement. A run's lines leave
    "by" empty: the run says who ran it, and each foreign key costs a check per line."""
    if not changed:
        return
    env.flush_all()
    ids = list(changed)
    env.cr.execute(SQL("""
        INSERT INTO telesales_allocation_log
               (lead_id, date, user_id, level, from_team_id, from_user_id, to_team_id,
                to_user_id, rule_id, run_id, reason, cooldown_until)
        SELECT v.id, %(now)s, %(uid)s, %(level)s, v.from_team, v.from_user, v.to_team,
               v.to_user, v.rule_id, %(run)s, %(reason)s, %(cooldown)s
          FROM unnest(%(ids)s::int[], %(from_teams)s::int[], %(from_users)s::int[],
                      %(to_teams)s::int[], %(to_users)s::int[], %(rules)s::int[])
               AS v(id, from_team, from_user, to_team, to_user, rule_id)
    """, now=fields.Datetime.now(), uid=None if run else env.uid, level=level,
        run=run.id if run else None, reason=reason, cooldown=cooldown_until, ids=ids,
        from_teams=[before[lead][0] or None for lead in ids],
        from_users=[before[lead][1] or None for lead in ids],
        to_teams=[changed[lead][0] or None for lead in ids],
        to_users=[changed[lead][1] or None for lead in ids],
        rules=[changed[lead][2] or None for lead in ids]))
    env["telesales.allocation.log"].invalidate_model()
    env["crm.lead"].invalidate_model(["telesales_allocation_log_ids"])
