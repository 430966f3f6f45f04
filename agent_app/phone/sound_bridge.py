"""Real sound where the pjsua2 wheel has none: conference-bridge ports fed by PortAudio.

The Linux/macOS wheel (pjsua2-python) is built without sound devices, so pjsua runs on its
null device, whose clock thread ticks the conference bridge every 20 ms. This module adds a
bridge port that reaches the sound card through `sounddevice` (PortAudio):

* as `capture` it answers the bridge's requests for a frame with microphone audio that a
  PortAudio input stream put into a ring buffer; route it like the microphone;
* as `playback` it takes the frames the bridge sends it into a ring buffer that a PortAudio
  output stream drains; route calls to it like the speaker.

(Two ports, one each way, when the microphone and the speaker run at different rates.)

Two threads meet at each ring: pjmedia's clock thread (the port callbacks; the SWIG directors
take the GIL for it) and PortAudio's callback thread. Neither waits for the other: a reader
that finds too little gets silence, a writer that finds the ring full drops the oldest audio.
PortAudio's thread never calls pjsua2; the port callbacks only copy bytes.

A `Ringer` is the output half alone, on a device of its own (a loudspeaker for the ringtone
while the agent wears a headset).

Qt-free. Everything touching PortAudio goes through an `AudioBackend`, so tests can put an
in-memory stand-in where the sound card would be.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import pjsua2 as pj

from agent_app.phone.media import AudioDevice

log = logging.getLogger(__name__)

RATE = 16000  # what the bridge runs at (pjsua's default clock rate)
FRAME_USEC = 20000  # pjsua's ptime: one bridge tick
RING_MS = 200  # most audio a ring holds; beyond that the oldest goes
CUSHION_MS = 40  # what a ring holds before it plays, and keeps after dropping audio
STREAM_LATENCY_S = 0.04  # asked of PortAudio; room for the GIL being busy elsewhere
SAMPLE_BYTES = 2  # int16, mono
# Every port callback and every PortAudio callback needs the GIL. While another thread computes
# in Python, each waits up to the switch interval (5 ms by default): four waits per 20 ms tick
# and the bridge falls behind (measured: 96-108 of 150 ticks, 13-15 ring underruns in 3 s of a
# busy main thread). At 1 ms: 150 of 150, no underrun.
SWITCH_INTERVAL_S = 0.001

# (buffer, frames, time, status): the signature of sounddevice's raw stream callbacks.
StreamCallback = Callable[[Any, int, Any, Any], None]


class Stream(Protocol):
    """What the bridge needs of an opened, not yet started, sound stream."""

    samplerate: float

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def close(self) -> None: ...


class AudioBackend(Protocol):
    """Where the sound cards are: PortAudio in the app, an in-memory fake in tests."""

    def devices(self) -> list[AudioDevice]: ...

    def default_device(self, output: bool) -> int:
        """The system's default input or output device index, -1 when there is none."""
        ...

    def open_stream(self, device: int, output: bool, callback: StreamCallback) -> Stream:
        """A mono int16 stream of 20 ms blocks, 16 kHz if the device can (else its own rate).
        Raises when the device can't be opened."""
        ...


# -- PortAudio -------------------------------------------------------------------------------

_UNSET: Any = object()
_sd_module: Any = _UNSET  # sounddevice, or None when it or PortAudio is missing
_open_streams = 0  # PortAudio may only be re-initialised while none is open
_streams_lock = threading.Lock()


def _sounddevice() -> Any:
    """The sounddevice module, or None (not installed, or no PortAudio library: OSError)."""
    global _sd_module
    if _sd_module is _UNSET:
        try:
            import sounddevice
        except (ImportError, OSError) as exc:
            log.info("no PortAudio (sounddevice: %s): sound only through pjsua's devices", exc)
            _sd_module = None
        else:
            _sd_module = sounddevice
    return _sd_module


