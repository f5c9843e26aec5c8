#!/usr/bin/env bash
# `make bench [B=name]`: benchmarks of bench/ on a database with the addon (no demo data).
set -euo pipefail
source "$(dirname "$0")/env.sh"
prepare
DB=telesales_bench
install_addon "$DB" "$DATA_DIR/bench-install.log"
cd "$ROOT"
exec "$PY" bench/run.py "$ODOO_RC" "$DB" "${1:-}"
