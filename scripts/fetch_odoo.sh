#!/usr/bin/env bash
# Extract Odoo 19 Community from Debian's `odoo-19` package (sid, arch all) into .odoo/,
# with the packages its web assets link to (jQuery, Font Awesome, fonts, ...) extracted
# beside it so that none of those links dangle. A private apt configuration is used:
# the system's sources and state are never touched. The .debs are cached outside the
# checkout, so a second bootstrap downloads nothing.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/.odoo"
[ -f "$dest/.extracted" ] && exit 0

cache="${TELESALES_CACHE:-$HOME/.cache/telesales_mgmt}"
apt_dir="$cache/apt"
# package/suite: Odoo from sid; its linked assets from Debian 12 where it has them
# (Font Awesome 4.7 and Inconsolata's .otf are gone from sid), else from sid.
packages=(odoo-19/sid libjs-jquery/sid libjs-underscore/sid libjs-jquery-form/sid
          fonts-roboto-unhinted/sid fonts-montserrat/sid fonts-ocr-b/sid
          fonts-font-awesome/bookworm fonts-inconsolata/bookworm)

missing=()
for spec in "${packages[@]}"; do
    ls "$cache/${spec%%/*}"_*.deb >/dev/null 2>&1 || missing+=("$spec")
done
if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null || { echo "fetch_odoo: apt-get not found: get Odoo 19 yourself and set ODOO_SRC=/path/to/odoo" >&2; exit 1; }
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/etc"
    keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    [ -f "$keyring" ] || { echo "fetch_odoo: $keyring missing: apt-get install debian-archive-keyring" >&2; exit 1; }
    {
        echo "deb [signed-by=$keyring] http://deb.debian.org/debian sid main"
        echo "deb [signed-by=$keyring] http://deb.debian.org/debian bookworm main"
    } > "$apt_dir/etc/sources.list"
    opts=(-o "Dir::Etc::sourcelist=$apt_dir/etc/sources.list" -o "Dir::Etc::sourceparts=-"
          -o "Dir::State=$apt_dir" -o "Dir::State::lists=$apt_dir/lists"
          -o "Dir::State::status=/dev/null" -o "Dir::Cache=$apt_dir"
          -o "Dir::Cache::archives=$apt_dir/archives" -o "APT::Sandbox::User=root"
          -o "Debug::NoLocking=1" -o "Acquire::Languages=none")
    [ "$(id -u)" = 0 ] || opts+=(-o "APT::Sandbox::User=$(id -un)")
    echo "Downloading Odoo 19 (Debian package odoo-19, ~120 MB) and its web assets ..."
    apt-get "${opts[@]}" -qq update
    (cd "$cache" && apt-get "${opts[@]}" -qq download "${missing[@]}")
fi

rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
for spec in "${packages[@]}"; do
    deb=$(ls "$cache/${spec%%/*}"_*.deb | tail -n 1)
    dpkg-deb -x "$deb" "$dest.tmp"
done
dangling=$(find "$dest.tmp" -type l ! -exec test -e {} \; -print)
[ -z "$dangling" ] || { echo "fetch_odoo: links still dangle:" >&2; echo "$dangling" >&2; exit 1; }
rm -rf "$dest" && mv "$dest.tmp" "$dest"
touch "$dest/.extracted"
echo "Odoo 19 extracted into .odoo/"