class PortAudioBackend:
    """The real sound cards, through sounddevice."""

    def __init__(self, sd: Any) -> None:
        self.sd = sd

    @classmethod
    def create(cls) -> PortAudioBackend | None:
        sd = _sounddevice()
        return cls(sd) if sd is not None else None

    def devices(self) -> list[AudioDevice]:
        try:
            hostapis = [api["name"] for api in self.sd.query_hostapis()]
            found = self.sd.query_devices()
        except self.sd.PortAudioError as exc:
            log.warning("listing PortAudio devices failed: %s", exc)
            return []
        return [
            AudioDevice(
                index=int(d["index"]),
                name=str(d["name"]),
                driver=hostapis[d["hostapi"]] if 0 <= d["hostapi"] < len(hostapis) else "",
                inputs=int(d["max_input_channels"]),
                outputs=int(d["max_output_channels"]),
            )
            for d in found
        ]

    def default_device(self, output: bool) -> int:
        try:
            index = self.sd.default.device[1 if output else 0]
        except (self.sd.PortAudioError, IndexError, TypeError):
            return -1
        return int(index) if isinstance(index, int) else -1

    def open_stream(self, device: int, output: bool, callback: StreamCallback) -> Stream:
        sd = self.sd
        kind = sd.RawOutputStream if output else sd.RawInputStream
        rates = [RATE]
        with contextlib.suppress(sd.PortAudioError, ValueError):
            own = int(sd.query_devices(device)["default_samplerate"])
            if own != RATE:
                rates.append(own)  # a raw hardware device that can't do 16 kHz
        error: Exception | None = None
        for rate in rates:
            try:
                stream = kind(
                    samplerate=rate,
                    blocksize=rate * FRAME_USEC // 1_000_000,
                    device=device,
                    channels=1,
                    dtype="int16",
                    latency=STREAM_LATENCY_S,
                    callback=callback,
                )
            except (sd.PortAudioError, ValueError) as exc:
                error = exc
                continue
            return _CountedStream(stream)
        assert error is not None
        raise error


class _CountedStream:
    """A PortAudio stream that keeps `_open_streams` right (see `portaudio_devices`)."""

    def __init__(self, stream: Any) -> None:
        global _open_streams
        self.stream = stream
        self.samplerate = float(stream.samplerate)
        self.closed = False
        with _streams_lock:
            _open_streams += 1

    def start(self) -> None:
        self.stream.start()

    def stop(self) -> None:
        self.stream.stop()

    def close(self) -> None:
        global _open_streams
        if self.closed:
            return
        self.closed = True
        try:
            self.stream.close()
        finally:
            with _streams_lock:
                _open_streams -= 1


def portaudio_devices(refresh: bool = False) -> list[AudioDevice]:
    """PortAudio's sound devices ([] without sounddevice, PortAudio or any device).

    PortAudio lists devices once, when it starts: `refresh` restarts it to see a headset
    plugged in since, which is only done while no bridge stream is open.
    """
    sd = _sounddevice()
    if sd is None:
        return []
    if refresh:
        with _streams_lock:
            if _open_streams == 0:
                try:
                    sd._terminate()  # sounddevice's documented way to re-scan devices
                    sd._initialize()
                except sd.PortAudioError as exc:
                    log.warning("restarting PortAudio failed: %s", exc)
                    return []
    return PortAudioBackend(sd).devices()


def _pick(backend: AudioBackend, devices: list[AudioDevice], name: str, output: bool) -> int:
    """The device called `name`, else the system default, else the first usable; -1: none."""
    usable = [d for d in devices if (d.outputs if output else d.inputs) > 0]
    if not usable:
        return -1
    if name:
        for device in usable:
            if device.name == name:
                return device.index
        # The same device can be named differently by pjsua's Windows driver and PortAudio
        # (MME cuts names to 31 characters): a name that starts the other counts as it.
        wanted = name.casefold()
        for device in usable:
            have = device.name.casefold()
            if have.startswith(wanted) or wanted.startswith(have):
                return device.index
        log.warning("sound device %r not found; using the default", name)
    default = backend.default_device(output)
    if any(d.index == default for d in usable):
        return default
    return usable[0].index


# -- the rings -------------------------------------------------------------------------------


class AudioRing:
    """A bounded FIFO of PCM bytes between two threads that never wait for each other.

    The reader gets nothing until `cushion` bytes are waiting (so two clocks that tick a little
    apart don't starve it every other frame), and nothing again after it ran dry, until the
    cushion has refilled: those frames are played as silence. A write that would pass
    `capacity` drops the oldest audio down to the cushion, so latency can't creep up.
    """

    def __init__(self, capacity: int, cushion: int) -> None:
        self.capacity = capacity - capacity % SAMPLE_BYTES
        self.cushion = min(cushion - cushion % SAMPLE_BYTES, self.capacity)
        self._buf = bytearray()
        self._lock = threading.Lock()
        self._playing = False
        self.underruns = 0  # reads that ran dry while playing
        self.overruns = 0  # writes that dropped old audio

    @classmethod
    def for_rate(cls, rate: int) -> AudioRing:
        bytes_per_ms = rate * SAMPLE_BYTES // 1000
        return cls(RING_MS * bytes_per_ms, CUSHION_MS * bytes_per_ms)

    def write(self, data: Any) -> None:
        """Append bytes (anything with the buffer protocol)."""
        with self._lock:
            self._buf += data
            if len(self._buf) > self.capacity:
                drop = len(self._buf) - self.cushion
                del self._buf[: drop - drop % SAMPLE_BYTES]
                self.overruns += 1

    def read(self, size: int) -> bytes | None:
        """`size` bytes, or None when the caller should play silence."""
        with self._lock:
            if not self._playing:
                if len(self._buf) < max(self.cushion, size):
                    return None
                self._playing = True
            if len(self._buf) < size:
                self._playing = False
                self.underruns += 1
                return None
            data = bytes(self._buf[:size])
            del self._buf[:size]
            return data

    def __len__(self) -> int:
        with self._lock:
            return len(self._buf)

    def clear(self) -> None:
        with self._lock:
            self._buf.clear()
            self._playing = False


