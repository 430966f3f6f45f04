"""Supervision benchmark: listen set-up, mode-switch latency and the agent's CPU with a monitor
attached, through a real Kamailio, with every phone in a process of its own.

Parties (tests/rig): Kamailio; the customer, a pjsua2 peer playing 700 Hz; the agent, OUR
engine in its own process (tests/rig/engine_peer.py) with a 1000 Hz microphone, which answers
the customer; the supervisor, our engine in another process with a 1600 Hz microphone. Grants
are signed here with a fresh Ed25519 key (the server's part), so the grant's HTTP round trip to
the server is not in these figures.

* listen_ms: the supervisor's engine is asked to monitor (engine.monitor(), the moment the
  click reaches the phone) -> the first 20 ms frame in which the supervisor's speaker carries
  the customer's tone (a Goertzel meter tapped on the speaker). Median of `--rounds`.
* switch_ms: the supervisor sends the MESSAGE for whisper -> the first frame of the
  supervisor's tone at the agent's speaker (the routing changed at the agent and the audio
  got through). Both moments are time.monotonic() of two processes on one machine (one
  system-wide clock on Linux and Windows). Median of `--rounds` (whisper, then back to listen).
  switch_route_ms: the same, up to the agent's engine reporting the new mode.
* agent_cpu_pct: the agent process's CPU (every thread; time.process_time() read inside it, so
  no psutil is needed) over `--hold` seconds with the customer's call and a barging monitor
  attached, % of one core; agent_cpu_pct_call_only: the same before the monitor.
* board_agents / board_p99_ms: from bench/board_latency.py `measure(agents=200)` when that
  module exists (the supervision desktop/server work), else null.
Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import monitor_grants as mg  # noqa: E402
from tests.rig.engine_peer import EnginePeer  # noqa: E402
from tests.rig.fixtures import RIG_USERS  # noqa: E402
from tests.rig.kamailio import Kamailio  # noqa: E402
from tests.rig.peer_client import Peer  # noqa: E402

CUSTOMER_TONE, AGENT_TONE, SUPERVISOR_TONE = 700, 1000, 1600


def board_figures(agents: int) -> tuple[dict[str, Any], str]:
    try:
        module = importlib.import_module("bench.board_latency")
    except ModuleNotFoundError:
        return {"board_agents": None, "board_p99_ms": None}, "bench/board_latency.py not found"
    result = module.measure(agents=agents)
    return {
        "board_agents": result.get("board_agents", agents),
        "board_p99_ms": result.get("board_p99_ms"),
    }, ""


class Floor:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.kamailio = Kamailio(workdir / "kam", RIG_USERS)
        self.key = mg.generate_private_key()
        self.customer: Peer | None = None
        self.agent: EnginePeer | None = None
        self.supervisor: EnginePeer | None = None
        self.call_id = ""

    def start(self) -> None:
        self.kamailio.start()
        domain = f"{self.kamailio.domain}:{self.kamailio.port}"
        self.agent = agent = EnginePeer("agent", self.workdir / "peers")
        self.supervisor = sup = EnginePeer("supervisor", self.workdir / "peers")
        for peer, user, tone in (
            (agent, "agent1001", AGENT_TONE),
            (sup, "supervisor3001", SUPERVISOR_TONE),
        ):
            peer.request("start", user=user, password=RIG_USERS[user], domain=domain)
            peer.wait_event("reg_state", timeout=10, state="registered")
            peer.request("mic_tone", freq=tone)
        agent.request(
            "trust", public_key=mg.public_key_to_text(self.key.public_key()), agent="agent1001"
        )
        agent.request("meter", freqs=[SUPERVISOR_TONE], ratio=0.3)
        sup.request("meter", freqs=[CUSTOMER_TONE], ratio=0.3)
        self.customer = customer = Peer("customer", self.workdir / "peers")
        event = customer.register(
            "customer2001", RIG_USERS["customer2001"], self.kamailio.registrar_uri
        )
        if not event or event.get("code") != 200:
            raise RuntimeError(f"customer did not register: {event}")
        customer.play_tone(CUSTOMER_TONE)
        customer.call(self.kamailio.uri("agent1001"))
        incoming = agent.wait_event("call", timeout=10, kind="incoming")
        self.call_id = incoming["id"]
        agent.request("answer", call_id=self.call_id)
        agent.wait_event("call", timeout=10, id=self.call_id, state="active")
        customer.wait_media("ACTIVE", timeout=10)
        time.sleep(0.5)

    def grant(self, mode: str) -> str:
        return mg.sign_grant(
            self.key,
            mg.new_grant(
                supervisor="lead3001", supervisor_id="31", agent="agent1001", agent_id="11",
                call_id=mg.call_uuid(self.call_id), mode=mode,
            ),
        )  # fmt: skip

    def close(self) -> None:
        for peer in (self.supervisor, self.customer, self.agent):
            if peer is not None:
                peer.close()
        self.kamailio.stop()


def listen_round(floor: Floor) -> float:
    sup = floor.supervisor
    assert sup is not None
    sup.request("meter_reset")
    sup.clear_events()
    sent = sup.request("monitor", uri=floor.kamailio.uri("agent1001"), grant=floor.grant("listen"))
    heard = sup.wait_event("tone", timeout=10, freq=CUSTOMER_TONE)
    return (heard["t"] - sent["t"]) * 1000


def stop_monitor(floor: Floor) -> None:
    sup, agent = floor.supervisor, floor.agent
    assert sup is not None and agent is not None
    agent.clear_events()
    sup.request("stop_monitor")
    sup.wait_event("monitor", timeout=10, event="ended")
    agent.wait_event("monitor", timeout=10, event="ended")


def switch_round(floor: Floor) -> tuple[float, float]:
    sup, agent = floor.supervisor, floor.agent
    assert sup is not None and agent is not None
    agent.request("meter_reset")
    agent.clear_events()
    sent = sup.request("switch", grant=floor.grant("whisper"))
    heard = agent.wait_event("tone", timeout=10, freq=SUPERVISOR_TONE)
    routed = agent.wait_event("monitor", timeout=10, event="mode", mode="whisper")
    back = sup.request("switch", grant=floor.grant("listen"))
    agent.wait_event("monitor", timeout=10, event="mode", mode="listen")
    del back
    time.sleep(0.3)  # the whisper's last frames drain before the next round's meter reset
    return (heard["t"] - sent["t"]) * 1000, (routed["t"] - sent["t"]) * 1000


def agent_cpu(floor: Floor, seconds: float) -> float:
    agent = floor.agent
    assert agent is not None
    start = agent.request("cpu")
    time.sleep(seconds)
    end = agent.request("cpu")
    return 100 * (end["cpu_s"] - start["cpu_s"]) / (end["t"] - start["t"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--hold", type=float, default=3.0, help="seconds of CPU sampling")
    parser.add_argument("--board-agents", type=int, default=200)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="seatdesk-bench-monitor-"))
    floor = Floor(workdir)
    result: dict[str, Any] = {}
    try:
        floor.start()
        result["agent_cpu_pct_call_only"] = round(agent_cpu(floor, args.hold), 1)
        listens = []
        for _ in range(args.rounds):
            listens.append(listen_round(floor))
            time.sleep(0.3)
            stop_monitor(floor)
            time.sleep(0.3)
        listen_round(floor)  # and stay on for the switches
        switches, routes = [], []
        for _ in range(args.rounds):
            heard, routed = switch_round(floor)
            switches.append(heard)
            routes.append(routed)
        floor.supervisor.request("switch", grant=floor.grant("barge"))  # type: ignore[union-attr]
        time.sleep(0.5)
        result["agent_cpu_pct"] = round(agent_cpu(floor, args.hold), 1)
        stop_monitor(floor)
        result.update(
            listen_ms=round(statistics.median(listens), 1),
            listen_ms_max=round(max(listens), 1),
            switch_ms=round(statistics.median(switches), 1),
            switch_ms_max=round(max(switches), 1),
            switch_route_ms=round(statistics.median(routes), 1),
            rounds=args.rounds,
        )
    finally:
        floor.close()
    board, why = board_figures(args.board_agents)
    if why:
        print(f"board latency: {why}; board_agents and board_p99_ms are null")
    result.update(board)
    for name, value in result.items():
        print(f"{name:>26}: {value}")
    order = ["listen_ms", "switch_ms", "agent_cpu_pct", "board_agents", "board_p99_ms"]
    line = {k: result.get(k) for k in order}
    line.update({k: v for k, v in result.items() if k not in line})
    print(json.dumps(line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
