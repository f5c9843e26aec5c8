#!/usr/bin/env bash
# `make bench [B=name]`: benchmarks of bench/ on a database with the addon (no demo data).
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash "$ROOT/scripts/bootstrap.sh"
mkdir -p "$DATA_DIR"
write_odoo_rc
ensure_template
DB=telesales_bench
clone_db "$(template_db)" "$DB"
odoo_cmd -d "$DB" -i telesales_mgmt --stop-after-init --log-level=warn > "$DATA_DIR/bench-install.log" 2>&1 \
    || { tail -30 "$DATA_DIR/bench-install.log" >&2; exit 1; }
cd "$ROOT"
exec "$PY" bench/run.py "$ODOO_RC" "$DB" "${1:-}"
