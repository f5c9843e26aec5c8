"""Run the benchmarks of bench/ inside one Odoo process.

Each `bench/bench_<name>.py` defines `run(env)`, which measures our code and a reference
in the same process and returns measurement dicts (at least: bench, the sizes, ours_s,
ratio). Everything a benchmark writes is rolled back. The JSON lines come last.

    python bench/run.py [name]      (through `make bench [B=name]`)
"""
import importlib.util
import json
import pathlib
import sys

import odoo
from odoo.modules.registry import Registry

HERE = pathlib.Path(__file__).parent


def main(rc, database, only=None):
    odoo.tools.config.parse_config(["-c", rc, "-d", database, "--log-level=warn"])
    names = sorted(path.stem[len("bench_"):] for path in HERE.glob("bench_*.py"))
    if only:
        if only not in names:
            sys.exit(f"no benchmark named {only!r}; there are: {', '.join(names)}")
        names = [only]
    lines = []
    registry = Registry(database)
    for name in names:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"bench_{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            try:
                lines.extend(module.run(env))
            finally:
                cr.rollback()
    for line in lines:
        # the bench's output: one JSON line per result on stdout (`make bench`)
        print(json.dumps(line, ensure_ascii=False))  # pylint: disable=print-used


if __name__ == "__main__":
    main(*sys.argv[1:4])
