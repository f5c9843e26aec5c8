#!/usr/bin/env bash
# `make test`: a fresh test database cloned from the template, the module installed with
# its demo data, then the whole suite (addon tests and system tests) with pytest-odoo.
set -euo pipefail
source "$(dirname "$0")/env.sh"
started=$SECONDS
# Odoo's own runner (--test-tags) only runs the test modules tests/__init__.py imports.
for f in "$ROOT"/telesales_mgmt/tests/test_*.py; do
    m=$(basename "$f" .py)
    grep -qx "from . import $m" "$ROOT/telesales_mgmt/tests/__init__.py" \
        || { echo "telesales_mgmt/tests/$m.py is not imported by tests/__init__.py: Odoo's runner would skip it" >&2; exit 1; }
done
# Lint first (ruff, pylint-odoo: scripts/lint.sh): a finding fails the run in seconds.
bash "$ROOT/scripts/lint.sh"
prepare
TEST_DB=telesales_test
echo "Installing telesales_mgmt with demo data into $TEST_DB ..."
install_addon "$TEST_DB" "$DATA_DIR/install.log" --with-demo
# Odoo logs a failed demo load as a mere warning: for us it is a failure.
if grep -E " (ERROR|CRITICAL) |demo data failed" "$DATA_DIR/install.log" >&2; then
    echo "the install logged errors: see .data/install.log" >&2; exit 1
fi
# The system tests install, upgrade and uninstall on their own copy.
clone_db "$TEST_DB" "${TEST_DB}_sys"
echo "Set-up done in $((SECONDS - started)) s; running the suite."

export TELESALES_ODOO_RC="$ODOO_RC" TELESALES_SYS_DB="${TEST_DB}_sys" TELESALES_PYTHON="$PY" \
    TELESALES_TEMPLATE_DB="$(template_db)"
cd "$ROOT"
exec "$VENV/bin/pytest" --odoo-config="$ODOO_RC" --odoo-database="$TEST_DB" "$@"
