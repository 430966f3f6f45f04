"""Who hears whom, part of the engine (see engine.py): microphone, speaker, ringer, recorders.

The agent's microphone goes to every connected call not on hold (unless muted); every such call
goes to the speaker; calls in a conference also hear each other; a call's recorder hears the
call and the agent and, in a conference, the other parties. Routing is re-applied after every
media, hold, mute or conference change (pjsua recreates a call's port on re-INVITEs).
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pjsua2 as pj

from agent_app.phone import events as ev
from agent_app.phone import media, sound_bridge
from agent_app.phone.messages import PhoneError, tr

if TYPE_CHECKING:
    from collections.abc import Callable

    from agent_app.phone.config import PhoneConfig
    from agent_app.phone.sip_objects import SipCall

log = logging.getLogger(__name__)


class AudioMixin:
    config: PhoneConfig
    data_dir: Path
    ep: pj.Endpoint | None
    calls: dict[str, SipCall]
    snapshots: dict[str, ev.CallSnapshot]
    conference_ids: set[str]
    muted: bool
    audio_notice: str | None
    _recorders: dict[str, media.Recorder]
    _mic_override: media.ToneSource | None
    _ringer: media.ToneSource | None
    _sound: sound_bridge.SoundBridge | None
    _ring_out: sound_bridge.Ringer | None
    _graveyard: list[Any]

    if TYPE_CHECKING:  # provided by PhoneEngine

        def later(self, seconds: float, action: Callable[[], None]) -> None: ...
        def _emit(self, event: ev.Event) -> None: ...
        def _call(self, call_id: str) -> SipCall: ...
        def _copy(self, call_id: str) -> ev.CallSnapshot: ...

    def apply_codecs(self, order: list[str]) -> list[str]:
        """Give the listed codecs falling priorities, disable the rest; returns what is used."""
        assert self.ep is not None
        wanted = [c.lower() for c in order]
        used: list[tuple[int, str]] = []
        for codec in self.ep.codecEnum2():
            name = codec.codecId
            rank = next((i for i, w in enumerate(wanted) if name.lower().startswith(w)), None)
            priority = 0 if rank is None else 250 - rank
            self.ep.codecSetPriority(name, priority)
            if rank is not None:
                used.append((rank, name))
        return [name for _, name in sorted(used)]

    def set_mute(self, muted: bool) -> None:
        """Mute the agent's microphone on every call (the customer is still heard)."""
        self.muted = muted
        self._route_audio()

    def start_recording(self, call_id: str) -> str:
        """Record both sides of a call to a new WAV file; returns its path."""
        self._call(call_id)
        if call_id in self._recorders:
            return str(self._recorders[call_id].path)
        snap = self.snapshots[call_id]
        path = self.recording_path(snap)
        try:
            self._recorders[call_id] = media.Recorder(path)
        except pj.Error as exc:
            raise PhoneError(tr("action_failed", reason=exc.info())) from exc
        snap.recording_path = str(path)
        self._route_audio()
        self._emit(ev.CallEvent("recording", self._copy(call_id), "started"))
        return str(path)

    def stop_recording(self, call_id: str) -> None:
        recorder = self._recorders.pop(call_id, None)
        if recorder is None:
            return
        self._graveyard.append(recorder)  # destroyed after this poll; the file closes with it
        # The WAV header is final one bridge tick after the port goes: report it after that.
        snap = self._copy(call_id)
        self.later(0.1, lambda: self._emit(ev.CallEvent("recording", snap, "closed")))

    def recording_path(self, snap: ev.CallSnapshot) -> Path:
        folder = Path(self.config.recording.folder or self.data_dir / "recordings")
        stamp = datetime.fromtimestamp(snap.started_at)
        number = "".join(ch for ch in snap.remote_number if ch.isalnum())[:24] or "unknown"
        name = f"{stamp:%Y%m%d-%H%M%S}_{snap.direction}_{number}_{uuid.uuid4().hex[:8]}.wav"
        return folder / f"{stamp:%Y-%m}" / name

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
        self._route_audio()

    def call_audio(self, call_id: str) -> pj.AudioMedia | None:
        """The call's port on the bridge, for a meter or a player of the caller's own."""
        return self._call_audio(self._call(call_id))

    def codec(self, call_id: str) -> str:
        """The audio codec the call settled on, e.g. "G722/16000" ("" before media is up)."""
        call = self._call(call_id)
        try:
            info = call.getStreamInfo(0)
        except pj.Error:
            return ""
        return f"{info.codecName}/{info.codecClockRate}"

    def audio_devices(self) -> list[media.AudioDevice]:
        """The devices the settings offer: the wheel's own, else PortAudio's."""
        assert self.ep is not None
        return media.list_devices(self.ep) or sound_bridge.portaudio_devices()

    def open_audio(self) -> None:
        """Select the configured devices: the wheel's own (Windows), else a PortAudio bridge,
        else the null device with a notice; and the ringer's own output when one is chosen."""
        assert self.ep is not None
        audio = self.config.audio
        notice = media.choose_devices(self.ep, audio.microphone, audio.speaker)
        if notice == "null_audio":
            self._sound = sound_bridge.SoundBridge.open(audio.microphone, audio.speaker)
            if self._sound is not None:
                notice = None
                null_device = self.ep.audDevManager().getPlaybackDevMedia()
                media.keep_clock(self._sound.capture, null_device, True)
        if audio.ringer and audio.ringer != audio.speaker:
            self._ring_out = sound_bridge.SoundBridge.open_output(audio.ringer)
        if notice and notice != self.audio_notice:
            self._emit(ev.NoticeEvent(notice, tr(notice)))
        self.audio_notice = notice

    def close_audio(self) -> None:
        """Stop the PortAudio streams; before libDestroy, or pjmedia asserts on the ports."""
        if self._sound is not None and self.ep is not None:
            null_device = self.ep.audDevManager().getPlaybackDevMedia()
            media.keep_clock(self._sound.capture, null_device, False)
        for bridge in (self._sound, self._ring_out):
            if bridge is not None:
                bridge.close()
        self._sound = self._ring_out = None

    def refresh_audio_devices(self, include_portaudio: bool = False) -> bool:
        """Re-scan devices (a headset plugged in or out) and re-select the configured ones by
        name; True when the list changed. Skipped while calls are up: the sound device is
        never pulled from under a call. pjsua's own list is cheap to re-read and is looked at
        every few seconds; PortAudio re-reads its list only by restarting, which closes its
        streams, so that is done when the agent asks (`include_portaudio`)."""
        if self.ep is None or any(s.state != ev.ENDED for s in self.snapshots.values()):
            return False
        before = self.audio_devices()
        try:
            self.ep.audDevManager().refreshDevs()
        except pj.Error as exc:
            log.warning("refreshing sound devices failed: %s", exc.info())
            return False
        restart_portaudio = include_portaudio and not media.list_devices(self.ep)
        if restart_portaudio:
            self.close_audio()  # PortAudio rescans only with none of its streams open
            sound_bridge.portaudio_devices(refresh=True)
        changed = self.audio_devices() != before
        if changed or restart_portaudio:
            self.close_audio()
            self.open_audio()
        return changed

    def _microphone(self) -> pj.AudioMedia:
        assert self.ep is not None
        if self._mic_override is not None:
            return self._mic_override.port
        if self._sound is not None:
            return self._sound.capture
        return self.ep.audDevManager().getCaptureDevMedia()

    def _speaker(self) -> pj.AudioMedia:
        assert self.ep is not None
        if self._sound is not None:
            return self._sound.playback
        return self.ep.audDevManager().getPlaybackDevMedia()

    def _ringer_output(self) -> pj.AudioMedia:
        return self._ring_out.playback if self._ring_out is not None else self._speaker()

    def _start_ringer(self, waiting: bool) -> None:
        assert self.ep is not None
        if self._ringer is None:
            self._ringer = media.ToneSource()
        freq1, freq2, on_ms, off_ms = media.WAITING_TONE if waiting else media.RING_TONE
        self._ringer.play(freq1, freq2, on_ms, off_ms)
        media.transmit(self._ringer.port, self._ringer_output(), True)
        if self._ring_out is not None or self._sound is not None:
            media.keep_clock(self._ringer.port, self.ep.audDevManager().getPlaybackDevMedia(), True)

    def _stop_ringer(self, answering: str = "", force: bool = False) -> None:
        """Silence the ringer, unless a call other than `answering` still rings."""
        if self._ringer is None or self.ep is None:
            return
        others = (s for k, s in self.snapshots.items() if k != answering)
        if not force and any(s.state == ev.RINGING_IN for s in others):
            return
        self._ringer.stop()
        media.transmit(self._ringer.port, self._ringer_output(), False)
        if self._ring_out is not None or self._sound is not None:
            media.keep_clock(
                self._ringer.port, self.ep.audDevManager().getPlaybackDevMedia(), False
            )

    def _route_audio(self) -> None:
        """Re-apply who hears whom; called after every media, hold, mute or conference change."""
        if self.ep is None:
            return
        mic = self._microphone()
        speaker = self._speaker()
        live: dict[str, pj.AudioMedia] = {}
        for key, call in self.calls.items():
            snap = self.snapshots[key]
            audio = self._call_audio(call) if snap.state != ev.ENDED else None
            if audio is None:
                continue
            talking = not snap.local_hold
            if talking:
                live[key] = audio
            media.transmit(mic, audio, talking and not self.muted)
            media.transmit(audio, speaker, talking)
            recorder = self._recorders.get(key)
            if recorder is not None:
                media.transmit(audio, recorder.port, True)
                media.transmit(mic, recorder.port, talking and not self.muted)
        for a_key, a_audio in live.items():
            for b_key, b_audio in live.items():
                if a_key == b_key:
                    continue
                joined = a_key in self.conference_ids and b_key in self.conference_ids
                media.transmit(a_audio, b_audio, joined)
                recorder = self._recorders.get(b_key)
                if recorder is not None and joined:
                    media.transmit(a_audio, recorder.port, True)

    @staticmethod
    def _call_audio(call: SipCall) -> pj.AudioMedia | None:
        try:
            info = call.getInfo()
        except pj.Error:
            return None
        for mi in info.media:
            if mi.type == pj.PJMEDIA_TYPE_AUDIO and mi.status in (
                pj.PJSUA_CALL_MEDIA_ACTIVE,
                pj.PJSUA_CALL_MEDIA_REMOTE_HOLD,
                pj.PJSUA_CALL_MEDIA_LOCAL_HOLD,
            ):
                try:
                    return call.getAudioMedia(mi.index)
                except pj.Error:
                    return None
        return None
