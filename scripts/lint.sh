#!/usr/bin/env bash
# `make lint` (and the first step of `make test`): ruff and pylint-odoo, OCA's linters, with
# ruff.toml and .pylintrc, from the venv (pinned in requirements-dev.txt), so it runs offline.
# `scripts/lint.sh ruff` or `scripts/lint.sh pylint` runs one (the pre-commit hooks do).
set -euo pipefail
source "$(dirname "$0")/env.sh"
[ -x "$VENV/bin/pylint" ] && [ "$(cat "$VENV/.req-hash" 2>/dev/null)" = \
    "$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" | sha1sum | cut -c1-12)" ] \
    || bash "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
PATHS=(telesales_mgmt tests bench)
status=0
if [ "${1:-ruff}" = ruff ]; then
    "$VENV/bin/ruff" check --no-fix --no-cache "${PATHS[@]}" || status=1
fi
if [ "${1:-pylint}" = pylint ]; then
    "$VENV/bin/pylint" --rcfile="$ROOT/.pylintrc" --output-format=text "${PATHS[@]}" || status=1
fi
[ "$status" = 0 ] && echo "lint: no findings (ruff, pylint-odoo)"
exit "$status"
