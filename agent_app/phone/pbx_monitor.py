"""Supervision in PBX mode: the PBX listens, whispers and barges; the supervisor's phone dials
its feature code and switches mode with RFC 2833 digits (docs/supervision.md, "PBX mode").

Presets:

* "asterisk": a dialplan of the usual shape, `*222<ext>` = ChanSpy(..., q) listen,
  `*223<ext>` = ChanSpy(..., qw) whisper, `*224<ext>` = ChanSpy(..., qB) barge, all with the
  `d` option, so digits 4 / 5 / 6 switch to listen / whisper / barge during the call.
* "freeswitch": `88<ext>` = eavesdrop, which starts listening; digits switch: 0 listen again,
  2 talk to the agent's leg (whisper, the agent being the callee of an inbound call), 3 talk
  to both (barge). Whisper and barge are reached by dialling the code and sending the digit.
* "custom": `MonitorConfig` templates, "{ext}" standing for the agent's extension; a mode with
  no code of its own is reached by dialling the listen code and sending that mode's digits.

The monitor call is an ordinary call of the engine (it is a call to the PBX).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent_app.phone import events as ev
from agent_app.phone.config import MonitorConfig
from agent_app.phone.engine import PhoneEngine
from agent_app.phone.messages import PhoneError, tr

MODES = ("listen", "whisper", "barge")
_EXTENSION = re.compile(r"^[0-9A-Za-z]{1,32}$")


@dataclass(frozen=True)
class FeatureCodes:
    codes: dict[str, str]  # mode -> dial template with "{ext}"; a missing mode: see dial_for
    dtmf: dict[str, str]  # mode -> digits that switch to it during the call

    def dial_for(self, mode: str, extension: str) -> tuple[str, str]:
        """(what to dial, digits to send once connected) to monitor `extension` in `mode`."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        if not _EXTENSION.match(extension):
            raise ValueError(f"not an extension: {extension!r}")
        template = self.codes.get(mode)
        if template:
            return template.replace("{ext}", extension), ""
        listen = self.codes.get("listen")
        if not listen or not self.dtmf.get(mode):
            raise ValueError(f"no feature code or digits for {mode}")
        return listen.replace("{ext}", extension), self.dtmf[mode]


PRESETS = {
    "asterisk": FeatureCodes(
        codes={"listen": "*222{ext}", "whisper": "*223{ext}", "barge": "*224{ext}"},
        dtmf={"listen": "4", "whisper": "5", "barge": "6"},
    ),
    "freeswitch": FeatureCodes(
        codes={"listen": "88{ext}"},
        dtmf={"listen": "0", "whisper": "2", "barge": "3"},
    ),
}


def feature_codes(config: MonitorConfig) -> FeatureCodes:
    if config.pbx in PRESETS:
        return PRESETS[config.pbx]
    codes = {
        m: t
        for m, t in (
            ("listen", config.listen_code),
            ("whisper", config.whisper_code),
            ("barge", config.barge_code),
        )
        if t
    }
    dtmf = {
        m: d
        for m, d in (
            ("listen", config.listen_dtmf),
            ("whisper", config.whisper_dtmf),
            ("barge", config.barge_dtmf),
        )
        if d
    }
    return FeatureCodes(codes, dtmf)


class PbxMonitor:
    """The supervisor's side of PBX-mode monitoring, on the supervisor's engine."""

    def __init__(self, engine: PhoneEngine, codes: FeatureCodes | None = None) -> None:
        self.engine = engine
        self.codes = codes or feature_codes(engine.config.monitor)
        self.call_id = ""
        self.mode = ""
        self._after_answer = ""
        engine.listeners.append(self._on_event)

    def start(self, extension: str, mode: str) -> str:
        """Dial the PBX's code for `mode` on `extension`; returns the engine's call id."""
        try:
            target, digits = self.codes.dial_for(mode, extension)
        except ValueError as exc:
            raise PhoneError(tr("action_failed", reason=str(exc))) from exc
        self.call_id = self.engine.dial(target)
        self.mode = mode
        self._after_answer = digits
        return self.call_id

    def switch(self, mode: str) -> str:
        """Send the digits that switch the PBX to `mode`; returns the DTMF method used."""
        digits = self.codes.dtmf.get(mode)
        if not self.call_id or not digits:
            raise PhoneError(tr("action_failed", reason=f"no digits for {mode}"))
        method = self.engine.send_dtmf(self.call_id, digits)
        self.mode = mode
        return method

    def stop(self) -> None:
        if self.call_id:
            self.engine.hangup(self.call_id)

    def close(self) -> None:
        if self._on_event in self.engine.listeners:
            self.engine.listeners.remove(self._on_event)

    def _on_event(self, event: ev.Event) -> None:
        if not isinstance(event, ev.CallEvent) or event.call.id != self.call_id:
            return
        if event.call.state == ev.ACTIVE and self._after_answer:
            digits, self._after_answer = self._after_answer, ""
            # Media must be up for RFC 2833; the engine's own post-dial waits the same way.
            self.engine.later(0.5, lambda: self._send_if_live(digits))
        elif event.call.state == ev.ENDED:
            self.call_id = ""
            self.mode = ""

    def _send_if_live(self, digits: str) -> None:
        if self.call_id:
            self.engine.send_dtmf(self.call_id, digits)
