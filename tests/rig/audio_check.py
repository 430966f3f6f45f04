"""Audio checks for recordings made by the rig: Goertzel tone detection (the phone's own, from
agent_app/phone/tone_meter.py) and RMS on WAV files read with the stdlib.

Levels are on a full scale of 1.0 (int16 / 32768). `tone_level` is the share of a segment's
energy that sits at one frequency: about 1.0 for a clean tone, near 0 for other sounds. The
default thresholds were measured on real rig recordings (pjsua2 peers through Kamailio, PCMU,
16 kHz conference bridge; see tests/rig/test_rig.py):

* a peer's 700/1300 Hz tone (pjsua2 ToneGenerator, default volume) received by the other
  peer: level >= 0.999 and RMS 0.27 once the first 0.25 s are skipped (0.97 over the whole
  recording, whose first ~30 ms are silent); the other frequency: below 0.0005;
* the same tone echoed back by SIPp's RTP echo: level >= 0.999, RMS 0.27;
* silence (the holder's side of a hold, nothing received): RMS 0.0000 (the bridge writes
  zeros).

So a tone is "present" at level >= 0.5 with RMS >= 0.01, and a segment is "silent" below RMS
0.003 (about -50 dBFS), which leaves wide margins on both sides.
"""

from __future__ import annotations

import array
import math
import sys
import wave
from collections.abc import Sequence
from pathlib import Path

from agent_app.phone.tone_meter import goertzel_power, mean_square

DEFAULT_MIN_RATIO = 0.5  # tone_level needed for has_tone
DEFAULT_MIN_RMS = 0.01  # a tone quieter than this (about -40 dBFS) is not "present"
DEFAULT_SILENCE_RMS = 0.003  # below this (about -50 dBFS) a segment is silent

Samples = Sequence[float]
Source = str | Path | tuple[Samples, int]


def read_wav(path: str | Path) -> tuple[list[float], int]:
    """Samples of a 16-bit PCM WAV as floats in [-1, 1] (channels averaged), and its rate."""
    with wave.open(str(path), "rb") as wav:
        width = wav.getsampwidth()
        channels = wav.getnchannels()
        rate = wav.getframerate()
        raw = wav.readframes(wav.getnframes())
    if width != 2:
        raise ValueError(f"{path}: {8 * width}-bit samples; only 16-bit PCM is supported")
    data = array.array("h")
    data.frombytes(raw[: len(raw) - len(raw) % 2])
    if sys.byteorder == "big":
        data.byteswap()
    if channels == 1:
        return [s / 32768.0 for s in data], rate
    frames = len(data) // channels
    return [
        sum(data[i * channels + c] for c in range(channels)) / (32768.0 * channels)
        for i in range(frames)
    ], rate


def make_tone_wav(
    path: str | Path,
    freq: float,
    seconds: float,
    rate: int = 16000,
    amplitude: float = 0.5,
) -> Path:
    """Write a mono 16-bit WAV with a sine tone (amplitude on a full scale of 1.0)."""
    if not 0 < amplitude <= 1:
        raise ValueError("amplitude must be in (0, 1]")
    count = int(round(seconds * rate))
    step = 2 * math.pi * freq / rate
    peak = amplitude * 32767
    data = array.array("h", (int(round(peak * math.sin(step * i))) for i in range(count)))
    if sys.byteorder == "big":
        data.byteswap()
    path = Path(path)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(data.tobytes())
    return path


def segment(
    samples: Samples, rate: int, start_s: float | None = None, end_s: float | None = None
) -> Samples:
    """The samples between start_s and end_s (seconds; negative counts from the end)."""
    n = len(samples)

    def index(t: float | None, default: int) -> int:
        if t is None:
            return default
        i = int(round(t * rate))
        if i < 0:
            i += n
        return max(0, min(n, i))

    return samples[index(start_s, 0) : index(end_s, n)]


def rms(samples: Samples) -> float:
    return math.sqrt(mean_square(samples))


def tone_level(samples: Samples, freq: float, rate: int) -> float:
    """Share of the samples' energy at `freq`: ~1.0 for a clean tone, ~0 without it.

    A tone that fills only part of the segment (the rest silent) scores about that part.
    """
    total = mean_square(samples)
    if total <= 0.0:
        return 0.0
    return min(1.0, goertzel_power(samples, freq, rate) / total)


def _load(source: Source, start_s: float | None, end_s: float | None) -> tuple[Samples, int]:
    samples: Samples
    if isinstance(source, (str, Path)):
        samples, rate = read_wav(source)
    else:
        samples, rate = source
    return segment(samples, rate, start_s, end_s), rate


def has_tone(
    source: Source,
    freq: float,
    *,
    start_s: float | None = None,
    end_s: float | None = None,
    min_ratio: float = DEFAULT_MIN_RATIO,
    min_rms: float = DEFAULT_MIN_RMS,
) -> bool:
    """Whether a WAV file (or (samples, rate)) carries a clear tone at `freq`."""
    samples, rate = _load(source, start_s, end_s)
    if not samples or rms(samples) < min_rms:
        return False
    return tone_level(samples, freq, rate) >= min_ratio


def is_silent(
    source: Source,
    *,
    start_s: float | None = None,
    end_s: float | None = None,
    max_rms: float = DEFAULT_SILENCE_RMS,
) -> bool:
    """Whether a WAV file (or (samples, rate)) is silent (RMS below `max_rms`)."""
    samples, _rate = _load(source, start_s, end_s)
    return rms(samples) < max_rms


def describe(
    source: Source,
    freqs: Sequence[float] = (),
    *,
    start_s: float | None = None,
    end_s: float | None = None,
) -> str:
    """A one-line summary (duration, RMS, tone levels) for assertion messages."""
    samples, rate = _load(source, start_s, end_s)
    levels = ", ".join(f"{f:g} Hz {tone_level(samples, f, rate):.3f}" for f in freqs)
    seconds = len(samples) / rate if rate else 0.0
    return f"{seconds:.2f} s at {rate} Hz, rms {rms(samples):.4f}" + (
        f", levels: {levels}" if levels else ""
    )
