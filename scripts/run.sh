#!/usr/bin/env bash
# `make run`: Odoo 19 on http://localhost:8069 with telesales_mgmt and its demo data in
# the database `telesales` (created on first run, upgraded when the addon changed).
set -euo pipefail
source "$(dirname "$0")/env.sh"
prepare
DB=${TELESALES_DB:-telesales}
PORT=${HTTP_PORT:-8069}
addon_hash=$(find "$ROOT/telesales_mgmt" -type f ! -name '*.pyc' -print0 | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-12)
if ! db_exists "$DB"; then
    echo "Installing telesales_mgmt with demo data into $DB ..."
    install_addon "$DB" "$DATA_DIR/$DB-install.log" --with-demo
    echo "$addon_hash" > "$DATA_DIR/$DB.addon-hash"
elif [ "$(cat "$DATA_DIR/$DB.addon-hash" 2>/dev/null)" != "$addon_hash" ]; then
    echo "The addon changed: upgrading telesales_mgmt in $DB ..."
    odoo_cmd -d "$DB" -u telesales_mgmt --stop-after-init --log-level=warn
    echo "$addon_hash" > "$DATA_DIR/$DB.addon-hash"
fi
cat <<MSG

  Odoo 19 with telesales_mgmt:  http://localhost:$PORT   (database: $DB)
  Demo logins (password "telesales" for all):
    ts_manager   department manager      ts_leader1  team leader (Team A)
    ts_agent1    agent (trainee)          ts_agent3   agent (live)
    ts_service   customer service         ts_hr       HR officer
    ts_aftersales  after-sales (sees the complaints forwarded to it)
    admin / admin  Odoo administrator (telesales administrator)
  Ctrl-C stops Odoo; 'make stop' stops the database server.

MSG
exec "$PY" -m odoo server -c "$ODOO_RC" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT"
