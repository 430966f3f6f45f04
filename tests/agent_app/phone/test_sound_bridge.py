"""The PortAudio sound bridge: its pjmedia side for real, its sound-card side faked.

Neither this machine nor CI has a sound card, so where PortAudio's streams would be, these
tests put `FakeBackend`: in-memory streams that, like a sound card driver, call the bridge's
stream callbacks from a thread of their own every 20 ms, taking what is "played" and handing
over a sine as "recorded". Everything on the other side is real: a pjsua2 Endpoint on the null
sound device, whose clock thread ticks the conference bridge and calls the bridge's ports;
tones and meters are real bridge ports too.
"""

from __future__ import annotations

import contextlib
import gc
import math
import sys
import threading
import time
import weakref
from array import array
from collections.abc import Callable, Iterator
from typing import Any

import pjsua2 as pj
import pytest

from agent_app.phone import binding_guard, sound_bridge
from agent_app.phone.media import AudioDevice
from agent_app.phone.sound_bridge import AudioRing, Ringer, SoundBridge, portaudio_devices
from agent_app.phone.tone_meter import INT16_FULL_SCALE, ToneMeter, goertzel_power, mean_square

BLOCK_S = 0.02


# -- the stand-in for a sound card -----------------------------------------------------------


class FakeStream:
    """An opened PortAudio stream, minus the hardware: a thread calls `callback` every 20 ms."""

    def __init__(
        self, rate: int, output: bool, callback: Callable[..., None], source: Any = None
    ) -> None:
        self.samplerate = float(rate)
        self.output = output
        self.callback = callback
        self.source: Callable[[int], bytes] | None = source
        self.played = bytearray()  # what an output stream was given to play
        self.blocks = 0
        self.started = self.stopped = self.closed = False
        self._lock = threading.Lock()
        self._quit = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.started = True
        self._thread = threading.Thread(target=self._run, name="fake-portaudio", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        frames = int(self.samplerate * BLOCK_S)
        due = time.monotonic()
        while not self._quit.is_set():
            if self.output:
                out = bytearray(frames * 2)
                self.callback(out, frames, None, None)
                with self._lock:
                    self.played += out
            else:
                data = self.source(frames) if self.source else bytes(frames * 2)
                self.callback(data, frames, None, None)
            self.blocks += 1
            due += BLOCK_S
            self._quit.wait(max(0.0, due - time.monotonic()))

    def stop(self) -> None:
        self.stopped = True
        self._quit.set()
        if self._thread is not None:
            self._thread.join(2)

    def close(self) -> None:
        self.closed = True

    def samples(self) -> array:
        with self._lock:
            return array("h", bytes(self.played))


def sine(freq: float, rate: int, amplitude: float = 0.5) -> Callable[[int], bytes]:
    """A phase-continuous int16 sine, `frames` samples per call."""
    position = 0

    def next_block(frames: int) -> bytes:
        nonlocal position
        scale = amplitude * 32767
        block = array(
            "h",
            (
                int(scale * math.sin(2 * math.pi * freq * (position + i) / rate))
                for i in range(frames)
            ),
        )
        position += frames
        return block.tobytes()

    return next_block


class FakeBackend:
    """A microphone and a speaker (and a loudspeaker for the ringer) that are really memory."""

    def __init__(
        self,
        rate: int = 16000,
        mic_tone: float | None = None,
        speaker_rate: int | None = None,
        devices: list[AudioDevice] | None = None,
        fail_output: bool = False,
    ) -> None:
        self.rate = rate
        self.speaker_rate = speaker_rate or rate
        self.mic_tone = mic_tone
        self.fail_output = fail_output
        self._devices = (
            devices
            if devices is not None
            else [
                AudioDevice(0, "Fake Headset Mic", "fake", 1, 0),
                AudioDevice(1, "Fake Headset", "fake", 0, 2),
                AudioDevice(2, "Fake Loudspeaker", "fake", 0, 2),
            ]
        )
        self.streams: dict[int, FakeStream] = {}

    def devices(self) -> list[AudioDevice]:
        return list(self._devices)

    def default_device(self, output: bool) -> int:
        return 1 if output else 0

    def open_stream(self, device: int, output: bool, callback: Callable[..., None]) -> FakeStream:
        if output and self.fail_output:
            raise OSError("Error opening RawOutputStream: Device unavailable [PaErrorCode -9985]")
        source = sine(self.mic_tone, self.rate) if self.mic_tone and not output else None
        stream = FakeStream(self.speaker_rate if output else self.rate, output, callback, source)
        self.streams[device] = stream
        return stream


# -- a real endpoint -------------------------------------------------------------------------


class Lab:
    """A pjsua2 Endpoint on the null device, and the pj objects a test made on it."""

    def __init__(self) -> None:
        ep = pj.Endpoint()
        ep.libCreate()
        cfg = pj.EpConfig()
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = True
        cfg.medConfig.threadCnt = 1  # as the engine runs it
        cfg.logConfig.level = 0
        cfg.logConfig.consoleLevel = 0
        ep.libInit(cfg)
        ep.libStart()
        ep.audDevManager().setNullDev()
        self.ep: pj.Endpoint | None = ep
        self._made: weakref.WeakSet[Any] = weakref.WeakSet()

    def track(self, *objects: Any) -> None:
        for obj in objects:
            self._made.add(obj)

    def tone(self, freq: int) -> pj.ToneGenerator:
        gen = pj.ToneGenerator()
        gen.createToneGenerator(16000, 1)
        desc = pj.ToneDesc()
        desc.freq1, desc.freq2, desc.on_msec, desc.off_msec, desc.volume = freq, 0, 30000, 0, 0
        tones = pj.ToneDescVector()
        tones.append(desc)
        gen.play(tones, True)
        self.track(gen)
        return gen

    def meter(self, freq: float) -> ToneMeter:
        meter = ToneMeter(freq)
        self.track(meter)
        return meter

    def run(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.ep is not None
            self.ep.libHandleEvents(10)

    def until(self, done: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                return False
            self.run(0.02)
        return True

    def destroy(self) -> None:
        gc.collect()
        # A port a failed test's traceback still holds would be destroyed after libDestroy,
        # which pjsua answers with an assertion: let such survivors go without touching pjsua.
        for survivor in list(self._made):
            with contextlib.suppress(AttributeError):
                survivor.thisown = False
        assert self.ep is not None
        self.ep.libDestroy(pj.PJSUA_DESTROY_NO_NETWORK)
        self.ep = None  # pjsua2 allows one Endpoint at a time: the next test makes its own
        gc.collect()


@pytest.fixture
def lab() -> Iterator[Lab]:
    switch_interval = sys.getswitchinterval()  # opening a bridge lowers it, process-wide
    lab = Lab()
    try:
        yield lab
    finally:
        lab.destroy()
        sys.setswitchinterval(switch_interval)


def open_bridge(lab: Lab, backend: FakeBackend, mic: str = "", speaker: str = "") -> SoundBridge:
    bridge = SoundBridge.open(mic, speaker, backend=backend)
    assert bridge is not None
    lab.track(bridge.capture, bridge.playback)
    return bridge


def tone_share(samples: array, freq: float, rate: int) -> tuple[int, int]:
    """(20 ms blocks with sound, blocks among them where `freq` dominates)."""
    block = int(rate * BLOCK_S)
    loud = toned = 0
    for start in range(0, len(samples) - block + 1, block):
        chunk = samples[start : start + block]
        total = mean_square(chunk, INT16_FULL_SCALE)
        if total < 1e-6:
            continue
        loud += 1
        if goertzel_power(chunk, freq, rate, INT16_FULL_SCALE) > 0.5 * total:
            toned += 1
    return loud, toned


# -- the rings -------------------------------------------------------------------------------


def test_a_ring_plays_once_its_cushion_is_full_and_gives_silence_when_dry() -> None:
    ring = AudioRing(capacity=100, cushion=40)
    ring.write(b"\x01" * 20)
    assert ring.read(20) is None  # still filling the cushion
    ring.write(b"\x02" * 20)
    assert ring.read(20) == b"\x01" * 20
    assert ring.read(20) == b"\x02" * 20
    assert ring.underruns == 0
    assert ring.read(20) is None  # ran dry: silence, and a fresh cushion before playing again
    assert ring.underruns == 1
    ring.write(b"\x03" * 20)
    assert ring.read(20) is None
    assert ring.underruns == 1  # waiting for the cushion is not another underrun
    ring.write(b"\x04" * 20)
    assert ring.read(20) == b"\x03" * 20


def test_a_full_ring_drops_the_oldest_audio_down_to_its_cushion() -> None:
    ring = AudioRing(capacity=100, cushion=40)
    for value in range(6):
        ring.write(bytes([value]) * 20)  # 120 bytes into 100
    assert ring.overruns == 1
    assert len(ring) == 40  # latency back to the cushion, not stuck at the cap
    assert ring.read(20) == b"\x04" * 20 and ring.read(20) == b"\x05" * 20


def test_a_ring_for_16_khz_holds_200_ms() -> None:
    ring = AudioRing.for_rate(16000)
    assert ring.capacity == 6400 and ring.cushion == 1280


# -- PortAudio itself: nothing here ----------------------------------------------------------


def test_portaudio_lists_no_devices_here_without_crashing() -> None:
    """Whether libportaudio2 is installed (no devices) or not (OSError on import): []."""
    assert portaudio_devices() == []
    assert portaudio_devices(refresh=True) == []


def test_no_portaudio_library_means_no_bridge(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoPortAudio:
        """What `import sounddevice` does where libportaudio2 is missing."""

        def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
            if name == "sounddevice":
                raise OSError("PortAudio library not found")
            return None

    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoPortAudio(), *sys.meta_path])
    monkeypatch.setattr(sound_bridge, "_sd_module", sound_bridge._UNSET)
    assert portaudio_devices() == []
    assert SoundBridge.open() is None
    assert SoundBridge.open_output() is None
    assert sound_bridge._sd_module is None  # remembered: not looked for again every time


def test_open_without_devices_gives_none() -> None:
    assert SoundBridge.open("", "") is None  # the real PortAudio: no sound card here
    assert SoundBridge.open("Headset", "Headset") is None
    assert Ringer.open("") is None
    empty = FakeBackend(devices=[])
    assert SoundBridge.open(backend=empty) is None
    no_mic = FakeBackend(devices=[AudioDevice(1, "Speaker", "fake", 0, 2)])
    assert SoundBridge.open(backend=no_mic) is None
    assert empty.streams == {} and no_mic.streams == {}


def test_a_device_that_wont_open_gives_none_and_closes_what_did() -> None:
    backend = FakeBackend(fail_output=True)
    assert SoundBridge.open(backend=backend) is None
    mic = backend.streams[0]
    assert mic.closed and not mic.started  # nothing left running


# -- the bridge on a real conference bridge --------------------------------------------------


def test_a_tone_sent_to_playback_reaches_the_speaker(lab: Lab) -> None:
    backend = FakeBackend()
    bridge = open_bridge(lab, backend)
    speaker = backend.streams[1]
    tone = lab.tone(1000)
    tone.startTransmit(bridge.playback)
    assert lab.until(lambda: tone_share(speaker.samples(), 1000, 16000)[0] >= 25, 5)
    loud, toned = tone_share(speaker.samples(), 1000, 16000)
    assert toned >= 0.9 * loud, (loud, toned)
    assert tone_share(speaker.samples(), 700, 16000)[1] == 0
    assert backend.streams[0].started  # the microphone runs too
    tone.stopTransmit(bridge.playback)
    bridge.close()


def test_the_microphone_is_heard_from_capture(lab: Lab) -> None:
    backend = FakeBackend(mic_tone=700)
    bridge = open_bridge(lab, backend)
    heard, other = lab.meter(700), lab.meter(1000)
    bridge.capture.startTransmit(heard)
    bridge.capture.startTransmit(other)
    assert lab.until(lambda: heard.heard, 5), (heard.frames, heard.loud_frames, bridge.stats())
    assert heard.tone_frames >= 0.8 * heard.loud_frames
    assert other.tone_frames == 0
    bridge.close()


def test_devices_are_chosen_by_name_and_the_ringer_has_its_own(lab: Lab) -> None:
    backend = FakeBackend()
    bridge = open_bridge(lab, backend, "Fake Headset Mic", "No Such Speaker")  # -> default
    ringer = SoundBridge.open_output("Fake Loudspeaker", backend=backend)
    assert ringer is not None
    lab.track(ringer.playback)
    assert sorted(backend.streams) == [0, 1, 2]
    ring_tone, voice = lab.tone(440), lab.tone(1000)
    ring_tone.startTransmit(ringer.playback)
    voice.startTransmit(bridge.playback)
    loudspeaker, headset = backend.streams[2], backend.streams[1]
    assert lab.until(lambda: tone_share(loudspeaker.samples(), 440, 16000)[1] >= 25, 5)
    assert lab.until(lambda: tone_share(headset.samples(), 1000, 16000)[1] >= 25, 5)
    assert tone_share(headset.samples(), 440, 16000)[1] == 0
    assert tone_share(loudspeaker.samples(), 1000, 16000)[1] == 0
    ringer.close()
    bridge.close()


def test_a_device_without_16_khz_runs_at_its_own_rate(lab: Lab) -> None:
    """pjmedia resamples between the device's rate and the 16 kHz bridge."""
    backend = FakeBackend(rate=48000, mic_tone=700)
    bridge = open_bridge(lab, backend)
    assert bridge.capture is bridge.playback  # one port both ways
    tone, meter = lab.tone(1000), lab.meter(700)
    tone.startTransmit(bridge.playback)
    bridge.capture.startTransmit(meter)
    speaker = backend.streams[1]
    assert lab.until(lambda: tone_share(speaker.samples(), 1000, 48000)[1] >= 25, 5)
    assert lab.until(lambda: meter.heard, 5)
    loud, toned = tone_share(speaker.samples(), 1000, 48000)
    assert toned >= 0.9 * loud, (loud, toned)
    bridge.close()


def test_a_microphone_and_speaker_at_different_rates_get_a_port_each(lab: Lab) -> None:
    backend = FakeBackend(rate=16000, speaker_rate=44100, mic_tone=700)
    bridge = open_bridge(lab, backend)
    assert bridge.capture is not bridge.playback
    tone, meter = lab.tone(1000), lab.meter(700)
    tone.startTransmit(bridge.playback)
    bridge.capture.startTransmit(meter)
    speaker = backend.streams[1]
    assert lab.until(lambda: tone_share(speaker.samples(), 1000, 44100)[1] >= 25, 5)
    assert lab.until(lambda: meter.heard, 5)
    loud, toned = tone_share(speaker.samples(), 1000, 44100)
    assert toned >= 0.9 * loud, (loud, toned)
    stats = bridge.stats()
    assert stats["capture_frames"] > 0 and stats["playback_frames"] > 0
    assert stats["capture_errors"] == stats["playback_errors"] == 0
    bridge.close()


def test_close_stops_the_streams_and_lets_go_of_the_ports(lab: Lab) -> None:
    backend = FakeBackend()
    bridge = open_bridge(lab, backend)
    capture = weakref.ref(bridge.capture)
    bridge.close()
    bridge.close()  # idempotent
    assert bridge.closed
    assert all(s.stopped and s.closed for s in backend.streams.values())
    with pytest.raises(RuntimeError):
        _ = bridge.capture
    gc.collect()
    assert capture() is None  # gone from the conference bridge before libDestroy


def test_frames_keep_flowing_from_the_clock_thread_while_python_is_busy(lab: Lab) -> None:
    """pjmedia's clock thread calls the port (the SWIG directors take the GIL for it) even
    when the main thread neither polls nor sleeps; a few seconds of both directions."""
    sys.setswitchinterval(0.005)  # Python's default, which open() lowers
    backend = FakeBackend(mic_tone=700)
    bridge = open_bridge(lab, backend)
    assert sys.getswitchinterval() == sound_bridge.SWITCH_INTERVAL_S
    tone, meter = lab.tone(1000), lab.meter(700)
    tone.startTransmit(bridge.playback)
    bridge.capture.startTransmit(meter)
    lab.run(0.3)
    binding_guard.keep_none_alive()  # the measurement below must not straddle a top-up
    stats = bridge.stats()
    before = (bridge.playback.received, bridge.capture.requested, sys.getrefcount(None))
    deadline = time.monotonic() + 3.0
    busy = 0
    while time.monotonic() < deadline:  # pure Python, holding the GIL but for switches
        busy += sum(range(1000))
    played = bridge.playback.received - before[0]
    asked = bridge.capture.requested - before[1]
    drift = sys.getrefcount(None) - before[2]
    after = bridge.stats()
    changes = {key: after[key] - stats[key] for key in after}
    print(f"\n3 s busy: playback {played} frames, capture {asked}, None drift {drift}, {changes}")
    # 150 ticks in 3 s: 150 measured here, no underrun (at a 5 ms switch interval: ~100).
    assert played >= 120 and asked >= 120
    assert changes["playback_underruns"] <= 10
    assert changes["playback_errors"] == changes["capture_errors"] == 0
    assert bridge.playback.thread != threading.get_ident()  # pjmedia's clock thread
    assert drift > -20 * (played + asked)  # about one reference per director call at most
    bridge.close()


def test_the_frame_callbacks_do_not_leak_none(lab: Lab) -> None:
    """1000 frames each way through the ports' own code (called directly here; the
    director's own cost per call is measured in the test above)."""
    backend = FakeBackend()
    bridge = open_bridge(lab, backend)
    capture, playback = bridge.capture, bridge.playback
    backend.streams[0].stop()  # feed the rings ourselves
    backend.streams[1].stop()
    source, sink = capture.source, playback.sink
    assert source is not None and sink is not None
    source.clear()
    source.write(bytes(source.cushion))  # ready to play
    audio = pj.MediaFrame()
    audio.type = pj.PJMEDIA_FRAME_TYPE_AUDIO
    audio.buf = pj.ByteVector(sine(1000, 16000)(320))
    audio.size = 640
    binding_guard.keep_none_alive()
    counts = [sys.getrefcount(obj) for obj in (None, True, False)]
    for _ in range(1000):
        source.write(b"\x10\x00" * 320)
        request = pj.MediaFrame()
        request.size = 640
        capture.onFrameRequested(request)
        playback.onFrameReceived(audio)
        sink.read(640)
    drift = [sys.getrefcount(obj) - n for obj, n in zip((None, True, False), counts, strict=True)]
    print(f"\n1000 frames each way, called directly: None/True/False drift {drift}")
    assert all(abs(d) < 100 for d in drift), drift
    assert bytes(request.buf) == b"\x10\x00" * 320
    assert request.type == pj.PJMEDIA_FRAME_TYPE_AUDIO
    assert playback.received == 1000 and capture.silent == 0
    assert capture.errors == playback.errors == 0
    del request, audio, capture, playback
    bridge.close()


def test_the_fast_vector_reader_agrees_with_the_binding() -> None:
    data = bytes(range(256)) * 5
    assert sound_bridge.read_vector(pj.ByteVector(data)) == data
    assert sound_bridge.read_vector(pj.ByteVector()) == b""
    assert sound_bridge.read_vector is sound_bridge._read_vector_fast  # Linux, libstdc++


def test_the_portaudio_backend_maps_devices_and_falls_back_to_the_device_rate() -> None:
    """PortAudioBackend against a stand-in for the sounddevice module (no sound card here)."""

    class PortAudioError(Exception):
        pass

    opened: list[dict[str, Any]] = []

    class RawStream:
        def __init__(self, **kwargs: Any) -> None:
            if kwargs["samplerate"] != 48000:
                raise PortAudioError("Invalid sample rate [PaErrorCode -9997]")
            opened.append(kwargs)
            self.samplerate = kwargs["samplerate"]
            self.closed = False

        def close(self) -> None:
            self.closed = True

    class FakeSoundDevice:
        def __init__(self) -> None:
            self.PortAudioError = PortAudioError
            self.RawInputStream = self.RawOutputStream = RawStream
            self.default = type("Default", (), {"device": [3, -1]})()
            self.devices = [
                {"index": 3, "name": "USB Headset", "hostapi": 0, "max_input_channels": 1,
                 "max_output_channels": 2, "default_samplerate": 48000.0},
            ]  # fmt: skip

        def query_hostapis(self) -> list[dict[str, Any]]:
            return [{"name": "ALSA"}]

        def query_devices(self, device: int | None = None) -> Any:
            return self.devices if device is None else self.devices[0]

    backend = sound_bridge.PortAudioBackend(FakeSoundDevice())
    assert backend.devices() == [AudioDevice(3, "USB Headset", "ALSA", 1, 2)]
    assert backend.default_device(output=False) == 3
    assert backend.default_device(output=True) == -1
    open_before = sound_bridge._open_streams
    stream = backend.open_stream(3, output=True, callback=lambda *args: None)
    assert stream.samplerate == 48000
    assert opened[0]["blocksize"] == 960 and opened[0]["channels"] == 1
    assert opened[0]["dtype"] == "int16" and opened[0]["device"] == 3
    assert sound_bridge._open_streams == open_before + 1  # refresh waits for it to close
    stream.close()
    stream.close()
    assert sound_bridge._open_streams == open_before


def test_a_device_named_by_the_other_driver_is_still_found() -> None:
    """pjsua's Windows driver and PortAudio's MME name one headset differently (MME keeps 31
    characters): the settings keep one name, the bridge must find the device by it."""
    devices = [
        AudioDevice(0, "Microphone (Jabra Evolve2 40 Mo", "MME", 1, 0),
        AudioDevice(1, "Speakers (Jabra Evolve2 40 Mono", "MME", 0, 2),
    ]
    backend = FakeBackend(devices=devices)
    assert sound_bridge._pick(backend, devices, "Speakers (Jabra Evolve2 40 Mono)", True) == 1
    assert sound_bridge._pick(backend, devices, "microphone (jabra evolve2 40 mono)", False) == 0
    assert sound_bridge._pick(backend, devices, "USB Speakerphone", True) == 1  # the default
