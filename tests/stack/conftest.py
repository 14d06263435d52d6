"""The running stack for `pytest -m stack` (`make stack-test`).

`stack` (session): starts the stack with scripts/stack.py, or reuses one that
already runs (`make stack`), and stops at the end only what it started.
Skipped, with one line saying why, when nginx is absent; in CI (CI or
E2E_REQUIRED set) the script installs it and nothing is skipped.

Plain `make test` deselects the stack tests (pyproject's `-m 'not stack'`)
and says so in one line of its summary.
"""

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "stack.py"
REQUIRED = bool(os.environ.get("CI") or os.environ.get("E2E_REQUIRED"))

# What the scenarios measured, printed at the end of the run (never asserted as timings).
FIGURES = {}


def load_stack_script():
    spec = importlib.util.spec_from_file_location("newsroom_stack_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def stack():
    script = load_stack_script()
    if not Path(script.nginx_binary()).exists() and not REQUIRED:
        pytest.skip("nginx absent : apt-get install nginx (ou make stack, qui l'installe) pour la pile")
    already = [name for name in script.SERVICES if script.running_pid(name)]
    if len(already) == len(script.SERVICES):
        yield script  # `make stack` runs it: reused, left running
        return
    try:
        script.start(demo=True)
        yield script
    finally:
        for name in reversed(script.SERVICES):
            if name not in already:
                script.stop_service(name)


def pytest_terminal_summary(terminalreporter, config):
    if FIGURES:
        terminalreporter.section("la pile : mesures (non vérifiées comme des temps)")
        for label, value in FIGURES.items():
            terminalreporter.write_line(f"{label} : {value}")
    markexpr = config.getoption("markexpr", "") or ""
    if "not stack" in markexpr:
        nginx = "" if shutil.which("nginx") or Path("/usr/sbin/nginx").exists() else " (nginx absent)"
        terminalreporter.write_line(
            f"tests/stack : les scénarios à plusieurs serveurs (-m stack) ne font pas partie de make test"
            f"{nginx} ; les lancer : make stack-test"
        )