# -- reading pjsua2's ByteVector -------------------------------------------------------------


def _read_vector_slow(vec: Any) -> bytes:
    return bytes(vec)  # one SWIG call per byte: about 250 us for a 20 ms frame


def _read_vector_fast(vec: Any) -> bytes:
    # A std::vector starts with its begin and end pointers (libstdc++ and libc++ alike);
    # `_vector_reader` checked that on a known vector before choosing this.
    begin, end = (ctypes.c_void_p * 2).from_address(int(vec.this))
    if not begin or not end or end <= begin:
        return b""
    return ctypes.string_at(begin, end - begin)


def _vector_reader() -> Callable[[Any], bytes]:
    """The fast reader (about 1 us a frame) if this build's vectors look as it expects."""
    probe = bytes(range(3, 3 + 64))
    try:
        vec = pj.ByteVector(probe)
        begin, end = (ctypes.c_void_p * 2).from_address(int(vec.this))
        if begin and end and end - begin == len(probe) and _read_vector_fast(vec) == probe:
            empty = pj.ByteVector()
            if _read_vector_fast(empty) == b"":
                return _read_vector_fast
    except Exception as exc:  # any surprise: stay on the safe path
        log.debug("ByteVector fast path unavailable: %s", exc)
    return _read_vector_slow


read_vector: Callable[[Any], bytes] = _vector_reader()


# -- the bridge ports ------------------------------------------------------------------------


def _audio_format(rate: int) -> Any:
    fmt = pj.MediaFormatAudio()
    fmt.init(pj.PJMEDIA_FORMAT_PCM, rate, 1, FRAME_USEC, 16)
    return fmt


class BridgePort(pj.AudioMediaPort):
    """A bridge port backed by rings: frames the bridge asks for come from `source` (the
    microphone), frames it sends go to `sink` (the speaker). Either may be None.

    One port serves both directions when the devices share a rate, like pjsua's own sound
    port: every director call waits for the GIL, and the bridge calls each port twice a tick
    (it offers a frame even to a port nobody transmits to), so fewer ports is less waiting.
    """

    def __init__(self, name: str, rate: int, source: AudioRing | None, sink: AudioRing | None):
        super().__init__()
        self.source = source
        self.sink = sink
        self.frame_bytes = rate * FRAME_USEC // 1_000_000 * SAMPLE_BYTES
        self._vec = pj.ByteVector(bytes(self.frame_bytes))  # reused: no pj object per frame
        self.requested = 0  # frames the bridge asked for
        self.silent = 0  # ... and got silence because the microphone ring was short
        self.received = 0  # frames with audio the bridge handed over
        self.errors = 0
        self.thread = 0  # the thread that calls us (pjmedia's clock), for diagnostics
        self.createPort(name, _audio_format(rate))

    # Both run on pjmedia's clock thread. SWIG only prints an exception raised here (every
    # frame), so none may escape.
    def onFrameRequested(self, frame: pj.MediaFrame) -> None:  # noqa: N802 (pjsua2 name)
        try:
            if self.source is None:
                frame.type = pj.PJMEDIA_FRAME_TYPE_NONE  # a sink sends nothing
                return
            self.requested += 1
            size = frame.size or self.frame_bytes
            data = self.source.read(size)
            if data is None:
                self.silent += 1
                frame.type = pj.PJMEDIA_FRAME_TYPE_NONE  # the bridge treats it as silence
                return
            self._vec[0 : len(self._vec)] = data  # same size every tick: copied in place
            frame.buf = self._vec  # copied into the frame by the binding
            frame.size = size
            frame.type = pj.PJMEDIA_FRAME_TYPE_AUDIO
        except Exception:
            self.errors += 1
            with contextlib.suppress(Exception):
                frame.type = pj.PJMEDIA_FRAME_TYPE_NONE

    def onFrameReceived(self, frame: pj.MediaFrame) -> None:  # noqa: N802 (pjsua2 name)
        # (Director calls from this thread cost None a reference or so each: the engine's
        # poll makes that good, every 10 ms; see binding_guard.)
        try:
            self.thread = threading.get_ident()
            if self.sink is None or frame.type != pj.PJMEDIA_FRAME_TYPE_AUDIO:
                return  # nobody transmits to us this tick: the output ring runs dry -> silence
            if frame.size <= 0:
                return
            self.received += 1
            self.sink.write(read_vector(frame.buf))
        except Exception:
            self.errors += 1


