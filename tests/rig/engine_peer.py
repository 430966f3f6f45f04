"""OUR engine (agent_app/phone/engine.py) in a process of its own, driven by JSON lines.

pjsua2 allows one endpoint per process: a test whose own process runs the agent's engine needs
this for the supervisor's engine (and bench/monitor.py runs the agent here, to read that
process's CPU). Same protocol as tests/rig/peer.py (one command per line, one reply each, events
as lines; the first line is {"type": "ready", ...}); drive it with `EnginePeer` below, which is
tests/rig/peer_client.py's `Peer` pointed at this script.

Commands: start(user, password, domain), mic_tone(freq), trust(public_key, agent),
answer(call_id), hold(call_id), resume(call_id), hangup(call_id), monitor(uri, grant),
switch(grant), stop_monitor(), meter(freqs, ratio), meter_read(), meter_reset(),
record_start(path), record_stop(), cpu(), info(), quit.
Events: reg_state, call (engine CallEvents: kind, id, state, local_hold), monitor (every field
of a MonitorEvent, its `kind` as "event", plus "t": time.monotonic() in this process, comparable across processes on
one machine), tone (a meter's first frame of its tone: freq, t).

What "this phone hears" is the engine's speaker: meters and the recorder are speaker taps.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import queue
import sys
import threading
import time
import traceback
from array import array
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

import pjsua2 as pj

from agent_app.phone import events as ev
from agent_app.phone import media
from agent_app.phone.config import AccountConfig, PhoneConfig
from agent_app.phone.engine import PhoneEngine
from agent_app.phone.tone_meter import FRAME_USEC, INT16_FULL_SCALE, goertzel_power, mean_square
from tests.rig.peer import read_commands
from tests.rig.peer_client import Peer


class EnginePeer(Peer):
    """A `Peer` whose process runs our engine (see the module docstring for its commands)."""

    script = Path(__file__)


class FirstToneMeter(pj.AudioMediaPort):
    """Notes the first frame (time.monotonic()) in which `freq` holds at least `ratio` of the
    frame's energy, and counts such frames. Runs on pjmedia's thread: it only sets numbers."""

    def __init__(self, freq: float, ratio: float, rate: int = 16000) -> None:
        super().__init__()
        self.freq, self.ratio, self.rate = freq, ratio, rate
        self.first: float | None = None
        self.tone_frames = 0
        self.frames = 0
        fmt = pj.MediaFormatAudio()
        fmt.init(pj.PJMEDIA_FORMAT_PCM, rate, 1, FRAME_USEC, 16)
        self.createPort(f"first-tone-{int(freq)}", fmt)

    def reset(self) -> None:
        self.first = None
        self.tone_frames = self.frames = 0

    def onFrameReceived(self, frame: pj.MediaFrame) -> None:  # noqa: N802 (pjsua2 name)
        samples = array("h", bytes(frame.buf))
        if not samples:
            return
        self.frames += 1
        total = mean_square(samples, INT16_FULL_SCALE)
        if total < 1e-5:
            return
        power = goertzel_power(samples, self.freq, self.rate, INT16_FULL_SCALE)
        if power >= self.ratio * total:
            self.tone_frames += 1
            if self.first is None:
                self.first = time.monotonic()

    def onFrameRequested(self, frame: pj.MediaFrame) -> None:  # noqa: N802
        frame.type = pj.PJMEDIA_FRAME_TYPE_NONE


class Runner:
    def __init__(self, out: TextIO, workdir: Path) -> None:
        self.out = out
        self.workdir = workdir
        self.commands: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.engine: PhoneEngine | None = None
        self.quitting = False
        self.meters: dict[float, FirstToneMeter] = {}
        self.reported: set[float] = set()
        self.recorder: media.Recorder | None = None

    def emit(self, event_type: str, /, **fields: Any) -> None:
        fields["type"] = event_type
        fields.setdefault("t", round(time.monotonic(), 6))
        self.out.write(json.dumps(fields) + "\n")
        self.out.flush()

    def on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.MonitorEvent):
            fields = asdict(event)
            fields["event"] = fields.pop("kind")  # "kind" is the waiting helpers' own word
            self.emit("monitor", **fields)
        elif isinstance(event, ev.CallEvent):
            call = event.call
            self.emit(
                "call",
                kind=event.kind,
                id=call.id,
                state=call.state,
                local_hold=call.local_hold,
                detail=event.detail,
            )
        elif isinstance(event, ev.RegistrationEvent):
            self.emit("reg_state", state=event.state, code=event.code)

    def run(self) -> None:
        self.emit("ready", udp_port=0, tcp_port=0, pid=os.getpid())
        last_gc = time.monotonic()
        while not self.quitting:
            if self.engine is not None:
                self.engine.poll(5)
            else:
                time.sleep(0.005)
            while True:
                try:
                    cmd = self.commands.get_nowait()
                except queue.Empty:
                    break
                if cmd is None:
                    self.quitting = True
                    break
                self.dispatch(cmd)
            for freq, meter in self.meters.items():
                if meter.first is not None and freq not in self.reported:
                    self.reported.add(freq)
                    self.emit("tone", freq=freq, t=meter.first)
            if time.monotonic() - last_gc > 1.0:
                gc.collect()
                last_gc = time.monotonic()
        self.shutdown()

    def dispatch(self, cmd: dict[str, Any]) -> None:
        req_id = cmd.pop("id", None)
        name = str(cmd.pop("cmd", ""))
        handler = getattr(self, f"cmd_{name}", None)
        if handler is None:
            self.emit("reply", id=req_id, ok=False, error=f"unknown command {name!r}")
            return
        try:
            result = handler(**cmd)
        except Exception as exc:  # noqa: BLE001 - every failure goes back as the reply
            self.emit(
                "reply",
                id=req_id,
                ok=False,
                error=f"{type(exc).__name__}: {exc}",
                trace=traceback.format_exc(),
            )
            return
        self.emit("reply", id=req_id, ok=True, result=result)

    def need(self) -> PhoneEngine:
        if self.engine is None:
            raise RuntimeError("start first")
        return self.engine

    # -- commands ---------------------------------------------------------------------------
    def cmd_start(self, user: str, password: str, domain: str) -> None:
        account = AccountConfig(
            id="main", user=user, password=password, domain=domain, reg_expiry_s=60, reg_retry_s=3
        )
        config = PhoneConfig(accounts=[account], bind_address="127.0.0.1", log_level=0)
        self.engine = PhoneEngine(config, self.workdir / f"engine-{user}", self.on_event)
        self.engine.start()

    def cmd_mic_tone(self, freq: int | None = None) -> None:
        self.need().use_tone_as_microphone(freq)

    def cmd_trust(self, public_key: str, agent: str) -> None:
        self.need().set_monitor_trust(public_key, agent)

    def cmd_answer(self, call_id: str) -> None:
        self.need().answer(call_id)

    def cmd_hold(self, call_id: str) -> None:
        self.need().hold(call_id)

    def cmd_resume(self, call_id: str) -> None:
        self.need().resume(call_id)

    def cmd_hangup(self, call_id: str) -> None:
        self.need().hangup(call_id)

    def cmd_monitor(self, uri: str, grant: str) -> dict[str, Any]:
        t = time.monotonic()
        key = self.need().monitor(uri, grant)
        return {"id": key, "t": t}

    def cmd_switch(self, grant: str, reinvite: bool = False) -> dict[str, Any]:
        t = time.monotonic()
        self.need().switch_monitor_mode(grant, reinvite=reinvite)
        return {"t": t}

    def cmd_stop_monitor(self) -> None:
        self.need().stop_monitor()

    def cmd_meter(self, freqs: list[float], ratio: float = 0.2) -> None:
        for freq in freqs:
            meter = FirstToneMeter(freq, ratio)
            self.meters[freq] = meter
            self.need().add_speaker_tap(meter)

    def cmd_meter_reset(self) -> None:
        for meter in self.meters.values():
            meter.reset()
        self.reported.clear()

    def cmd_meter_read(self) -> dict[str, Any]:
        return {
            str(f): {"first": m.first, "tone_frames": m.tone_frames, "frames": m.frames}
            for f, m in self.meters.items()
        }

    def cmd_record_start(self, path: str) -> None:
        self.recorder = media.Recorder(Path(path))
        self.need().add_speaker_tap(self.recorder.port)

    def cmd_record_stop(self) -> None:
        recorder, self.recorder = self.recorder, None
        if recorder is None:
            return
        engine = self.need()
        engine.remove_speaker_tap(recorder.port)
        del recorder
        gc.collect()
        # The WAV is complete a bridge tick after its port goes.
        engine.run_until(lambda: False, 0.1, step_ms=5)

    def cmd_info(self) -> dict[str, Any]:
        engine = self.need()
        return {
            "registered": engine.is_registered(),
            "calls": {c.id: c.state for c in engine.active_calls()},
            "monitors": {s.key: s.mode for s in engine.monitoring.live()},
        }

    def cmd_cpu(self) -> dict[str, float]:
        """This process's CPU seconds (every thread, pjmedia's included) and the moment."""
        return {"cpu_s": time.process_time(), "t": time.monotonic()}

    def cmd_quit(self) -> None:
        self.quitting = True

    def shutdown(self) -> None:
        engine, self.engine = self.engine, None
        if engine is not None:
            for meter in self.meters.values():
                engine.remove_speaker_tap(meter)
            self.meters.clear()
            self.recorder = None
            gc.collect()
            engine.shutdown()
        self.emit("bye")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--log", help="the engine's log file")
    parser.add_argument("--log-level", type=int, default=4)
    args = parser.parse_args(argv)
    out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    if args.log:
        logging.basicConfig(
            filename=args.log, level=logging.DEBUG if args.log_level > 3 else logging.INFO
        )
    gc.disable()  # collections only on the main thread, from the loop
    runner = Runner(out, Path.cwd())
    reader = threading.Thread(
        target=read_commands, args=(sys.stdin, runner.commands), name="stdin", daemon=True
    )
    reader.start()
    try:
        runner.run()
    finally:
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
