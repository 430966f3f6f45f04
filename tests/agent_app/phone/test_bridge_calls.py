"""A call heard through the PortAudio bridge, the way a Linux or macOS seat runs.

There is no sound card here or in CI: `FakeBackend` (see test_sound_bridge.py) stands in for
PortAudio's streams, driving the bridge from a thread of its own like a driver would. The
engine, Kamailio and the customer's phone are real.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agent_app.phone import events as ev
from agent_app.phone import media, sound_bridge
from agent_app.phone.config import AudioConfig
from agent_app.phone.tone_meter import INT16_FULL_SCALE, goertzel_power, mean_square
from tests.agent_app.phone.conftest import CUSTOMER_TONE, AgentPhone
from tests.agent_app.phone.test_sound_bridge import FakeBackend
from tests.rig.audio_check import describe, has_tone
from tests.rig.fixtures import register_peer
from tests.rig.kamailio import Kamailio

HEADSET_MIC_TONE = 900


def share(samples: array, freq: float, rate: int = 16000) -> float:
    """How much of the last second of `samples` is `freq` (0..1)."""
    tail = samples[-rate:]
    total = mean_square(tail, INT16_FULL_SCALE)
    return goertzel_power(tail, freq, rate, INT16_FULL_SCALE) / total if total > 1e-6 else 0.0


@pytest.fixture
def sound_card(monkeypatch: pytest.MonkeyPatch) -> FakeBackend:
    backend = FakeBackend(mic_tone=HEADSET_MIC_TONE)
    real_open, real_output = sound_bridge.SoundBridge.open, sound_bridge.SoundBridge.open_output

    def open_bridge(microphone: str = "", speaker: str = "", backend_: Any = None) -> Any:
        return real_open(microphone, speaker, backend=backend)

    def open_output(device: str = "", backend_: Any = None) -> Any:
        return real_output(device, backend=backend)

    monkeypatch.setattr(sound_bridge.SoundBridge, "open", staticmethod(open_bridge))
    monkeypatch.setattr(sound_bridge.SoundBridge, "open_output", staticmethod(open_output))
    monkeypatch.setattr(sound_bridge, "portaudio_devices", lambda refresh=False: backend.devices())
    return backend


def test_ring_talk_and_listen_through_the_bridge(
    sound_card: FakeBackend,
    make_agent: Callable[..., AgentPhone],
    make_peer,
    kamailio: Kamailio,
    tmp_path: Path,
) -> None:
    agent = make_agent(audio=AudioConfig(ringer="Fake Loudspeaker"))
    agent.until(agent.engine.is_registered)
    assert agent.engine.audio_notice is None  # a sound card was found: no "no sound" notice
    bridge = agent.engine.audio.sound
    assert agent.engine.refresh_audio_devices() is False  # the periodic scan, nothing new ...
    assert agent.engine.audio.sound is bridge  # ... leaves the open streams alone
    assert [d.name for d in agent.engine.audio_devices()][:2] == [
        "Fake Headset Mic",
        "Fake Headset",
    ]
    customer = register_peer(make_peer, kamailio, "customer2001")
    customer.play_tone(CUSTOMER_TONE)
    customer.call(kamailio.uri("agent1001"))
    call_id = agent.wait_incoming()
    agent.settle(0.8)
    loudspeaker = sound_card.streams[2].samples()
    assert share(loudspeaker, media.RING_TONE[0]) > 0.2  # the ringer rings on its own device

    agent.engine.answer(call_id)
    agent.wait_state(call_id, ev.ACTIVE)
    agent.settle(1.2)
    headset = sound_card.streams[1].samples()
    assert share(headset, CUSTOMER_TONE) > 0.5, "the customer is heard in the headset"
    heard = tmp_path / "customer.wav"
    customer.record_start(heard)
    agent.settle(1.2)
    customer.record_stop()
    assert has_tone(heard, HEADSET_MIC_TONE), describe(heard, HEADSET_MIC_TONE)
