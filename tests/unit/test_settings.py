from __future__ import annotations

import re
from pathlib import Path

import pytest

from lorahub.errors import ConfigError
from lorahub.settings import Settings, load_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "lorahub.example.toml"


def test_example_file_loads_and_matches_defaults() -> None:
    settings = load_settings(EXAMPLE)
    assert settings == Settings()


def test_example_file_documents_every_key() -> None:
    text = EXAMPLE.read_text()
    for section_name, section_field in Settings.model_fields.items():
        assert f"[{section_name}]" in text, section_name
        section_type = section_field.annotation
        assert section_type is not None
        for key in section_type.model_fields:
            assert re.search(rf"^#? ?{key} = ", text, re.MULTILINE), f"{section_name}.{key}"


def test_environment_overrides_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "lorahub.toml"
    config.write_text('[mqtt]\nhost = "broker.example"\nport = 1884\n')
    monkeypatch.setenv("LORAHUB_MQTT__PORT", "8883")
    settings = load_settings(config)
    assert settings.mqtt.host == "broker.example"
    assert settings.mqtt.port == 8883


def test_config_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "lorahub.toml"
    config.write_text('[influx]\napi = "v2"\nbucket = "village"\n')
    monkeypatch.setenv("LORAHUB_CONFIG", str(config))
    assert load_settings().influx.bucket == "village"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[mqtt]\nhots = 'x'\n", "mqtt.hots: unknown key"),
        ("[mqttt]\nhost = 'x'\n", "mqttt: unknown key"),
        ("[mqtt]\nport = 70000\n", "mqtt.port"),
        ("[mqtt]\nqos = 0\n", "mqtt.qos"),
        ("[influx]\nurl = 'localhost:8086'\n", "influx.url must start with http"),
        ("[influx\n", "not valid TOML"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message(
    tmp_path: Path, content: str, message: str
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(content)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(config)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "absent.toml")


def test_secrets_are_masked(tmp_path: Path) -> None:
    config = tmp_path / "lorahub.toml"
    config.write_text('[mqtt]\nusername = "u"\npassword = "hunter2"\n[influx]\ntoken = "tok-123"\n')
    settings = load_settings(config)
    shown = repr(settings) + str(settings)
    assert "hunter2" not in shown
    assert "tok-123" not in shown
    assert settings.influx.token is not None
    assert settings.influx.token.get_secret_value() == "tok-123"


def test_shared_group_prefixes_topics() -> None:
    settings = Settings(
        mqtt={"shared_group": "ingest", "topics": ["application/+/device/+/event/up"]}
    )
    assert settings.mqtt.subscriptions() == ["$share/ingest/application/+/device/+/event/up"]
