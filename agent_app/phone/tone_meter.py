"""Listening for a tone on the bridge: the line check's "did our tone come back?".

A bridge port that takes the audio it is sent, frame by frame, and measures how much of it is
one frequency (Goertzel) against all of it (RMS). No files: the answer is ready while the
call is still up.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence

import pjsua2 as pj

FRAME_USEC = 20000
INT16_FULL_SCALE = 32768.0


def mean_square(samples: Sequence[float], full_scale: float = 1.0) -> float:
    """Mean power of `samples`, where `full_scale` is the largest value (32768 for int16)."""
    if not samples:
        return 0.0
    return math.fsum(x * x for x in samples) / len(samples) / (full_scale * full_scale)


def goertzel_power(
    samples: Sequence[float], freq: float, rate: int, full_scale: float = 1.0
) -> float:
    """Mean power of the component at `freq` (Goertzel at exactly that frequency), on the
    scale of mean_square(): for a pure tone the two are equal."""
    n = len(samples)
    if n == 0:
        return 0.0
    coeff = 2.0 * math.cos(2.0 * math.pi * freq / rate)
    s_prev = s_prev2 = 0.0
    for x in samples:
        s = x + coeff * s_prev - s_prev2
        s_prev2, s_prev = s_prev, s
    power = s_prev * s_prev + s_prev2 * s_prev2 - coeff * s_prev * s_prev2
    return 2.0 * power / (n * n) / (full_scale * full_scale)


class ToneMeter(pj.AudioMediaPort):
    """Counts the frames in which `freq` dominates what this port hears."""

    def __init__(self, freq: float, rate: int = 16000) -> None:
        super().__init__()
        self.freq = freq
        self.rate = rate
        self.frames = 0
        self.tone_frames = 0
        self.loud_frames = 0
        fmt = pj.MediaFormatAudio()
        fmt.init(pj.PJMEDIA_FORMAT_PCM, rate, 1, FRAME_USEC, 16)
        self.createPort(f"tone-meter-{int(freq)}", fmt)

    def reset(self) -> None:
        self.frames = self.tone_frames = self.loud_frames = 0

    def onFrameReceived(self, frame: pj.MediaFrame) -> None:  # noqa: N802 (pjsua2 name)
        samples = array("h", bytes(frame.buf))
        if not samples:
            return
        self.frames += 1
        total = mean_square(samples, INT16_FULL_SCALE)
        if total < 1e-6:  # below about -60 dBFS: silence
            return
        self.loud_frames += 1
        if goertzel_power(samples, self.freq, self.rate, INT16_FULL_SCALE) > 0.5 * total:
            self.tone_frames += 1

    def onFrameRequested(self, frame: pj.MediaFrame) -> None:  # noqa: N802
        frame.type = pj.PJMEDIA_FRAME_TYPE_NONE  # a sink: it sends nothing

    @property
    def heard(self) -> bool:
        return self.tone_frames >= 10  # 200 ms of the tone
