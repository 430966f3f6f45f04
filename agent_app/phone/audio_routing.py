"""Who hears whom: one `AudioRouting`, owned by the engine (see engine.py).

The agent's microphone goes to every connected call not on hold (unless muted); every such call
goes to the speaker; calls in a conference also hear each other; a call's recorder hears the
call and the agent and, in a conference, the other parties; a listener attached to a call (the
doctor's tone meter) hears the call. Routing is re-applied after every media, hold, mute or
conference change: pjsua gives a call a new port on the bridge when a re-INVITE changes its
media (a codec locked after a two-codec answer, hold and resume), and everything attached to
the old port would otherwise hear nothing.

It knows calls only as `Leg`s the engine describes for it, never pjsua2 calls or snapshots.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pjsua2 as pj

from agent_app.phone import events as ev
from agent_app.phone import media, sound_bridge
from agent_app.phone.config import PhoneConfig
from agent_app.phone.messages import tr

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Leg:
    """A call as routing sees it: its id, its port on the bridge now, and how it is joined."""

    key: str
    audio: pj.AudioMedia
    talking: bool  # not on hold by us
    conference: bool


class AudioRouting:
    """Devices, the agent's voice source, the ringer, recorders, call listeners and routing."""

    def __init__(self, config: PhoneConfig, emit: Callable[[ev.Event], None]) -> None:
        self.config = config
        self.emit = emit
        self.ep: pj.Endpoint | None = None
        self.muted = False
        self.notice: str | None = None
        self.sound: sound_bridge.SoundBridge | None = None
        self.ring_out: sound_bridge.Ringer | None = None
        self.recorders: dict[str, media.Recorder] = {}
        self.listeners: dict[str, list[pj.AudioMedia]] = {}  # call -> ports that hear it
        # Ports that hear what the speaker plays (tests and benchmarks: what the agent hears,
        # which the null device cannot be asked for).
        self.speaker_taps: list[pj.AudioMedia] = []
        self._mic_override: media.ToneSource | None = None
        self._ringer: media.ToneSource | None = None

    # -- devices ---------------------------------------------------------------------------
    def audio_devices(self) -> list[media.AudioDevice]:
        """The devices the settings offer: the wheel's own, else PortAudio's."""
        assert self.ep is not None
        return media.list_devices(self.ep) or sound_bridge.portaudio_devices()

    def open(self, ep: pj.Endpoint) -> None:
        """Select the configured devices: the wheel's own (Windows), else a PortAudio bridge,
        else the null device with a notice; and the ringer's own output when one is chosen."""
        self.ep = ep
        audio = self.config.audio
        notice = media.choose_devices(ep, audio.microphone, audio.speaker)
        if notice == "null_audio":
            self.sound = sound_bridge.SoundBridge.open(audio.microphone, audio.speaker)
            if self.sound is not None:
                notice = None
                null_device = ep.audDevManager().getPlaybackDevMedia()
                media.keep_clock(self.sound.capture, null_device, True)
        if audio.ringer and audio.ringer != audio.speaker:
            self.ring_out = sound_bridge.SoundBridge.open_output(audio.ringer)
        if notice and notice != self.notice:
            self.emit(ev.NoticeEvent(notice, tr(notice)))
        self.notice = notice

    def close(self) -> None:
        """Stop the PortAudio streams; before libDestroy, or pjmedia asserts on the ports."""
        if self.sound is not None and self.ep is not None:
            null_device = self.ep.audDevManager().getPlaybackDevMedia()
            media.keep_clock(self.sound.capture, null_device, False)
        for bridge in (self.sound, self.ring_out):
            if bridge is not None:
                bridge.close()
        self.sound = self.ring_out = None

    def shutdown(self) -> None:
        """Let go of every port of ours before the endpoint goes."""
        self.stop_ringer()
        self.recorders.clear()
        self.listeners.clear()
        self.speaker_taps.clear()
        self._mic_override = None
        self._ringer = None
        self.close()
        self.ep = None

    def refresh_devices(self, include_portaudio: bool) -> bool:
        """Re-scan devices (a headset plugged in or out) and re-select the configured ones by
        name; True when the list changed. pjsua's own list is cheap to re-read and is looked
        at every few seconds; PortAudio re-reads its list only by restarting, which closes its
        streams, so that is done when the agent asks (`include_portaudio`)."""
        assert self.ep is not None
        before = self.audio_devices()
        try:
            self.ep.audDevManager().refreshDevs()
        except pj.Error as exc:
            log.warning("refreshing sound devices failed: %s", exc.info())
            return False
        restart_portaudio = include_portaudio and not media.list_devices(self.ep)
        if restart_portaudio:
            self.close()  # PortAudio rescans only with none of its streams open
            sound_bridge.portaudio_devices(refresh=True)
        changed = self.audio_devices() != before
        if changed or restart_portaudio:
            self.close()
            self.open(self.ep)
        return changed

    # -- sources and sinks -----------------------------------------------------------------
    def use_tone_as_microphone(self, freq: int | None) -> None:
        """Replace the microphone with a steady tone (line checks, tests); None restores it."""
        if freq is None:
            if self._mic_override is not None:
                self._mic_override.stop()
            self._mic_override = None
        else:
            if self._mic_override is None:
                self._mic_override = media.ToneSource()
            self._mic_override.play(freq)

    def add_recorder(self, key: str, path: Path) -> media.Recorder:
        recorder = media.Recorder(path)
        self.recorders[key] = recorder
        return recorder

    def remove_recorder(self, key: str) -> media.Recorder | None:
        return self.recorders.pop(key, None)

    def add_listener(self, key: str, sink: pj.AudioMedia) -> None:
        self.listeners.setdefault(key, []).append(sink)

    def remove_listener(self, key: str, sink: pj.AudioMedia, audio: pj.AudioMedia | None) -> None:
        sinks = self.listeners.get(key, [])
        if sink in sinks:
            sinks.remove(sink)
        if not sinks:
            self.listeners.pop(key, None)
        if audio is not None:
            media.transmit(audio, sink, False)

    def forget(self, key: str) -> None:
        """A call has ended: nothing listens to it any more."""
        self.listeners.pop(key, None)

    def _microphone(self) -> pj.AudioMedia:
        assert self.ep is not None
        if self._mic_override is not None:
            return self._mic_override.port
        if self.sound is not None:
            return self.sound.capture
        return self.ep.audDevManager().getCaptureDevMedia()

    def _speaker(self) -> pj.AudioMedia:
        assert self.ep is not None
        if self.sound is not None:
            return self.sound.playback
        return self.ep.audDevManager().getPlaybackDevMedia()

    def _ringer_output(self) -> pj.AudioMedia:
        return self.ring_out.playback if self.ring_out is not None else self._speaker()

    # -- the ringer ------------------------------------------------------------------------
    def start_ringer(self, waiting: bool) -> None:
        assert self.ep is not None
        if self._ringer is None:
            self._ringer = media.ToneSource()
        freq1, freq2, on_ms, off_ms = media.WAITING_TONE if waiting else media.RING_TONE
        self._ringer.play(freq1, freq2, on_ms, off_ms)
        media.transmit(self._ringer.port, self._ringer_output(), True)
        if self.ring_out is not None or self.sound is not None:
            media.keep_clock(self._ringer.port, self.ep.audDevManager().getPlaybackDevMedia(), True)

    def stop_ringer(self) -> None:
        if self._ringer is None or self.ep is None:
            return
        self._ringer.stop()
        media.transmit(self._ringer.port, self._ringer_output(), False)
        if self.ring_out is not None or self.sound is not None:
            media.keep_clock(
                self._ringer.port, self.ep.audDevManager().getPlaybackDevMedia(), False
            )

    # -- routing ---------------------------------------------------------------------------
    def route(self, legs: list[Leg]) -> None:
        """Re-apply who hears whom for the calls that have audio now."""
        if self.ep is None:
            return
        mic = self._microphone()
        for leg in legs:
            media.transmit(mic, leg.audio, leg.talking and not self.muted)
            self._to_speaker(leg.audio, leg.talking)
            for sink in self.listeners.get(leg.key, ()):
                media.transmit(leg.audio, sink, True)
            recorder = self.recorders.get(leg.key)
            if recorder is not None:
                media.transmit(leg.audio, recorder.port, True)
                media.transmit(mic, recorder.port, leg.talking and not self.muted)
        live = [leg for leg in legs if leg.talking]
        for a in live:
            for b in live:
                if a.key == b.key:
                    continue
                joined = a.conference and b.conference
                media.transmit(a.audio, b.audio, joined)
                recorder = self.recorders.get(b.key)
                if recorder is not None and joined:
                    media.transmit(a.audio, recorder.port, True)

    def _to_speaker(self, source: pj.AudioMedia, on: bool) -> None:
        media.transmit(source, self._speaker(), on)
        for tap in self.speaker_taps:
            media.transmit(source, tap, on)

    # -- supervision (monitoring.py decides; this connects) --------------------------------
    def route_monitor(
        self,
        monitor: pj.AudioMedia,
        mode: str,
        target: Leg | None,
        *,
        side: str,
        others: list[Leg] | None = None,
    ) -> None:
        """Connect one monitor call's port for `mode`, every direction set explicitly (a mode
        switch must also take connections away).

        Agent's side (`target` the monitored call): the call and the agent's microphone go
        to the supervisor in every mode; whisper adds supervisor -> agent's speaker; barge
        adds supervisor -> the call (and its recorder). While the agent holds the call, the
        call neither hears nor is heard by the supervisor. `others` are the call's conference
        partners, heard (and in barge, hearing) like the call itself.
        Supervisor's side (`target` None): the call to the speaker; the microphone to the call
        only in whisper and barge, so in listen the supervisor's voice never leaves the seat.
        """
        if self.ep is None:
            return
        mic = self._microphone()
        if side == "supervisor":
            self._to_speaker(monitor, True)
            media.transmit(mic, monitor, mode in ("whisper", "barge") and not self.muted)
            return
        self._to_speaker(monitor, mode in ("whisper", "barge"))
        media.transmit(mic, monitor, not self.muted)
        for leg in ([target] if target is not None else []) + list(others or ()):
            talking = leg.talking
            media.transmit(leg.audio, monitor, talking)
            media.transmit(monitor, leg.audio, talking and mode == "barge")
            recorder = self.recorders.get(leg.key)
            if recorder is not None:
                media.transmit(monitor, recorder.port, talking and mode == "barge")
