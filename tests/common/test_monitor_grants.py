"""Monitor grants (common/monitor_grants.py): signing, the checks the agent's engine makes and
the reason each refusal carries, key serialization."""

from __future__ import annotations

import uuid

import pytest

from common import monitor_grants as mg

NOW = 1_800_000_000.0
CALL = str(uuid.uuid4())


@pytest.fixture(scope="module")
def key() -> mg.Ed25519PrivateKey:
    return mg.generate_private_key()


def _grant(**over: object) -> mg.Grant:
    fields: dict[str, object] = dict(
        supervisor="lead1",
        supervisor_id="7",
        agent="agent1",
        agent_id="9",
        call_id=CALL,
        mode="listen",
        now=NOW,
    )
    fields.update(over)
    return mg.new_grant(**fields)  # type: ignore[arg-type]


def _verify(key: mg.Ed25519PrivateKey, value: str | None, **over: object) -> mg.Grant:
    args: dict[str, object] = dict(agent="agent1", call_id=CALL, now=NOW + 1)
    args.update(over)
    return mg.verify_grant(key.public_key(), value, **args)  # type: ignore[arg-type]


def _reason(key: mg.Ed25519PrivateKey, value: str | None, **over: object) -> str:
    with pytest.raises(mg.GrantError) as info:
        _verify(key, value, **over)
    return info.value.reason


def test_a_signed_grant_verifies_and_fits_a_header(key: mg.Ed25519PrivateKey) -> None:
    grant = _grant(mode="whisper")
    value = mg.sign_grant(key, grant)
    assert _verify(key, value) == grant
    assert value.isascii() and " " not in value and len(value) < 600
    assert mg.read_grant(value).grant_id == grant.grant_id
    assert grant.expires_at - grant.issued_at == mg.MAX_LIFETIME_S


def test_each_refusal_has_its_reason(key: mg.Ed25519PrivateKey) -> None:
    good = mg.sign_grant(key, _grant())
    other_key = mg.generate_private_key()
    assert _reason(key, None) == "missing"
    assert _reason(key, "  ") == "missing"
    assert _reason(key, "nodot") == "malformed"
    assert _reason(key, "e30.AAAA") == "bad_signature"
    assert _reason(key, mg.sign_grant(other_key, _grant())) == "bad_signature"
    # a payload edited after signing (agent swapped) keeps the old signature: forged
    payload, _, sig = good.partition(".")
    forged = mg._b64(mg._unb64(payload).replace(b"agent1", b"agent2")) + "." + sig
    assert _reason(key, forged, agent="agent2") == "bad_signature"
    assert _reason(key, good, agent="agent2") == "wrong_agent"
    assert _reason(key, good, call_id=str(uuid.uuid4())) == "wrong_call"
    assert _reason(key, good, call_id=None) == "wrong_call"
    assert _reason(key, good, now=NOW + mg.MAX_LIFETIME_S) == "expired"
    assert _reason(key, good, now=NOW - mg.CLOCK_SKEW_S - 5) == "expired"
    assert _reason(key, good, supervisor="someone") == "wrong_supervisor"
    long_lived = mg.Grant(**{**_grant().__dict__, "expires_at": int(NOW) + 600})
    assert _reason(key, mg.sign_grant(key, long_lived)) == "expired"
    bad_mode = mg.Grant(**{**_grant().__dict__, "mode": "record"})
    assert _reason(key, mg.sign_grant(key, bad_mode)) == "mode"
    with pytest.raises(ValueError):
        _grant(mode="spy")
    with pytest.raises(ValueError):
        _grant(lifetime_s=121)


def test_a_grant_is_taken_once(key: mg.Ed25519PrivateKey) -> None:
    seen = mg.SeenGrants()
    value = mg.sign_grant(key, _grant())
    _verify(key, value, seen_ids=seen)
    assert _reason(key, value, seen_ids=seen) == "replayed"
    # a refused grant is not remembered: it can be refused for its own reason again
    wrong = mg.sign_grant(key, _grant())
    assert _reason(key, wrong, seen_ids=seen, agent="x") == "wrong_agent"
    _verify(key, wrong, seen_ids=seen)
    plain: set[str] = set()
    _verify(key, value, seen_ids=plain)
    assert _reason(key, value, seen_ids=plain) == "replayed"


def test_seen_ids_are_forgotten_after_their_grant_expired(key: mg.Ed25519PrivateKey) -> None:
    seen = mg.SeenGrants()
    first = _grant()
    seen.remember(first.grant_id, first.expires_at, NOW)
    seen.remember("later", NOW + 500, first.expires_at + mg.CLOCK_SKEW_S + 1)
    assert first.grant_id not in seen and "later" in seen


def test_keys_round_trip(key: mg.Ed25519PrivateKey) -> None:
    value = mg.sign_grant(key, _grant())
    again = mg.private_key_from_pem(mg.private_key_to_pem(key))
    public_pem = mg.public_key_to_pem(key.public_key())
    public_raw = mg.public_key_to_text(key.public_key())
    for public in (mg.public_key_from_text(public_pem), mg.public_key_from_text(public_raw)):
        assert mg.verify_grant(public, value, agent="agent1", call_id=CALL, now=NOW)
    assert mg.verify_grant(
        again.public_key(), mg.sign_grant(again, _grant()), agent="agent1", call_id=CALL, now=NOW
    )
    with pytest.raises(ValueError):
        mg.public_key_from_text("AAAA")


def test_call_uuid_matches_the_engines_ids() -> None:
    hex_id = uuid.uuid4().hex
    assert mg.call_uuid(hex_id) == str(uuid.UUID(hex_id))
    assert mg.call_uuid("not-a-uuid") == mg.call_uuid("not-a-uuid")
