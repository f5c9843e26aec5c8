#!/usr/bin/env bash
# Make this checkout runnable: Odoo 19 source, the Python venv, a PostgreSQL server.
# Idempotent: each step is skipped when already done, so a rerun takes a second or two.
set -euo pipefail
source "$(dirname "$0")/env.sh"

die() { echo "bootstrap: $*" >&2; exit 1; }

# 1. Odoo 19 source: ODOO_SRC, or Debian's odoo-19 package extracted into .odoo/.
if [ -n "${ODOO_SRC:-}" ]; then
    [ -f "$ODOO_SRC/odoo/release.py" ] || die "ODOO_SRC=$ODOO_SRC has no odoo/release.py: point it at the folder that holds the 'odoo' package"
    odoo_path="$ODOO_SRC"
else
    bash "$ROOT/scripts/fetch_odoo.sh"
    odoo_path="$ROOT/.odoo/usr/lib/python3/dist-packages"
fi

# 2. Python venv, rebuilt only when the requirement files change.
command -v python3.11 >/dev/null || die "python3.11 not found: install Python 3.11 (e.g. apt-get install python3.11 python3.11-venv)"
req_hash=$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" | sha1sum | cut -c1-12)
if [ "$(cat "$VENV/.req-hash" 2>/dev/null)" != "$req_hash" ]; then
    echo "Installing Python packages into .venv ..."
    python3.11 -m venv "$VENV" || die "could not create a venv: install python3.11-venv"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/requirements-dev.txt" 2>&1 \
        | grep -v "^WARNING: Location" || true
    [ "${PIPESTATUS[0]}" -eq 0 ] || die "pip install failed (see above)"
    echo "$req_hash" > "$VENV/.req-hash"
fi
site=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$odoo_path" > "$site/odoo19.pth"
"$PY" -c 'import odoo.release as r; assert r.version_info[0] == 19, r.version' \
    || die "the odoo package found is not Odoo 19"

# 3. PostgreSQL: the user's server, or a project-local cluster in .pgdata/.
bash "$ROOT/scripts/pg.sh" start

# 4. Debian's odoo-19 leaves out mail's selfie_segmentation.js (a minified MediaPipe build,
# background blur in video calls). Its bundle then logs a console error on every page,
# which fails every browser tour: in the extracted copy, an empty script stands in
# (blur stays unavailable, as it already is). A user's ODOO_SRC is never touched.
selfie="$odoo_path/odoo/addons/mail/static/lib/selfie_segmentation/selfie_segmentation.js"
if [ -z "${ODOO_SRC:-}" ] && [ ! -e "$selfie" ]; then
    mkdir -p "$(dirname "$selfie")"
    echo "/* Not shipped by Debian's odoo-19 package: background blur is unavailable. */" > "$selfie"
fi

# 5. A headless browser for the tours (Odoo's HttpCase looks for google-chrome, chromium,
# chromium-browser, google-chrome-stable on the PATH): Debian's Chromium when none is there.
have_browser() {
    local b
    for b in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$b" >/dev/null && return 0
    done
    return 1
}
if ! have_browser; then
    if [ "$(id -u)" = 0 ]; then as_root=()
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then as_root=(sudo -n)
    else die "no Chromium or Google Chrome on the PATH for the browser tours: install Debian's chromium as root (apt-get install --no-install-recommends chromium), then rerun"
    fi
    apt_install() { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium; }
    echo "Installing Chromium for the browser tours ..."
    mkdir -p "$DATA_DIR"
    # A fresh machine may have no package lists yet: update once if the install fails.
    { apt_install || { "${as_root[@]}" apt-get update -q && apt_install; }; } > "$DATA_DIR/chromium-install.log" 2>&1 \
        || { tail -20 "$DATA_DIR/chromium-install.log" >&2; die "could not install chromium (see .data/chromium-install.log): install it as root (apt-get install chromium), then rerun"; }
    have_browser || die "chromium was installed but is not on the PATH"
fi
