"""The data generator behind `make seed` and the other benchmarks' data sets.

ours: `seeding.generate_leads` (bench/seeding.py, batched `create`).
reference: the same leads created one `create()` call each, the per-record ORM loop.
ratio = ours_s / ref_s (below 1: ours is faster).
"""
import time

import seeding

LEADS = 2000


def run(env):
    seeding.generate_department(env, agents=24)
    env.flush_all()

    start = time.perf_counter()
    leads = seeding.generate_leads(env, LEADS, seed=1)
    env.flush_all()
    ours = time.perf_counter() - start

    fields = ["name", "contact_name", "phone", "type", "source_id", "telesales_grade",
              "expected_revenue", "team_id", "user_id"]
    vals_list = [
        {fname: (value.id if hasattr(value, "id") else value) for fname, value in
         ((fname, lead[fname]) for fname in fields)}
        for lead in leads]
    Lead = env["crm.lead"].with_context(mail_create_nolog=True, mail_notrack=True,
                                        tracking_disable=True)
    start = time.perf_counter()
    for vals in vals_list:
        Lead.create(vals)
    env.flush_all()
    reference = time.perf_counter() - start
    return [{"bench": "seed", "leads": LEADS, "ours_s": round(ours, 3),
             "reference_s": round(reference, 3), "ratio": round(ours / reference, 3)}]
