"""Phone settings round-trip through the settings file, without passwords."""

from agent_app.phone.config import AccountConfig, PhoneConfig


def test_round_trip_drops_passwords_and_unknown_keys() -> None:
    config = PhoneConfig(
        accounts=[
            AccountConfig(id="a", user="1001", domain="pbx:5060", password="secret"),
            AccountConfig(id="b", user="1002", domain="pbx", transport="tcp", default=True),
        ]
    )
    config.auto_answer.enabled = True
    data = config.to_dict()
    assert "secret" not in repr(data)
    data["unknown"] = 1
    data["accounts"][0]["transport"] = "carrier-pigeon"
    back = PhoneConfig.from_dict(data)
    assert back.accounts[0].transport == "udp"
    assert back.accounts[1].registrar_uri() == "sip:pbx;transport=tcp"
    assert back.default_account() is not None and back.default_account().id == "b"
    assert back.auto_answer.enabled is True
    assert PhoneConfig.from_dict(None).codecs[0].startswith("opus")


def test_identity_uri_quotes_display_names() -> None:
    account = AccountConfig(user="1001", domain="127.0.0.1:5060", display_name="坐席 1001")
    assert account.id_uri() == '"坐席 1001" <sip:1001@127.0.0.1:5060>'
    assert account.registrar_uri() == "sip:127.0.0.1:5060"
