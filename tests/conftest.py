import os
import subprocess
import sys

import pytest


@pytest.fixture(scope="session")
def odoo_system():
    """How to reach the system-test database that `make test` prepared: its own copy of
    the installed test database, so installs and uninstalls here touch nothing else."""
    rc, db = os.environ.get("TELESALES_ODOO_RC"), os.environ.get("TELESALES_SYS_DB")
    if not (rc and db):
        pytest.fail("system tests run through `make test` (TELESALES_ODOO_RC/TELESALES_SYS_DB unset)")
    python = os.environ.get("TELESALES_PYTHON", sys.executable)

    class OdooSystem:
        database = db

        def command(self, *args):
            return [python, "-m", "odoo", *args, "-c", rc, "-d", db]

        def shell(self, script, timeout=600):
            """Run `script` in `odoo shell`; returns the lines it printed after RESULT."""
            done = subprocess.run(
                self.command("shell", "--log-level=warn", "--no-http"),
                input=script, capture_output=True, text=True, timeout=timeout, check=False)
            assert done.returncode == 0, done.stderr[-3000:]
            return [line[len("RESULT "):] for line in done.stdout.splitlines()
                    if line.startswith("RESULT ")]

    return OdooSystem()
