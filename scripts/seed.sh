#!/usr/bin/env bash
# `make seed LEADS=… AGENTS=… [DB=telesales]`: bulk teams, agents and leads in a database
# that has the addon (e.g. the one `make run` serves), committed.
set -euo pipefail
source "$(dirname "$0")/env.sh"
prepare
db=$1 leads=$2 agents=$3
db_exists "$db" || { echo "seed: database $db does not exist: run 'make run' first or pass DB=" >&2; exit 1; }
# The generator is bench tooling (bench/seeding.py), not part of the addon.
odoo_cmd shell -d "$db" --log-level=warn --no-http <<PY
import sys, time
sys.path.insert(0, "$ROOT/bench")
import seeding
start = time.perf_counter()
teams = seeding.generate_department(env, int("$agents"))
leads = seeding.generate_leads(env, int("$leads"), seed=int(time.time()))
env.cr.commit()
print(f"seed: {len(teams)} teams, $agents agents, {len(leads)} leads in {time.perf_counter() - start:.1f} s")
PY
