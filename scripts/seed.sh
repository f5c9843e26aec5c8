#!/usr/bin/env bash
# `make seed LEADS=… AGENTS=… [DB=telesales]`: bulk teams, agents and leads in a database
# that has the addon (e.g. the one `make run` serves), committed.
set -euo pipefail
source "$(dirname "$0")/env.sh"
prepare
db=$1 leads=$2 agents=$3
db_exists "$db" || { echo "seed: database $db does not exist: run 'make run' first or pass DB=" >&2; exit 1; }
odoo_cmd shell -d "$db" --log-level=warn --no-http <<PY
import time
start = time.perf_counter()
Seed = env["telesales.seed"]
teams = Seed._generate_department(int("$agents"))
leads = Seed._generate_leads(int("$leads"), seed=int(time.time()))
env.cr.commit()
print(f"seed: {len(teams)} teams, $agents agents, {len(leads)} leads in {time.perf_counter() - start:.1f} s")
PY
