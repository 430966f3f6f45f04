"""Starting and stopping the engine many times in one process, registered at the rig's
Kamailio, as logging in and out does; then the process exits cleanly.

Runs in a child process of its own: the pjsua2 binding's reference-count leak on None, True
and False (agent_app/phone/binding_guard.py) ends a process with "Fatal Python error:
none_dealloc" (exit 134), and it must not be this test process that dies, nor one whose counts
earlier tests have topped up already.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from agent_app.phone import binding_guard
from tests.rig.fixtures import RIG_USERS, require_pjsua2
from tests.rig.kamailio import Kamailio

ROOT = Path(__file__).resolve().parents[3]
CYCLES = 20

# The child: one engine started and stopped without a single poll, its counts printed after
# each (re-login and settings changes call the binding outside polls); then CYCLES engines,
# each registered before it is shut down.
CHILD = """
import sys
from pathlib import Path

from agent_app.phone.config import AccountConfig, PhoneConfig
from agent_app.phone.engine import PhoneEngine

port, password, data, cycles = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])


def engine(name):
    account = AccountConfig(
        id="main", user="agent1001", password=password, domain=f"127.0.0.1:{port}"
    )
    config = PhoneConfig(accounts=[account], bind_address="127.0.0.1", log_level=0)
    return PhoneEngine(config, data / name)


def counts():
    return min(sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))


unpolled = engine("unpolled")
unpolled.start()
print("after start", counts(), flush=True)
unpolled.shutdown()
print("after shutdown", counts(), flush=True)
for cycle in range(cycles):
    phone = engine(str(cycle))
    phone.start()
    if not phone.run_until(phone.is_registered, 10):
        sys.exit(f"cycle {cycle}: not registered")
    phone.shutdown()
print("cycles", cycles, flush=True)
"""


def test_twenty_registered_start_stop_cycles_then_a_clean_exit(
    kamailio: Kamailio, tmp_path: Path
) -> None:
    require_pjsua2()
    argv = [sys.executable, "-c", CHILD, str(kamailio.port), RIG_USERS["agent1001"]]
    argv += [str(tmp_path), str(CYCLES)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=200, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Fatal Python error" not in done.stderr
    lines = dict(line.rsplit(" ", 1) for line in done.stdout.splitlines() if line)
    assert lines["cycles"] == str(CYCLES)
    if binding_guard._MORTAL_NONE:
        # Every path into the binding, not only polls, leaves the counts topped up.
        assert int(lines["after start"]) > binding_guard.LOW_WATER, done.stdout
        assert int(lines["after shutdown"]) > binding_guard.LOW_WATER, done.stdout
