"""The one typed settings tree: TOML file, overridden by ``LORAHUB_SECTION__KEY`` environment."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from lorahub.domain.timezones import known_time_zone
from lorahub.errors import ConfigError

CONFIG_ENV = "LORAHUB_CONFIG"


class Section(BaseModel):
    """Base of every settings section: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class MqttSettings(Section):
    """Connection to the network server's MQTT broker."""

    host: str = "127.0.0.1"
    port: int = Field(1883, ge=1, le=65535)
    tls: bool = False
    tls_ca_file: Path | None = None
    username: str | None = None
    password: SecretStr | None = None
    client_id: str = "lorahub"
    topics: list[str] = Field(
        default_factory=lambda: ["application/+/device/+/event/+", "v3/+/devices/+/up"],
        min_length=1,
    )
    shared_group: str | None = None
    qos: Literal[1] = 1
    session_expiry_s: int = Field(3600, ge=60)
    keepalive_s: int = Field(30, ge=5)
    max_in_flight: int = Field(10000, ge=1, le=65535)
    reconnect_min_delay_s: float = Field(0.5, gt=0)
    reconnect_max_delay_s: float = Field(30.0, gt=0)

    @model_validator(mode="after")
    def _check(self) -> MqttSettings:
        if not self.client_id:
            raise ValueError("mqtt.persistent session requires mqtt.client_id")
        if self.reconnect_min_delay_s > self.reconnect_max_delay_s:
            raise ValueError("mqtt.reconnect_min_delay_s must not exceed reconnect_max_delay_s")
        if self.tls_ca_file is not None and not self.tls:
            raise ValueError("mqtt.tls_ca_file is set but mqtt.tls is false")
        return self

    def subscriptions(self) -> list[str]:
        """The topic filters to subscribe, inside the shared group when one is set."""
        if self.shared_group is None:
            return list(self.topics)
        return [f"$share/{self.shared_group}/{topic}" for topic in self.topics]


class InfluxSettings(Section):
    """Where readings are written: InfluxDB 1.x/3.x (``v1``) or 2.x/3.x/VictoriaMetrics (``v2``)."""

    api: Literal["v1", "v2"] = "v1"
    url: str = "http://127.0.0.1:8086"
    database: str = "lorahub"
    retention_policy: str | None = None
    username: str | None = None
    password: SecretStr | None = None
    org: str = ""
    bucket: str = "lorahub"
    token: SecretStr | None = None
    timeout_s: float = Field(10.0, gt=0)
    gzip: bool = True
    retry_window_s: float = Field(60.0, gt=0)
    max_retry_delay_s: float = Field(10.0, gt=0)

    @model_validator(mode="after")
    def _check(self) -> InfluxSettings:
        if not self.url.startswith(("http://", "https://")):
            raise ValueError("influx.url must start with http:// or https://")
        if self.api == "v2" and not self.bucket:
            raise ValueError("influx.bucket is required with influx.api = 'v2'")
        return self


class RegistrySettings(Section):
    """The device registry and dead-letter store (SQLAlchemy URL)."""

    url: str = "sqlite:///lorahub.db"
    refresh_s: float = Field(5.0, gt=0)
    state_flush_s: float = Field(5.0, gt=0)


class CatalogSettings(Section):
    """The device catalog folder and the sandbox limits of JavaScript codecs."""

    dir: Path = Path("decoders")
    js_time_limit_ms: int = Field(100, ge=1, le=10_000)
    js_memory_limit_mb: int = Field(16, ge=1, le=1024)


class PipelineSettings(Section):
    """Batching and de-duplication of the ingest pipeline."""

    batch_max_uplinks: int = Field(5000, ge=1)
    batch_max_age_ms: int = Field(200, ge=1)
    dedup_window_s: int = Field(300, ge=0)
    dedup_max_entries: int = Field(200_000, ge=0)
    shutdown_deadline_s: float = Field(30.0, gt=0)
    """On SIGTERM, how long the last batches may take to be written or spooled."""


class SpoolSettings(Section):
    """The durable local spool that takes batches while the database is unreachable."""

    enabled: bool = True
    dir: Path = Path("spool")
    max_bytes: int = Field(1 << 30, ge=1 << 16)
    segment_bytes: int = Field(16 << 20, ge=1 << 12)
    replay_check_s: float = Field(1.0, gt=0)


