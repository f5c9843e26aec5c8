"""Packaging (OCA's way): telesales_mgmt/pyproject.toml builds the wheel
odoo-addon-telesales_mgmt with whool; installed into a fresh venv next to the same Odoo, it
lays the addon out as odoo/addons/telesales_mgmt, and Odoo installs the module from there
into a fresh database, without this checkout on its addons path (about a minute and a half:
half of it pip's warm cache, half the module's install)."""
import configparser
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(args, timeout=600, **kwargs):
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False, **kwargs)
    assert done.returncode == 0, f"{args[:4]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _sh(script, timeout=300):
    """A snippet with the project's shell settings (scripts/env.sh: the database server,
    template_db, clone_db)."""
    return _run(["bash", "-c", f'source "{ROOT}/scripts/env.sh" && {script}'], timeout=timeout)


def _site_packages(python):
    return Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).strip())


def test_wheel_installs_into_a_fresh_venv_and_odoo_installs_the_module_from_it(tmp_path, odoo_system):
    python = os.environ.get("TELESALES_PYTHON", sys.executable)

    # 1. The wheel, with whool and build from the project's venv (no download).
    _run([python, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path / "dist"),
          str(ROOT / "telesales_mgmt")])
    [wheel] = (tmp_path / "dist").glob("odoo_addon_telesales_mgmt-19.0.*-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "odoo/addons/telesales_mgmt/__manifest__.py" in names
    assert "odoo/addons/telesales_mgmt/pyproject.toml" not in names
    assert "Name: odoo-addon-telesales_mgmt" in metadata
    assert "Requires-Dist: odoo==19.0.*" in metadata  # its dependencies are Odoo's own addons

    # 2. A fresh venv (no system site-packages, so nothing of the checkout's venv): the same
    # Odoo source through a .pth, as the bootstrap does, Odoo's requirements, then the wheel.
    venv = tmp_path / "venv"
    _run(["python3.11", "-m", "venv", str(venv)])
    vpython = venv / "bin" / "python"
    odoo_pth = _site_packages(python) / "odoo19.pth"
    site = _site_packages(vpython)
    (site / "odoo19.pth").write_text(odoo_pth.read_text())
    _run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check",
          "-r", str(ROOT / "requirements.txt")], timeout=900)
    _run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", "--no-deps", str(wheel)])
    assert (site / "odoo" / "addons" / "telesales_mgmt" / "__manifest__.py").is_file()

    # 3. A fresh database cloned from the dependencies' template, and an Odoo configuration
    # with the same server and data directory but no addons path: Odoo's own addons, and
    # the wheel's, found in the odoo.addons namespace.
    db = f"{odoo_system.database}_wheel"
    _sh(f'ensure_template && clone_db "$(template_db)" "{db}"')
    rc = configparser.RawConfigParser()
    rc.read(os.environ["TELESALES_ODOO_RC"])
    rc.remove_option("options", "addons_path")
    config = tmp_path / "odoorc"
    with config.open("w") as file:
        rc.write(file)
    try:
        odoo = [str(vpython), "-m", "odoo"]
        _run([*odoo, "-c", str(config), "-d", db, "-i", "telesales_mgmt", "--stop-after-init",
              "--log-level=warn", "--no-http"], timeout=900, cwd=tmp_path)
        script = (
            "import os, odoo.addons\n"
            "from odoo.modules.module import get_module_path\n"
            "m = env['ir.module.module'].search([('name', '=', 'telesales_mgmt')])\n"
            "print('RESULT', m.state)\n"
            "print('RESULT', get_module_path('telesales_mgmt'))\n"
            "print('RESULT', [p for p in odoo.addons.__path__"
            " if os.path.isdir(os.path.join(p, 'telesales_mgmt'))])\n")
        out = _run([*odoo, "shell", "-c", str(config), "-d", db, "--log-level=warn", "--no-http"],
                   input=script, cwd=tmp_path)
        state, path, holders = [line[len("RESULT "):] for line in out.splitlines()
                                if line.startswith("RESULT ")]
        addon = site / "odoo" / "addons"
        assert state == "installed"
        assert path == str(addon / "telesales_mgmt"), "loaded from the wheel"
        assert holders == repr([str(addon)]), "the only telesales_mgmt Odoo sees is the wheel's"
    finally:
        _sh(f'PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "{db}"; '
            f'rm -rf "$DATA_DIR/filestore/{db}"')
