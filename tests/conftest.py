import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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

        def command(self, *args, database=None):
            return [python, "-m", "odoo", *args, "-c", rc, "-d", database or db]

        def shell(self, script, timeout=600, database=None):
            """Run `script` in `odoo shell`; returns the lines it printed after RESULT."""
            done = subprocess.run(
                self.command("shell", "--log-level=warn", "--no-http", database=database),
                input=script, capture_output=True, text=True, timeout=timeout, check=False)
            assert done.returncode == 0, done.stderr[-3000:]
            return [line[len("RESULT "):] for line in done.stdout.splitlines()
                    if line.startswith("RESULT ")]

        @contextlib.contextmanager
        def serve(self, log_path, workers=0, timeout=180):
            """A real Odoo server on this database, on a free loopback port, without cron
            threads; with `workers` > 0 in prefork mode (its gevent port free too). Yields
            its base URL once /web/login answers; stopped on exit."""
            port = free_port()
            extra = [f"--workers={workers}", f"--gevent-port={free_port()}"] if workers else []
            with open(log_path, "w") as log_file:
                process = subprocess.Popen(
                    self.command("server", f"--http-port={port}", "--http-interface=127.0.0.1",
                                 f"--db-filter=^{db}$", "--max-cron-threads=0",
                                 "--log-level=warn", *extra),
                    stdout=log_file, stderr=subprocess.STDOUT)
            url = f"http://127.0.0.1:{port}"
            try:
                deadline = time.monotonic() + timeout
                while True:
                    try:
                        # The port opens before the registry is loaded: on a busy machine
                        # the first answer takes 25-30 s (measured), so wait for it. A read
                        # timeout raises TimeoutError, which is no URLError: catch OSError
                        # (refused, reset, timed out) as "not yet".
                        with urllib.request.urlopen(url + "/web/login", timeout=60):
                            break
                    except OSError:
                        assert process.poll() is None, log_path.read_text()[-3000:]
                        assert time.monotonic() < deadline, f"Odoo did not answer within {timeout} s"
                        time.sleep(0.5)
                yield url
            finally:
                process.terminate()
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=30)

    return OdooSystem()


@pytest.fixture(scope="module")
def server(odoo_system, tmp_path_factory, request):
    """A real Odoo server for the tests of one module; `SERVER_WORKERS = n` at the top of
    the module runs it with n HTTP workers (prefork) instead of threads."""
    workers = getattr(request.module, "SERVER_WORKERS", 0)
    log = tmp_path_factory.mktemp("server") / "odoo.log"
    with odoo_system.serve(log, workers=workers) as url:
        yield url
