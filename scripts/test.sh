#!/usr/bin/env bash
# `make test`: a fresh test database cloned from the template, the module installed with
# its demo data, then the whole suite (addon tests and system tests) with pytest-odoo.
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash "$ROOT/scripts/bootstrap.sh"
mkdir -p "$DATA_DIR"
write_odoo_rc
ensure_template

TEST_DB=telesales_test
clone_db "$(template_db)" "$TEST_DB"
echo "Installing telesales_mgmt with demo data into $TEST_DB ..."
odoo_cmd -d "$TEST_DB" -i telesales_mgmt --with-demo --stop-after-init --log-level=warn \
    > "$DATA_DIR/install.log" 2>&1 || { tail -40 "$DATA_DIR/install.log" >&2; exit 1; }
if grep -E " (ERROR|CRITICAL) " "$DATA_DIR/install.log" | grep -v "^#" >&2; then
    echo "the install logged errors: see .data/install.log" >&2; exit 1
fi
# The system tests install, upgrade and uninstall on their own copy.
clone_db "$TEST_DB" "${TEST_DB}_sys"

export TELESALES_ODOO_RC="$ODOO_RC" TELESALES_SYS_DB="${TEST_DB}_sys" TELESALES_PYTHON="$PY"
cd "$ROOT"
exec "$VENV/bin/pytest" --odoo-config="$ODOO_RC" --odoo-database="$TEST_DB" "$@"
