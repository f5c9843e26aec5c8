"""System tests against a real Odoo process and PostgreSQL: the server answers HTTP and
JSON-RPC with the demo logins, and the addon upgrades and uninstalls cleanly.
The tests run in file order on one database: serve, upgrade, then uninstall."""
import json
import re
import subprocess
import urllib.request


def _json_rpc(url, service, method, *args):
    payload = {"jsonrpc": "2.0", "method": "call", "id": 1,
               "params": {"service": service, "method": method, "args": list(args)}}
    request = urllib.request.Request(url + "/jsonrpc", json.dumps(payload).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_web_login_page_is_served(server):
    with urllib.request.urlopen(server + "/web/login", timeout=60) as response:
        assert response.status == 200
        assert 'name="login"' in response.read().decode()


def test_demo_agent_authenticates_over_json_rpc(server, odoo_system):
    db = odoo_system.database
    uid = _json_rpc(server, "common", "login", db, "ts_agent1", "telesales")["result"]
    assert isinstance(uid, int) and uid > 0
    assert _json_rpc(server, "common", "login", db, "ts_agent1", "wrong")["result"] is False

    ranks = _json_rpc(server, "object", "execute_kw", db, uid, "telesales", "telesales.rank",
                      "search_read", [[]], {"fields": ["base_pay"]})["result"]
    assert sorted(rank["base_pay"] for rank in ranks) == [1380, 1580, 1780, 1980, 2180, 2380]
    # an agent reads the ladder but cannot change pay, over RPC as in the UI
    denied = _json_rpc(server, "object", "execute_kw", db, uid, "telesales", "telesales.rank",
                       "write", [[ranks[0]["id"]], {"base_pay": 99999}])
    assert denied["error"]["data"]["name"] == "odoo.exceptions.AccessError"


def test_upgrade_keeps_admin_edits(odoo_system):
    odoo_system.shell(
        "env.ref('telesales_mgmt.rank_agent_1').base_pay = 1666\nenv.cr.commit()\n")
    done = subprocess.run(
        odoo_system.command("-u", "telesales_mgmt", "--stop-after-init", "--log-level=warn",
                            "--no-http"),
        capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    errors = [line for line in done.stderr.splitlines() if re.search(r" (ERROR|CRITICAL) ", line)]
    assert not errors, errors
    result = odoo_system.shell(
        "m = env['ir.module.module'].search([('name', '=', 'telesales_mgmt')])\n"
        "print('RESULT', m.state, env.ref('telesales_mgmt.rank_agent_1').base_pay,"
        " env['crm.team'].search_count([('is_telesales', '=', True)]))\n")
    assert result == ["installed 1666.0 3"], "the ladder is the admin's data (noupdate)"


def test_uninstall_removes_the_addon(odoo_system):
    result = odoo_system.shell(
        "env['ir.module.module'].search([('name', '=', 'telesales_mgmt')])"
        ".button_immediate_uninstall()\n"
        "env.cr.commit()\n"
        "from odoo.tools.sql import column_exists, table_exists\n"
        "m = env['ir.module.module'].search([('name', '=', 'telesales_mgmt')])\n"
        "print('RESULT', m.state, table_exists(env.cr, 'telesales_rank'),"
        " bool(column_exists(env.cr, 'hr_employee', 'telesales_role')),"
        " bool(column_exists(env.cr, 'crm_team', 'is_telesales')),"
        " bool(env.ref('telesales_mgmt.group_telesales_agent', raise_if_not_found=False)),"
        " env['crm.team'].search_count([]) > 0)\n")
    assert result == ["uninstalled False False False False True"]