# -- the sound-card side of each direction ---------------------------------------------------


@dataclass
class _Side:
    """One direction on the sound-card side: its PortAudio stream and its ring."""

    device: int
    output: bool
    ring: AudioRing | None = None
    stream: Stream | None = None
    status_flags: int = 0  # PortAudio's over/underflow reports
    errors: int = 0
    _silence: bytes = b""

    def open(self, backend: AudioBackend) -> int:
        """Open the stream (not started); returns its rate."""
        callback = self._play if self.output else self._record
        self.stream = backend.open_stream(self.device, self.output, callback)
        rate = int(self.stream.samplerate)
        self.ring = AudioRing.for_rate(rate)
        return rate

    # PortAudio's thread: bytes in or out of the ring, nothing else (never pjsua2).
    def _record(self, indata: Any, frames: int, time: Any, status: Any) -> None:
        try:
            if status:
                self.status_flags += 1
            if self.ring is not None:
                self.ring.write(indata)
        except Exception:
            self.errors += 1

    def _play(self, outdata: Any, frames: int, time: Any, status: Any) -> None:
        try:
            if status:
                self.status_flags += 1
            size = len(outdata)
            data = self.ring.read(size) if self.ring is not None else None
            if data is None:
                if len(self._silence) != size:
                    self._silence = bytes(size)
                data = self._silence
            outdata[:] = data
        except Exception:
            self.errors += 1

    def stop(self) -> None:
        stream, self.stream = self.stream, None
        if stream is None:
            return
        try:
            stream.stop()
        except Exception as exc:
            log.debug("stopping a sound stream: %s", exc)
        try:
            stream.close()
        except Exception as exc:
            log.debug("closing a sound stream: %s", exc)


def _backend_or_none(backend: AudioBackend | None) -> AudioBackend | None:
    if backend is not None:
        return backend
    return PortAudioBackend.create()


def _hand_the_gil_over_sooner() -> None:
    """Lower the interpreter's switch interval to `SWITCH_INTERVAL_S` (process-wide; kept
    after closing: a second bridge or a reopened one would want it again)."""
    if sys.getswitchinterval() > SWITCH_INTERVAL_S:
        sys.setswitchinterval(SWITCH_INTERVAL_S)


