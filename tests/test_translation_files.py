"""Every word a user reads is in Chinese: the terms Odoo exports from the installed addon
(fields, views, data, Python and JavaScript strings) all have a zh_CN translation, and the
committed .pot is that export (`make i18n` refreshes both)."""
import pathlib
import subprocess

import polib

I18N = pathlib.Path(__file__).resolve().parent.parent / "telesales_mgmt" / "i18n"


def test_every_exported_term_is_translated(odoo_system, request, tmp_path):
    database = request.config.getoption("odoo_database")
    pot_path = tmp_path / "telesales_mgmt.pot"
    exported = subprocess.run(odoo_system.command("i18n", "export", "-o", str(pot_path), "telesales_mgmt",
                                                  database=database),
                              capture_output=True, text=True, timeout=300, check=False)
    assert exported.returncode == 0, exported.stderr[-2000:]
    terms = {entry.msgid for entry in polib.pofile(str(pot_path)) if entry.msgid}
    translations = {entry.msgid: entry.msgstr for entry in polib.pofile(str(I18N / "zh_CN.po"))
                    if not entry.obsolete}
    missing = sorted(term for term in terms if not translations.get(term))
    assert not missing, f"{len(missing)} terms without zh_CN (run `make i18n`, then translate): {missing[:20]}"
    committed = {entry.msgid for entry in polib.pofile(str(I18N / "telesales_mgmt.pot")) if entry.msgid}
    assert committed == terms, f"telesales_mgmt.pot is stale: run `make i18n` ({sorted(terms ^ committed)[:10]})"
