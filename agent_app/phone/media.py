"""Audio around calls: devices, the agent's voice source, ringtones, recorders and routing.

pjsua2 mixes everything on one conference bridge. This module decides who hears whom: the
agent's microphone goes to every connected call that is not on hold (unless muted); every such
call goes to the speaker; calls in a conference also hear each other; a recorder hears its
call, the agent and, in a conference, the other parties.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pjsua2 as pj

log = logging.getLogger(__name__)

# China's ring-back cadence (450 Hz, 1 s on, 4 s off) is for the caller; our ringer is louder
# and quicker so an agent notices it.
RING_TONE = (440, 480, 1000, 2000)
WAITING_TONE = (440, 0, 200, 3000)  # call waiting: one short beep every few seconds


@dataclass(frozen=True)
class AudioDevice:
    index: int
    name: str
    driver: str
    inputs: int
    outputs: int


def list_devices(ep: pj.Endpoint) -> list[AudioDevice]:
    manager = ep.audDevManager()
    devices = []
    for info in manager.enumDev2():
        devices.append(
            AudioDevice(info.id, info.name, info.driver, info.inputCount, info.outputCount)
        )
    return devices


def choose_devices(ep: pj.Endpoint, microphone: str, speaker: str) -> str | None:
    """Select devices by name (what the settings keep); returns a notice key or None.

    With no usable device (the Linux wheel has none) the null device clocks the bridge and
    calls run without sound, which is what a headless test machine or a broken driver needs.
    """
    manager = ep.audDevManager()
    devices = list_devices(ep)
    capture = _pick(devices, microphone, inputs=True)
    playback = _pick(devices, speaker, inputs=False)
    if capture is None or playback is None:
        manager.setNullDev()
        return "null_audio"
    try:
        manager.setCaptureDev(capture)
        manager.setPlaybackDev(playback)
    except pj.Error as exc:
        log.warning("sound device failed (%s); using the null device", exc.info())
        manager.setNullDev()
        return "null_audio"
    return None


def _pick(devices: list[AudioDevice], name: str, inputs: bool) -> int | None:
    usable = [d for d in devices if (d.inputs if inputs else d.outputs) > 0]
    for device in usable:
        if name and device.name == name:
            return device.index
    return usable[0].index if usable else None


class ToneSource:
    """A continuous tone (or silence when stopped) on the bridge."""

    def __init__(self) -> None:
        self.port = pj.ToneGenerator()
        self.port.createToneGenerator(16000, 1)
        self.freq = 0

    def play(self, freq1: int, freq2: int = 0, on_ms: int = 30000, off_ms: int = 0) -> None:
        self.port.stop()
        tone = pj.ToneDesc()
        tone.freq1, tone.freq2, tone.on_msec, tone.off_msec = freq1, freq2, on_ms, off_ms
        tone.volume = 0
        tones = pj.ToneDescVector()
        tones.append(tone)
        self.port.play(tones, True)
        self.freq = freq1

    def stop(self) -> None:
        self.port.stop()
        self.freq = 0


def transmit(source: pj.AudioMedia, sink: pj.AudioMedia, on: bool) -> None:
    """Connect or disconnect one direction on the bridge (both are idempotent in pjmedia)."""
    try:
        if on:
            source.startTransmit(sink)
        else:
            source.stopTransmit(sink)
    except pj.Error as exc:  # a port that went away with its call
        log.debug("transmit %s failed: %s", "on" if on else "off", exc.info())


def keep_clock(source: pj.AudioMedia, device: pj.AudioMedia, on: bool) -> None:
    """A silent link to pjsua's sound device, which keeps it open and so the bridge ticking.

    pjsua opens its sound device (or the null device, which is also the bridge's clock) only
    while something is connected to it, and closes it a second after the last link goes. Ports
    of our own (the PortAudio bridge, a ringer on another device) are not links to it: without
    this their frames would stop with the clock.
    """
    try:
        if on:
            silent = pj.AudioMediaTransmitParam()
            silent.level = 0.0
            source.startTransmit2(device, silent)
        else:
            source.stopTransmit(device)
    except pj.Error as exc:
        log.debug("clock link %s failed: %s", "on" if on else "off", exc.info())


class Recorder:
    """One call's WAV file. pjmedia finishes the file when the port is destroyed."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.port = pj.AudioMediaRecorder()
        self.port.createRecorder(str(path))
