# Shared settings for the project's scripts: sourced, never executed.
# Every path is inside the checkout (git-ignored) except the download cache.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
PGDATA_DIR="$ROOT/.pgdata"
LOCAL_PGPORT=${TELESALES_PGPORT:-54329}
# A user-provided server (PGHOST/PGPORT/PGUSER/PGPASSWORD) wins: then nothing is started.
# The decision is exported so that nested scripts keep it.
if [ -z "${TELESALES_EXTERNAL_PG:-}" ]; then
    [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}${PGPASSWORD:-}" ] && TELESALES_EXTERNAL_PG=1 || TELESALES_EXTERNAL_PG=0
    export TELESALES_EXTERNAL_PG
fi
if [ "$TELESALES_EXTERNAL_PG" = 1 ]; then
    DB_HOST="${PGHOST:-localhost}"; DB_PORT="${PGPORT:-5432}"
    DB_USER="${PGUSER:-$(id -un)}"; DB_PASSWORD="${PGPASSWORD:-}"
else
    DB_HOST=127.0.0.1; DB_PORT=$LOCAL_PGPORT; DB_USER=odoo; DB_PASSWORD=odoo
fi
export PGHOST="$DB_HOST" PGPORT="$DB_PORT" PGUSER="$DB_USER" PGPASSWORD="$DB_PASSWORD"
ODOO_ADDONS_PATH="$ROOT"
odoo_bin() {
    "$PY" -m odoo "$@" --db_host="$DB_HOST" --db_port="$DB_PORT" --db_user="$DB_USER" \
        --db_password="$DB_PASSWORD" --addons-path="$ODOO_ADDONS_PATH"
}
DATA_DIR="$ROOT/.data"
ODOO_RC="$ROOT/.odoorc"
DEPENDENCIES="crm,sale_crm,hr,hr_attendance,hr_holidays,mail,spreadsheet_dashboard"

# Odoo's configuration file for this checkout, so that every tool (odoo, pytest-odoo,
# the system tests) talks to the same server with the same addons path.
write_odoo_rc() {
    cat > "$ODOO_RC" <<CONF
[options]
addons_path = $ROOT
data_dir = $DATA_DIR
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
db_password = $DB_PASSWORD
http_interface = 127.0.0.1
CONF
}
odoo_cmd() { "$PY" -m odoo "$@" -c "$ODOO_RC"; }

# A database with the module's dependencies and their demo data, built once per
# Odoo/requirements version and cloned for every run: installing them takes ~70 s.
template_db() {
    local key
    key=$( (echo "$DEPENDENCIES"; cat "$ROOT/requirements.txt"; "$PY" -c 'import odoo.release as r; print(r.version, r.__file__)') | sha1sum | cut -c1-10)
    echo "telesales_tmpl_$key"
}
db_exists() { [ "$(psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname='$1'")" = 1 ]; }
ensure_template() {
    local tmpl; tmpl=$(template_db)
    db_exists "$tmpl" && return 0
    echo "Building the template database $tmpl (dependencies with demo data, about a minute) ..."
    PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "${tmpl}_wip"
    rm -rf "$DATA_DIR/filestore/${tmpl}_wip"
    odoo_cmd -d "${tmpl}_wip" -i "$DEPENDENCIES" --with-demo --stop-after-init --log-level=warn \
        > "$DATA_DIR/template.log" 2>&1 || { tail -30 "$DATA_DIR/template.log" >&2; echo "could not build the template database: see .data/template.log" >&2; return 1; }
    psql -d postgres -qc "ALTER DATABASE \"${tmpl}_wip\" RENAME TO \"$tmpl\""
    if [ -d "$DATA_DIR/filestore/${tmpl}_wip" ]; then
        # A stale folder of a dropped template would swallow the new one.
        rm -rf "$DATA_DIR/filestore/$tmpl"
        mv "$DATA_DIR/filestore/${tmpl}_wip" "$DATA_DIR/filestore/$tmpl"
    fi
    return 0
}
# clone_db SOURCE TARGET: the database and its filestore.
clone_db() {
    PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$2"
    createdb -T "$1" "$2"
    rm -rf "$DATA_DIR/filestore/$2"
    if [ -d "$DATA_DIR/filestore/$1" ]; then
        mkdir -p "$DATA_DIR/filestore" && cp -r "$DATA_DIR/filestore/$1" "$DATA_DIR/filestore/$2"
    fi
}
# Everything a command needs before it touches a database.
prepare() {
    bash "$ROOT/scripts/bootstrap.sh"
    mkdir -p "$DATA_DIR"
    write_odoo_rc
}
# install_addon DB LOG [odoo options...]: a fresh copy of the template with the addon.
install_addon() {
    local db=$1 log=$2; shift 2
    ensure_template
    clone_db "$(template_db)" "$db"
    odoo_cmd -d "$db" -i telesales_mgmt "$@" --stop-after-init --log-level=warn > "$log" 2>&1 \
        || { tail -40 "$log" >&2; echo "installing telesales_mgmt into $db failed: see $log" >&2; return 1; }
}
