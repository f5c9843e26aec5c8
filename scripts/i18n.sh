#!/usr/bin/env bash
# `make i18n [DB=...]`: refresh telesales_mgmt.pot from a database that has the addon
# installed, merge it into zh_CN.po, and list the terms still untranslated.
set -euo pipefail
source "$(dirname "$0")/env.sh"
db=${1:-telesales_test}
i18n="$ROOT/telesales_mgmt/i18n"
odoo_cmd i18n export -d "$db" -o "$i18n/telesales_mgmt.pot" telesales_mgmt
msgmerge --quiet --no-fuzzy-matching --no-wrap --update --backup=none "$i18n/zh_CN.po" "$i18n/telesales_mgmt.pot"
msgattrib --no-obsolete --no-wrap -o "$i18n/zh_CN.po" "$i18n/zh_CN.po"
untranslated=$(msgattrib --untranslated --no-obsolete "$i18n/zh_CN.po" | grep -c '^msgid ' || true)
echo "zh_CN.po: $untranslated untranslated (the header counts as one)"