class SoundBridge:
    """Microphone and speaker through PortAudio, as ports on pjsua's bridge.

    Use `open()`; route `capture` where the microphone would go and calls to `playback` where
    the speaker would (the same port when both devices run at one rate); `close()` before
    `libDestroy` (it also lets go of the ports).
    """

    def __init__(self, inbound: _Side, outbound: _Side) -> None:
        self._in = inbound
        self._out = outbound
        self._capture: BridgePort | None = None
        self._playback: BridgePort | None = None

    @classmethod
    def open(
        cls, microphone: str = "", speaker: str = "", backend: AudioBackend | None = None
    ) -> SoundBridge | None:
        """Open the named devices ("" = the system default; a missing name falls back to it).

        Needs a started pjsua2 Endpoint. None (and a logged reason) when there is no PortAudio
        or no usable device, or a device won't open: keep pjsua's null device then.
        """
        backend = _backend_or_none(backend)
        if backend is None:
            return None
        devices = backend.devices()
        mic = _pick(backend, devices, microphone, output=False)
        spk = _pick(backend, devices, speaker, output=True)
        if mic < 0 or spk < 0:
            log.info("no PortAudio %s", "sound devices" if not devices else "microphone or speaker")
            return None
        bridge = cls(_Side(mic, output=False), _Side(spk, output=True))
        try:
            in_rate = bridge._in.open(backend)
            out_rate = bridge._out.open(backend)
            if in_rate == out_rate:
                port = BridgePort("pa-sound", in_rate, bridge._in.ring, bridge._out.ring)
                bridge._capture = bridge._playback = port
            else:
                bridge._capture = BridgePort("pa-capture", in_rate, bridge._in.ring, None)
                bridge._playback = BridgePort("pa-playback", out_rate, None, bridge._out.ring)
            _hand_the_gil_over_sooner()
            for side in (bridge._in, bridge._out):
                assert side.stream is not None
                side.stream.start()
        except Exception as exc:
            reason = exc.info() if isinstance(exc, pj.Error) else str(exc)
            log.warning("sound devices %r / %r failed to open: %s", microphone, speaker, reason)
            bridge.close()
            return None
        log.info(
            "PortAudio sound: mic #%d at %d Hz, speaker #%d at %d Hz", mic, in_rate, spk, out_rate
        )
        return bridge

    @staticmethod
    def open_output(device: str = "", backend: AudioBackend | None = None) -> Ringer | None:
        """An output-only bridge on its own device (the ringer); see `Ringer`."""
        return Ringer.open(device, backend)

    @property
    def capture(self) -> BridgePort:
        """The microphone, as a bridge source (`capture.startTransmit(call_audio)`)."""
        if self._capture is None:
            raise RuntimeError("the sound bridge is closed")
        return self._capture

    @property
    def playback(self) -> BridgePort:
        """The speaker, as a bridge sink (`call_audio.startTransmit(playback)`)."""
        if self._playback is None:
            raise RuntimeError("the sound bridge is closed")
        return self._playback

    @property
    def closed(self) -> bool:
        return self._capture is None and self._playback is None

    def stats(self) -> dict[str, int]:
        """Counters for diagnostics (doctor, logs): frames, silence, drops, PortAudio flags."""
        return _stats(self._in, self._capture, "capture") | _stats(
            self._out, self._playback, "playback"
        )

    def close(self) -> None:
        """Stop the streams and let go of the ports (idempotent). Call before `libDestroy`,
        and drop any other reference to `capture`/`playback` too (then `gc.collect()`)."""
        self._in.stop()
        self._out.stop()
        self._capture = None
        self._playback = None


class Ringer:
    """The output half of a bridge on a device of its own, for the ringtone.

    `Ringer.open(device)`; transmit the ring tone to `playback`; `close()` before `libDestroy`.
    """

    def __init__(self, side: _Side) -> None:
        self._out = side
        self._playback: BridgePort | None = None

    @classmethod
    def open(cls, device: str = "", backend: AudioBackend | None = None) -> Ringer | None:
        backend = _backend_or_none(backend)
        if backend is None:
            return None
        index = _pick(backend, backend.devices(), device, output=True)
        if index < 0:
            log.info("no PortAudio output device for the ringer")
            return None
        ringer = cls(_Side(index, output=True))
        try:
            rate = ringer._out.open(backend)
            ringer._playback = BridgePort("pa-ringer", rate, None, ringer._out.ring)
            assert ringer._out.stream is not None
            _hand_the_gil_over_sooner()
            ringer._out.stream.start()
        except Exception as exc:
            reason = exc.info() if isinstance(exc, pj.Error) else str(exc)
            log.warning("ringer device %r failed to open: %s", device, reason)
            ringer.close()
            return None
        return ringer

    @property
    def playback(self) -> BridgePort:
        """The ringer's speaker, as a bridge sink (`ring_tone.startTransmit(playback)`)."""
        if self._playback is None:
            raise RuntimeError("the ringer is closed")
        return self._playback

    @property
    def closed(self) -> bool:
        return self._playback is None

    def stats(self) -> dict[str, int]:
        return _stats(self._out, self._playback, "playback")

    def close(self) -> None:
        """Stop the stream and let go of the port (idempotent); before `libDestroy`."""
        self._out.stop()
        self._playback = None


def _stats(side: _Side, port: BridgePort | None, prefix: str) -> dict[str, int]:
    ring = side.ring
    values = {
        "errors": side.errors,
        "underruns": ring.underruns if ring is not None else 0,
        "overruns": ring.overruns if ring is not None else 0,
        "device_flags": side.status_flags,
    }
    if port is not None:
        values["errors"] += port.errors
        if side.output:
            values["frames"] = port.received
        else:
            values["frames"] = port.requested
            values["silent"] = port.silent
    return {f"{prefix}_{key}": value for key, value in values.items()}


__all__ = [
    "AudioBackend",
    "AudioRing",
    "BridgePort",
    "PortAudioBackend",
    "Ringer",
    "SoundBridge",
    "Stream",
    "portaudio_devices",
    "read_vector",
]