class MetricsSettings(Section):
    """The Prometheus metrics endpoint."""

    port: int | None = Field(None, ge=1, le=65535)
    host: str = "127.0.0.1"


class WebSettings(Section):
    """The HTTP server: REST API under /api/v1 and its OpenAPI documentation at /docs."""

    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    public_url: str = "http://127.0.0.1:8080"
    """How users reach this server (behind a proxy, its public address); used in links."""
    timezone: str = "Europe/Berlin"
    """Where "today" starts for the live pages' sparklines (an IANA time zone name)."""
    session_days: int = Field(30, ge=1, le=400)
    """How long a browser stays signed in to the pages (a kiosk screen signs in once)."""

    _known_zone = field_validator("timezone")(known_time_zone)


class AlertSettings(Section):
    """Alert rule evaluation (rules themselves live in the registry: `lorahub rules`)."""

    enabled: bool = True
    evaluate_every_s: float = Field(0.5, gt=0, le=60)
    tick_s: float = Field(15.0, gt=0, le=3600)
    rules_refresh_s: float = Field(5.0, gt=0)
    builtin_rules: bool = True
    offline_factor: float = Field(3.0, gt=1)
    battery_low_percent: float = Field(20.0, ge=0, le=100)
    renotify_after_s: float = Field(4 * 3600.0, gt=0)


class NotificationSettings(Section):
    """Delivery of alert notifications to the tenants' channels (the outbox worker)."""

    enabled: bool = True
    """Run the outbox worker here; with several instances on one registry, in one only."""
    poll_interval_s: float = Field(2.0, gt=0)
    max_attempts: int = Field(8, ge=1)
    backoff_base_s: float = Field(30.0, gt=0)
    backoff_max_s: float = Field(3600.0, gt=0)
    unhealthy_after: int = Field(3, ge=1)
    send_timeout_s: float = Field(20.0, gt=0)

    @model_validator(mode="after")
    def _check(self) -> NotificationSettings:
        if self.backoff_base_s > self.backoff_max_s:
            raise ValueError("notifications.backoff_base_s must not exceed backoff_max_s")
        return self


class LoggingSettings(Section):
    """Log output."""

    level: Literal["debug", "info", "warning", "error"] = "info"
    format: Literal["console", "json"] = "console"
    repeat_window_s: float = Field(60.0, ge=0)


class Settings(BaseSettings):
    """Every setting of lorahub, one section per component."""

    model_config = SettingsConfigDict(
        env_prefix="LORAHUB_",
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
    )

    mqtt: MqttSettings = MqttSettings()
    influx: InfluxSettings = InfluxSettings()
    registry: RegistrySettings = RegistrySettings()
    catalog: CatalogSettings = CatalogSettings()
    pipeline: PipelineSettings = PipelineSettings()
    spool: SpoolSettings = SpoolSettings()
    logging: LoggingSettings = LoggingSettings()
    metrics: MetricsSettings = MetricsSettings()
    web: WebSettings = WebSettings()
    alerts: AlertSettings = AlertSettings()
    notifications: NotificationSettings = NotificationSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Environment first, then the TOML file (passed as init data), then defaults."""
        return env_settings, init_settings, file_secret_settings


def load_settings(path: Path | None = None) -> Settings:
    """Read settings from ``path`` (or ``$LORAHUB_CONFIG``), with environment overrides.

    Raises:
        ConfigError: the file is missing or invalid, or a key is unknown or has a bad value.
    """
    if path is None and os.environ.get(CONFIG_ENV):
        path = Path(os.environ[CONFIG_ENV])
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"config file {path} not found") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path}: not valid TOML: {exc}") from exc
    where = str(path) if path is not None else "environment"
    try:
        return Settings(**data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {_message(error)}"
            for error in exc.errors()
        )
        raise ConfigError(f"invalid settings ({where}): {problems}") from exc


def _message(error: Any) -> str:  # noqa: ANN401 - pydantic's ErrorDetails TypedDict
    if error["type"] == "extra_forbidden":
        return "unknown key"
    return str(error["msg"])


__all__ = [
    "CatalogSettings",
    "InfluxSettings",
    "LoggingSettings",
    "MetricsSettings",
    "MqttSettings",
    "NotificationSettings",
    "PipelineSettings",
    "RegistrySettings",
    "Settings",
    "SpoolSettings",
    "WebSettings",
    "load_settings",
]
