"""Upgrading a database of the last released version (R: an upgrade keeps every record):
the addon of `RELEASE` is installed with its demo data from the git history, then
upgraded to this checkout with `-u`, as a company upgrades."""
import os
import pathlib
import subprocess

import pytest

# The last version that landed; move it forward with each release.
RELEASE = "ce5f991"
ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def released_addon(tmp_path_factory):
    folder = tmp_path_factory.mktemp("release")
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", RELEASE, "telesales_mgmt"],
                             capture_output=True, check=False)
    if archive.returncode:
        pytest.fail(f"git archive {RELEASE} failed (a shallow clone?): {archive.stderr.decode()[-500:]}")
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def test_upgrade_from_the_last_release(odoo_system, released_addon):
    template = os.environ.get("TELESALES_TEMPLATE_DB")
    if not template:
        pytest.fail("run through `make test` (TELESALES_TEMPLATE_DB unset)")
    database = f"{odoo_system.database}_release"
    subprocess.run(["dropdb", "--if-exists", database], check=True, capture_output=True)
    subprocess.run(["createdb", "-T", template, database], check=True)
    try:
        def odoo(*args, addons=None):
            command = odoo_system.command(*args, "--stop-after-init", "--log-level=warn", "--no-http",
                                          database=database)
            if addons:
                command.append(f"--addons-path={addons}")
            return subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)

        installed = odoo("-i", "telesales_mgmt", "--with-demo", addons=released_addon)
        assert installed.returncode == 0, installed.stderr[-3000:]
        upgraded = odoo("-u", "telesales_mgmt")
        assert upgraded.returncode == 0, upgraded.stderr[-3000:]
        errors = [line for line in upgraded.stderr.splitlines() if " ERROR " in line or " CRITICAL " in line]
        assert not errors, errors
        result = odoo_system.shell(
            "rule = env.ref('telesales_mgmt.telesales_call_rule_manager')\n"
            "print('RESULT', env['telesales.call'].search_count([]) > 0,"
            " rule.groups == env.ref('telesales_mgmt.group_telesales_manager'),"
            " env['ir.module.module'].search([('name', '=', 'telesales_mgmt')]).state,"
            " env.ref('telesales_mgmt.utm_source_marketing').telesales_label)\n",
            database=database)
        assert result == ["True True installed Marketing Department"], (
            "calls kept, customer service off the manager's rule, the sources' labels filled by the migration")
    finally:
        subprocess.run(["dropdb", "--if-exists", database], check=False, capture_output=True)
